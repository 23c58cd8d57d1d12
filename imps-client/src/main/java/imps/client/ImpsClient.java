package imps.client;

import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.codec.DecodeError;
import imps.protocol.codec.FrameDecoder;
import imps.protocol.codec.FrameEncoder;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StatusNotifyRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An asynchronous IMPS client: one TCP connection to one server, speaking the frame protocol of
 * {@code docs/PROTOCOL.md}.
 *
 * <pre>{@code
 * try (ImpsClient client = new ImpsClient(ClientOptions.builder().port(7600).build(), listener)) {
 *   client.connect().join();
 *   client.login("alice", "secret1").join();
 *   client.sendMessage("bob", "hi").join();   // C_SEND_MSG, acknowledged by S_ERROR_RSP(0, 11)
 * }
 * }</pre>
 *
 * <p>On the wire, {@code login("alice", "secret1")} sends the frame {@code 4f 4b 00 11 01 00 05 61
 * 6c 69 63 65 00 07 73 65 63 72 65 74 31} ("OK", length 17, CMDTYPE 1, two UTF fields).
 *
 * <p><b>Requests and replies.</b> Every request method returns at once with a {@link
 * CompletableFuture} that completes with the reply, or fails with an {@link ImpsClientException}:
 * {@link ImpsException} when the server refused (error code and meaning), {@link
 * ImpsConnectionException} when there is no connection or it closed before the reply, {@link
 * ImpsTimeoutException} when no reply came within {@link ClientOptions#requestTimeout()}. No future
 * stays pending longer than that. Replies are matched by order (the server answers every request
 * once, in order); see {@code docs/CLIENT.md} for the one ambiguity of {@code S_ADDFRIEND_RSP}.
 *
 * <p><b>Threading.</b> All methods are thread-safe, and requests from several threads go out in the
 * order their calls returned. Network I/O runs on one Netty thread per client; futures are
 * completed and listener methods called on one separate event thread per client, in the order the
 * frames arrived. Never block on a future of this client inside a listener callback or a dependent
 * stage that runs on that thread (use the {@code *Async} stages or {@code thenCompose}).
 *
 * <p><b>Nullability.</b> No method accepts or returns {@code null} unless it says so; arguments are
 * checked with {@link Objects#requireNonNull}.
 *
 * <p><b>Session.</b> After {@link #login} the client sends a heartbeat every {@link
 * ClientOptions#heartbeatInterval()}; if one goes unanswered the connection is considered dead and
 * closed. With a {@link ReconnectPolicy} enabled, a dropped connection of a logged-in client is
 * re-established with backoff, logged in again and given back the status last set with {@link
 * #setStatus}. Requests made while disconnected fail at once with {@link ImpsConnectionException}.
 */
public final class ImpsClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ImpsClient.class);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final DateTimeFormatter CLIENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** Where the client is in its life. */
  public enum State {
    /** Not connected (never, or after a drop without reconnection, or after logout). */
    DISCONNECTED,
    /** Connected, not logged in. */
    CONNECTED,
    /** Connected and logged in. */
    LOGGED_IN,
    /** Connection lost; waiting for or making a reconnection attempt. */
    RECONNECTING,
    /** {@link #close()} was called; terminal. */
    CLOSED
  }

  private final ClientOptions options;
  private final ImpsListener listener;
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final ExecutorService events;
  private final Bootstrap bootstrap;

  // Confined to the I/O thread (loop).
  private final Correlator correlator = new Correlator();
  private Channel channel;
  private ScheduledFuture<?> heartbeatTask;
  private LoginRequest credentials;
  private volatile Presence chosenStatus; // also read on the event thread (reconnect)
  private int reconnectAttempt;
  private boolean reconnecting;
  private boolean loggingOut;
  private boolean kicked;
  private boolean closed;

  // Read from any thread.
  private volatile State state = State.DISCONNECTED;
  private volatile String userName;

  /**
   * Creates a client; nothing is connected until {@link #connect()}.
   *
   * @param options connection settings
   * @param listener receives pushes and connection changes; use {@code new ImpsListener() {}} to
   *     ignore them
   */
  public ImpsClient(ClientOptions options, ImpsListener listener) {
    this.options = Objects.requireNonNull(options, "options");
    this.listener = Objects.requireNonNull(listener, "listener");
    int id = IDS.incrementAndGet();
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("imps-client-io-" + id, true), NioIoHandler.newFactory());
    this.loop = group.next();
    this.events =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "imps-client-events-" + id);
              t.setDaemon(true);
              return t;
            });
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new FrameDecoder(), new FrameEncoder(), new InboundHandler());
                  }
                });
  }

  /** The settings this client was made with. */
  public ClientOptions options() {
    return options;
  }

  /** The current state; changes asynchronously. */
  public State state() {
    return state;
  }

  /** The user name as registered, once logged in; {@code null} before the first login. */
  public String userName() {
    return userName;
  }

  // ---------------------------------------------------------------------------------------------
  // Requests
  // ---------------------------------------------------------------------------------------------

  /**
   * Opens the connection. Completes when connected, or fails with {@link ImpsConnectionException}
   * (refused, unreachable, connect timeout). Completes at once when already connected.
   */
  public CompletableFuture<Void> connect() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(
        () -> {
          if (closed) {
            done.completeExceptionally(new ImpsConnectionException("client closed", null));
          } else if (channel != null && channel.isActive()) {
            done.complete(null);
          } else {
            openChannel(done);
          }
        });
    return done;
  }

  /**
   * Registers an account ({@code C_REGISTER}); allowed before or after login and does not log in.
   *
   * @param gender as the user gives it
   * @param email may be empty
   * @return {@code true} when registered, {@code false} when the name is taken; fails with {@link
   *     ImpsException} code 8 when a field is invalid
   */
  public CompletableFuture<Boolean> register(
      String user, String password, Gender gender, String email) {
    RegisterRequest req =
        new RegisterRequest(
            Objects.requireNonNull(user, "user"),
            Objects.requireNonNull(password, "password"),
            Objects.requireNonNull(gender, "gender"),
            Objects.requireNonNull(email, "email"));
    return request(req, reply -> as(reply, RegisterResponse.class).registered());
  }

  /**
   * Logs in ({@code C_LOGIN_REQ}); on success starts automatic heartbeats and remembers the
   * credentials for reconnection. Stored friend requests, outcomes, messages and clips follow as
   * pushes, after this future completes.
   *
   * @return the account as registered; fails with {@link ImpsException} code 6 (wrong name or
   *     password), 4 (already logged in) or 10 (too many failed logins)
   */
  public CompletableFuture<LoginResponse> login(String user, String password) {
    LoginRequest req =
        new LoginRequest(
            Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
    return request(req, reply -> as(reply, LoginResponse.class));
  }

  /**
   * Signs out ({@code C_STATUS_NOTIFY} with status 0): friends are told, the server acknowledges
   * and closes the connection. No reconnection follows.
   */
  public CompletableFuture<Void> logout() {
    CompletableFuture<ImpsMessage> raw = new CompletableFuture<>();
    loop.execute(
        () -> {
          loggingOut = true;
          send(new StatusNotifyRequest(nameOrEmpty(), Presence.OFFLINE), raw);
        });
    return raw.thenApply(ImpsClient::ack);
  }

  /**
   * Sends a heartbeat ({@code C_HEARTBEAT_REQ}) with location fixes.
   *
   * @param fixes may be empty; time as {@code yyyy-MM-dd HH:mm:ss} (or ISO-8601 with offset, or
   *     epoch milliseconds), location as {@code lat,lon}. One invalid fix fails the future with
   *     {@link ImpsException} code 8 and nothing is stored.
   */
  public CompletableFuture<Void> heartbeat(List<LocationFix> fixes) {
    HeartbeatRequest req = new HeartbeatRequest(nameOrEmpty(), fixes);
    return request(
        req,
        reply -> {
          as(reply, HeartbeatResponse.class);
          return null;
        });
  }

  /** The friend list ({@code C_FRIENDLIST_REFURBISH_REQ}) with status and last location. */
  public CompletableFuture<List<FriendInfo>> friends() {
    return request(
        new FriendListRequest(nameOrEmpty()),
        reply -> as(reply, FriendListResponse.class).friends());
  }

  /**
   * Asks {@code friendName} to be friends ({@code C_ADDFRIEND_REQ}). The answer, when it comes
   * later, reaches {@link ImpsListener#onFriendRequestOutcome}.
   *
   * @return the immediate outcome; fails with {@link ImpsException} code 8 when asking oneself
   */
  public CompletableFuture<AddFriendResult> addFriend(String friendName) {
    Objects.requireNonNull(friendName, "friendName");
    return request(
        new AddFriendRequest(nameOrEmpty(), friendName),
        reply -> {
          if (reply instanceof ErrorResponse) {
            ack(reply);
            return new AddFriendResult(AddFriendResult.Outcome.SENT, friendName, null);
          }
          AddFriendResponse r = as(reply, AddFriendResponse.class);
          String name = r.userName() != null ? r.userName() : friendName;
          return switch (r.result()) {
            case ACCEPTED -> new AddFriendResult(AddFriendResult.Outcome.FRIENDS, name, r.friend());
            case NO_SUCH_USER ->
                new AddFriendResult(AddFriendResult.Outcome.NO_SUCH_USER, name, null);
            case REFUSED -> new AddFriendResult(AddFriendResult.Outcome.REFUSED, name, null);
          };
        });
  }

  /**
   * Answers the pending friend request of {@code requester} ({@code C_ADDFRIEND_RSP}). Fails with
   * {@link ImpsException} code 3 when there is no such pending request.
   */
  public CompletableFuture<Void> answerFriendRequest(String requester, boolean accept) {
    Objects.requireNonNull(requester, "requester");
    return request(new AddFriendAnswer(requester, accept), ImpsClient::ack);
  }

  /**
   * Sends a text message ({@code C_SEND_MSG}); completes once the server has stored it. Fails with
   * {@link ImpsException} code 9 (not friends), 2 (no such user) or 8 (empty or too long).
   */
  public CompletableFuture<Void> sendMessage(String friendName, String text) {
    Objects.requireNonNull(friendName, "friendName");
    Objects.requireNonNull(text, "text");
    return request(new SendMessage(nameOrEmpty(), friendName, text), ImpsClient::ack);
  }

  /**
   * Sends a voice clip ({@code C_AUDIO_REQ}); the same rules as {@link #sendMessage}. The bytes are
   * delivered unchanged; the server's limit is 60 KiB by default.
   */
  public CompletableFuture<Void> sendVoice(String friendName, byte[] clip) {
    Objects.requireNonNull(friendName, "friendName");
    Objects.requireNonNull(clip, "clip");
    String now = LocalDateTime.now().format(CLIENT_TIME);
    return request(new AudioRequest(friendName, ClipBytes.copyOf(clip), now), ImpsClient::ack);
  }

  /**
   * Sets the own status ({@code C_STATUS_NOTIFY}) to {@link Presence#ONLINE} or {@link
   * Presence#INVISIBLE}; the choice is restored after an automatic reconnection. Use {@link
   * #logout()} to go offline.
   */
  public CompletableFuture<Void> setStatus(Presence presence) {
    Objects.requireNonNull(presence, "presence");
    if (presence == Presence.OFFLINE) {
      throw new IllegalArgumentException("use logout() to go offline");
    }
    return request(new StatusNotifyRequest(nameOrEmpty(), presence), ImpsClient::ack);
  }

  /**
   * Closes the connection and releases the client's threads; pending futures fail with {@link
   * ImpsConnectionException}. Idempotent; the client cannot be used afterwards.
   */
  @Override
  public void close() {
    if (!loop.isShuttingDown()) {
      loop.submit(
              () -> {
                closed = true;
                state = State.CLOSED;
                stopHeartbeats();
                failAll("client closed");
                if (channel != null) {
                  channel.close();
                }
              })
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    // The event thread finishes what is queued (failed futures) and then ends.
    events.shutdown();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------------------------------------
  // Internals (I/O thread unless noted)
  // ---------------------------------------------------------------------------------------------

  /** Any thread: sends {@code req} and maps its reply. */
  private <T> CompletableFuture<T> request(ImpsMessage req, Function<ImpsMessage, T> mapper) {
    CompletableFuture<ImpsMessage> raw = new CompletableFuture<>();
    try {
      loop.execute(() -> send(req, raw));
    } catch (RejectedExecutionException e) {
      raw.completeExceptionally(new ImpsConnectionException("client closed", e));
    }
    return raw.thenApply(mapper);
  }

  private void send(ImpsMessage req, CompletableFuture<ImpsMessage> raw) {
    if (closed) {
      fail(raw, new ImpsConnectionException("client closed", null));
      return;
    }
    Channel ch = channel;
    if (ch == null || !ch.isActive()) {
      fail(raw, new ImpsConnectionException("not connected (state " + state + ")", null));
      return;
    }
    // Encode here rather than in the pipeline: a frame that cannot be built (too large) must fail
    // this request only, before it takes a place in the reply FIFO.
    ByteBuf frame;
    try {
      frame = FrameEncoder.encode(req, ch.alloc());
    } catch (EncoderException e) {
      fail(raw, new IllegalArgumentException("request too large for one frame", e));
      return;
    }
    Pending p = new Pending(req, raw);
    correlator.add(p);
    p.timeoutTask =
        loop.schedule(() -> onTimeout(p), options.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
    ch.writeAndFlush(frame)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                log.debug("write failed, closing", f.cause());
                ch.close();
              }
            });
  }

  private void onTimeout(Pending p) {
    if (p.future().isDone()) {
      return;
    }
    p.timedOut = true;
    fail(
        p.future(),
        new ImpsTimeoutException(p.request().commandType().name(), options.requestTimeout()));
  }

  private void onFrame(Channel ch, Object frame) {
    if (ch != channel) {
      return;
    }
    if (frame instanceof DecodeError err) {
      if (err.kind() == DecodeError.Kind.UNKNOWN_COMMAND) {
        // A newer server's extension; nothing this client understands or waits for.
        log.debug("ignoring unknown command {}", err.cmd());
        return;
      }
      log.warn("malformed frame from server ({}); closing", err.reason());
      ch.close();
      return;
    }
    ImpsMessage m = (ImpsMessage) frame;
    Correlator.Route route = correlator.route(m);
    switch (route.kind()) {
      case REPLY -> onReply(route.pending(), m);
      case PUSH -> onPush(m);
      case DROP -> log.debug("dropping {}: {}", m, route.why());
      case VIOLATION -> {
        log.warn("protocol out of step: {}; closing", route.why());
        ch.close();
      }
    }
  }

  private void onReply(Pending p, ImpsMessage reply) {
    if (p.timeoutTask != null) {
      p.timeoutTask.cancel(false);
    }
    ImpsMessage req = p.request();
    // Session bookkeeping happens here, on the I/O thread, before anyone sees the reply, so that
    // a request made right after login() completes already carries the user name.
    if (req instanceof LoginRequest login && reply instanceof LoginResponse rsp) {
      credentials = login;
      userName = rsp.userName();
      kicked = false;
      loggingOut = false;
      state = State.LOGGED_IN;
      startHeartbeats();
    } else if (req instanceof StatusNotifyRequest s
        && reply instanceof ErrorResponse e
        && e.code() == ErrorCode.SUCCESS
        && s.status() != Presence.OFFLINE) {
      chosenStatus = s.status();
    }
    if (p.timedOut) {
      log.debug("late reply {} to timed-out {}", reply, req);
      return;
    }
    CompletableFuture<ImpsMessage> f = p.future();
    dispatch(() -> f.complete(reply));
  }

  private void onPush(ImpsMessage m) {
    if (m instanceof ErrorResponse e) {
      if (e.code() == ErrorCode.LOGGED_IN_ELSEWHERE) {
        kicked = true;
        dispatch(listener::onLoggedInElsewhere);
      } else {
        dispatch(() -> listener.onServerError(e.code()));
      }
    } else if (m instanceof MessagePush msg) {
      dispatch(() -> listener.onMessage(msg));
    } else if (m instanceof AudioPush clip) {
      dispatch(() -> listener.onVoiceClip(clip));
    } else if (m instanceof StatusNotifyPush s) {
      dispatch(() -> listener.onPresence(s));
    } else if (m instanceof FriendRequestPush r) {
      dispatch(() -> listener.onFriendRequest(r));
    } else if (m instanceof AddFriendResponse r) {
      dispatch(() -> listener.onFriendRequestOutcome(r));
    } else {
      log.debug("ignoring push {}", m);
    }
  }

  private void onInactive(Channel ch, Throwable cause) {
    if (ch != channel) {
      return;
    }
    channel = null;
    boolean wasLoggedIn = state == State.LOGGED_IN;
    stopHeartbeats();
    failAll("connection closed");
    if (closed) {
      return;
    }
    boolean retry =
        options.reconnect().enabled()
            && credentials != null
            && (wasLoggedIn || reconnecting)
            && !kicked
            && !loggingOut;
    if (retry) {
      scheduleReconnect();
    } else {
      reconnecting = false;
      state = State.DISCONNECTED;
    }
    if (wasLoggedIn || !retry) {
      dispatch(() -> listener.onDisconnected(cause, retry));
    }
  }

  private void scheduleReconnect() {
    ReconnectPolicy policy = options.reconnect();
    if (policy.maxAttempts() > 0 && reconnectAttempt >= policy.maxAttempts()) {
      giveUp(
          new ImpsConnectionException(
              "gave up after " + reconnectAttempt + " reconnection attempts", null));
      return;
    }
    reconnecting = true;
    state = State.RECONNECTING;
    java.time.Duration delay = policy.delay(reconnectAttempt++);
    log.debug("reconnecting in {} ms (attempt {})", delay.toMillis(), reconnectAttempt);
    loop.schedule(this::reconnectNow, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void reconnectNow() {
    if (closed || !reconnecting) {
      return;
    }
    CompletableFuture<Void> connected = new CompletableFuture<>();
    openChannel(connected);
    connected.whenComplete(
        (ok, err) -> {
          if (err != null) {
            loop.execute(this::scheduleReconnect);
            return;
          }
          LoginRequest creds = credentials;
          login(creds.userName(), creds.password())
              .thenCompose(
                  rsp -> {
                    Presence restore = chosenStatusSnapshot();
                    return restore == null
                        ? CompletableFuture.completedFuture(rsp)
                        : setStatus(restore).thenApply(v -> rsp);
                  })
              .whenComplete(
                  (rsp, loginErr) -> loop.execute(() -> afterReconnectLogin(rsp, loginErr)));
        });
  }

  private Presence chosenStatusSnapshot() {
    // Read on the event thread; the field is written only on the I/O thread before the reply that
    // leads here was dispatched, so the happens-before of the dispatch makes it visible.
    return chosenStatus;
  }

  private void afterReconnectLogin(LoginResponse rsp, Throwable err) {
    if (closed) {
      return;
    }
    if (err == null) {
      reconnecting = false;
      reconnectAttempt = 0;
      dispatch(() -> listener.onReconnected(rsp));
      return;
    }
    ImpsClientException e = ImpsClientException.unwrap(err);
    if (e instanceof ImpsException ie && ie.errorCode() == ErrorCode.BAD_CREDENTIALS) {
      giveUp(ie);
    } else if (channel != null) {
      // Anything else (rate limit, server error, timeout) is worth another try: drop this
      // connection, and its close schedules the next attempt.
      channel.close();
    }
  }

  private void giveUp(Throwable cause) {
    reconnecting = false;
    state = State.DISCONNECTED;
    if (channel != null) {
      Channel ch = channel;
      channel = null;
      ch.close();
    }
    dispatch(() -> listener.onReconnectFailed(cause));
  }

  private void openChannel(CompletableFuture<Void> done) {
    ChannelFuture cf = bootstrap.connect(options.host(), options.port());
    cf.addListener(
        f -> {
          if (!f.isSuccess()) {
            done.completeExceptionally(
                new ImpsConnectionException(
                    "cannot connect to "
                        + options.host()
                        + ":"
                        + options.port()
                        + ": "
                        + f.cause().getMessage(),
                    f.cause()));
            return;
          }
          Channel ch = cf.channel();
          if (closed) {
            ch.close();
            done.completeExceptionally(new ImpsConnectionException("client closed", null));
            return;
          }
          channel = ch;
          loggingOut = false;
          state = State.CONNECTED;
          done.complete(null);
        });
  }

  private void startHeartbeats() {
    stopHeartbeats();
    long every = options.heartbeatInterval().toNanos();
    if (every <= 0) {
      return;
    }
    heartbeatTask =
        loop.scheduleAtFixedRate(this::autoHeartbeat, every, every, TimeUnit.NANOSECONDS);
  }

  private void stopHeartbeats() {
    if (heartbeatTask != null) {
      heartbeatTask.cancel(false);
      heartbeatTask = null;
    }
  }

  private void autoHeartbeat() {
    Channel ch = channel;
    if (ch == null || state != State.LOGGED_IN) {
      return;
    }
    CompletableFuture<ImpsMessage> raw = new CompletableFuture<>();
    send(new HeartbeatRequest(nameOrEmpty(), List.of()), raw);
    raw.whenComplete(
        (reply, err) -> {
          if (err instanceof ImpsTimeoutException) {
            // An unanswered heartbeat means the connection is dead even if TCP has not noticed.
            log.info("heartbeat unanswered; closing the connection");
            ch.close();
          }
        });
  }

  private void failAll(String why) {
    for (Pending p : correlator.drain()) {
      if (p.timeoutTask != null) {
        p.timeoutTask.cancel(false);
      }
      if (!p.timedOut) {
        fail(p.future(), new ImpsConnectionException(why, null));
      }
    }
  }

  private void fail(CompletableFuture<?> f, Throwable t) {
    dispatch(() -> f.completeExceptionally(t));
  }

  /** Runs {@code r} on the event thread; if that has ended (closed), runs it here. */
  private void dispatch(Runnable r) {
    Runnable safe =
        () -> {
          try {
            r.run();
          } catch (RuntimeException e) {
            log.warn("listener or callback failed", e);
          }
        };
    try {
      events.execute(safe);
    } catch (RejectedExecutionException e) {
      safe.run();
    }
  }

  private String nameOrEmpty() {
    String n = userName;
    // Before login the server answers error 5 whatever the name; "" keeps the frame well-formed.
    return n != null ? n : credentials != null ? credentials.userName() : "";
  }

  private static <T extends ImpsMessage> T as(ImpsMessage reply, Class<T> type) {
    if (reply instanceof ErrorResponse e) {
      throw new ImpsException(e.code(), e.cmd());
    }
    return type.cast(reply);
  }

  private static Void ack(ImpsMessage reply) {
    ErrorResponse e = (ErrorResponse) reply;
    if (e.code() != ErrorCode.SUCCESS) {
      throw new ImpsException(e.code(), e.cmd());
    }
    return null;
  }

  /** The last step of the pipeline: frames in, closes out. */
  private final class InboundHandler extends ChannelInboundHandlerAdapter {
    private Throwable cause;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      onFrame(ctx.channel(), msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
      cause = t;
      log.debug("connection error", t);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onInactive(ctx.channel(), cause);
    }
  }
}
