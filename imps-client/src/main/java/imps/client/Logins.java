package imps.client;

import imps.client.ConnectionState.Connected;
import imps.client.ConnectionState.LoggedIn;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.ResumeRequest;
import io.netty.channel.Channel;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * How the client logs in: with the password ({@code C_LOGIN_REQ}), after opting into the extensions
 * ({@code C_HELLO}, unless {@link ClientOptions#legacy()}), or, on reconnection, with the session
 * token ({@code C_RESUME}) and the password when the token is refused; and the session bookkeeping
 * when the login reply arrives (user name, granted extensions, token, acknowledgements, waiting
 * sends, heartbeats, {@link ImpsListener#onLoggedIn}).
 *
 * <p>Fields are written on the I/O thread (reply hooks) and read from any thread.
 */
final class Logins {
  /** The extension protocol version this client speaks. */
  private static final int EXTENSION_VERSION = 1;

  private final ClientOptions options;
  private final ClientConnection connection;
  private final ImpsListener listener;
  private final Reconnector reconnector;
  private final Deliveries deliveries;
  private final Outbox outbox;
  private final Heartbeats heartbeats;
  private volatile String userName;
  private volatile Set<Feature> helloGranted = Set.of(); // from the last S_HELLO
  private volatile Set<Feature> granted = Set.of(); // of the current (or last) login
  private volatile HelloResponse helloLimits; // from the last S_HELLO, or null
  private volatile HelloResponse limits; // announced at the current (or last) login, or null
  private volatile String token; // the session token for C_RESUME, or null

  Logins(
      ClientOptions options,
      ClientConnection connection,
      ImpsListener listener,
      Reconnector reconnector,
      Deliveries deliveries,
      Outbox outbox,
      Heartbeats heartbeats) {
    this.options = options;
    this.connection = connection;
    this.listener = listener;
    this.reconnector = reconnector;
    this.deliveries = deliveries;
    this.outbox = outbox;
    this.heartbeats = heartbeats;
  }

  /** The user name as registered, once logged in; {@code null} before the first login. */
  String userName() {
    return userName;
  }

  /** The extensions granted at the current (or last) login. */
  Set<Feature> extensions() {
    return granted;
  }

  /**
   * The largest clip to send: the server's {@code max-audio-bytes} as it announced it at the login
   * ({@code S_HELLO}), or {@link ClientOptions#maxAudioBytes()} when it did not (a legacy login).
   */
  int maxAudioBytes() {
    HelloResponse h = limits;
    return h != null && h.maxAudioBytes() > 0 ? h.maxAudioBytes() : options.maxAudioBytes();
  }

  /** The longest text to send, as {@link #maxAudioBytes()}: announced, else the option. */
  int maxMessageChars() {
    HelloResponse h = limits;
    return h != null && h.maxMessageChars() > 0 ? h.maxMessageChars() : options.maxMessageChars();
  }

  /** The name requests carry: the logged-in user's, the last one tried, or "". */
  String nameOrEmpty() {
    String n = userName;
    // Before login the server answers error 5 whatever the name; "" keeps the frame well-formed.
    if (n != null) {
      return n;
    }
    String last = reconnector.lastUser();
    return last != null ? last : "";
  }

  /** {@link ImpsClient#login}: the arguments checked, then {@link #login(LoginRequest)}. */
  CompletableFuture<Account> login(String user, String password) {
    return login(
        new LoginRequest(
            Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password")));
  }

  /** Says hello (unless legacy), then logs in with the password. */
  CompletableFuture<Account> login(LoginRequest req) {
    hello();
    return passwordLogin(req);
  }

  /**
   * Reconnection: logs in on the new channel, resuming with the session token when there is one,
   * with the password when there is none or the server refuses it.
   */
  CompletableFuture<Account> loginAgain(LoginRequest credentials) {
    String withToken = token;
    if (withToken == null || options.legacy()) {
      return login(credentials);
    }
    hello();
    return resume(credentials, withToken)
        .exceptionallyCompose(
            e -> {
              if (ImpsClientException.unwrap(e) instanceof ImpsRefusedException r
                  && (r.errorCode() == ErrorCode.BAD_CREDENTIALS
                      || r.errorCode() == ErrorCode.NOT_PERMITTED)) {
                // Expired, revoked, or a server without acknowledged delivery now.
                token = null;
                return passwordLogin(credentials);
              }
              return CompletableFuture.failedFuture(e);
            });
  }

  /**
   * I/O thread: the server accepted a new password and revoked every session token; reconnection
   * logs in with the new password from now on.
   */
  void passwordChanged(String newPassword) {
    token = null;
    String user = reconnector.lastUser();
    if (user != null) {
      reconnector.loggedIn(new LoginRequest(user, newPassword));
    }
  }

  /** The user signs out: the server revokes the token. */
  void signingOut() {
    token = null;
  }

  private CompletableFuture<Account> passwordLogin(LoginRequest req) {
    return connection
        .request(req, () -> {}, reply -> afterLogin(req, reply, 0))
        .thenApply(reply -> FromWire.account(Replies.as(reply, LoginResponse.class)));
  }

  /**
   * Opts into the extensions ({@code C_HELLO}) unless the options say legacy or the client is
   * logged in; the login request follows at once, without waiting for {@code S_HELLO}. A server
   * that does not know the command answers an error: the login is then a legacy one.
   */
  private void hello() {
    if (options.legacy() || connection.state() instanceof LoggedIn) {
      return;
    }
    connection.request(
        // Every feature but NOTICES: the SDK has no listener for operator notices (S_NOTICE) yet.
        // UNREAD comes with RECEIPTS, which the server requires for it.
        new Hello(EXTENSION_VERSION, EnumSet.complementOf(EnumSet.of(Feature.NOTICES))),
        () -> {
          helloGranted = Set.of();
          helloLimits = null;
        },
        reply -> {
          if (reply instanceof HelloResponse h) {
            helloGranted = h.features();
            helloLimits = h;
          }
        });
  }

  /** Logs in with the session token ({@code C_RESUME}), saying what the listener has had. */
  private CompletableFuture<Account> resume(LoginRequest credentials, String withToken) {
    long lastSeq = deliveries.handled();
    ResumeRequest req = new ResumeRequest(credentials.userName(), withToken, lastSeq);
    return connection
        .request(req, () -> {}, reply -> afterLogin(credentials, reply, lastSeq))
        .thenApply(reply -> FromWire.account(Replies.as(reply, LoginResponse.class)));
  }

  /**
   * I/O thread: the login reply arrived. Runs before anyone sees it, so that a request made right
   * after the login completes already carries the user name, and so that {@link
   * ImpsListener#onLoggedIn} comes before the pushes that follow.
   *
   * @param carriedSeq the sequence number a resume told the server, 0 for a password login
   */
  private void afterLogin(LoginRequest req, ImpsMessage reply, long carriedSeq) {
    if (!(reply instanceof LoginResponse rsp)) {
      return;
    }
    String before = userName;
    if (before != null && !Correlator.sameName(before, rsp.userName())) {
      deliveries.reset(); // sequence numbers are per user
    }
    userName = rsp.userName();
    reconnector.loggedIn(req);
    Set<Feature> features = helloGranted;
    granted = features;
    limits = helloLimits;
    token = rsp.token();
    Channel ch = connection.state().channel();
    if (connection.state() instanceof Connected c) {
      connection.moveTo(new LoggedIn(c.channel()));
    }
    deliveries.loggedIn(ch, features.contains(Feature.ACKS), carriedSeq);
    outbox.loggedIn(ch, features.contains(Feature.IDEMPOTENT_SENDS));
    heartbeats.start();
    Account account = FromWire.account(rsp);
    connection.dispatch(() -> listener.onLoggedIn(account));
  }
}
