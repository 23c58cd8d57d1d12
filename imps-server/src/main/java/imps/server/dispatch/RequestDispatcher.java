package imps.server.dispatch;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.Ack;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.ResumeRequest;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.account.AccountService;
import imps.server.account.NameRules;
import imps.server.account.SessionTokens;
import imps.server.account.UserRef;
import imps.server.cluster.SessionRouter;
import imps.server.concurrent.Offload;
import imps.server.delivery.MessageCounts;
import imps.server.delivery.Push;
import imps.server.error.RequestException;
import imps.server.friend.FriendService;
import imps.server.limit.LogThrottle;
import imps.server.location.LocationService;
import imps.server.message.MessageService;
import imps.server.message.ReceiptService;
import imps.server.presence.PresenceService;
import imps.server.session.Connection;
import imps.server.session.Session;
import imps.server.store.StoreException;
import imps.server.store.UserRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each client request into exactly one reply (section 7.1) by calling the services; the login
 * sequence (7.2), resynchronisation and sign-out are {@link LoginFlow}'s, the social commands
 * {@link SocialRequests}', those of the features opted into one by one {@link FeatureRequests}'.
 * Called on the connection's event loop, one request at a time ({@link
 * imps.server.session.RequestQueue}); it never blocks there: messages go straight to the
 * asynchronous store, everything that reads the store or hashes a password runs on the blocking
 * pool. Thread-safe; one instance serves every session.
 */
public final class RequestDispatcher {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
  private static final LogThrottle FAILURE_LOG = new LogThrottle(Duration.ofSeconds(10));

  private final AccountService accounts;
  private final FriendService friends;
  private final MessageService messages;
  private final LocationService locations;
  private final PresenceService presence;
  private final SessionRouter router;
  private final Offload blocking;
  private final CommandLimits limits;
  private final LoginFlow logins;
  private final SocialRequests social;
  private final FeatureRequests features;
  private final AccountDeletion deletion;

  /** A dispatcher without rate limits per user (for tests of other things). */
  public RequestDispatcher(
      AccountService accounts,
      FriendService friends,
      MessageService messages,
      LocationService locations,
      PresenceService presence,
      SessionRouter router,
      Backlog backlog,
      SessionTokens tokens,
      ReceiptService receipts,
      Offload blocking) {
    this(
        accounts, friends, messages, locations, presence, router, backlog, tokens, receipts,
        blocking, null);
  }

  /**
   * @param blocking the pool for work that waits on the store or the network
   * @param limits the rate limits per user of each command class, or {@code null} for none
   */
  public RequestDispatcher(
      AccountService accounts,
      FriendService friends,
      MessageService messages,
      LocationService locations,
      PresenceService presence,
      SessionRouter router,
      Backlog backlog,
      SessionTokens tokens,
      ReceiptService receipts,
      Offload blocking,
      CommandLimits limits) {
    this.accounts = accounts;
    this.friends = friends;
    this.messages = messages;
    this.locations = locations;
    this.presence = presence;
    this.router = router;
    this.blocking = blocking;
    this.limits = limits;
    this.logins =
        new LoginFlow(
            accounts, messages, locations, presence, router, backlog, tokens, receipts, blocking,
            limits);
    this.deletion = new AccountDeletion(accounts, friends, messages);
    this.social =
        new SocialRequests(
            accounts, friends, messages, tokens, deletion, blocking, logins::signOut, limits);
    this.features =
        new FeatureRequests(accounts, messages, locations, receipts, blocking, friends, limits);
  }

  /**
   * Handles one request; the stage completes with its reply, or with {@code null} when the handler
   * wrote it (and what must follow it) itself. The transport hands over client-to-server commands
   * only.
   */
  public CompletionStage<ImpsMessage> handle(Session session, ImpsMessage request) {
    CompletionStage<ImpsMessage> stage;
    try {
      stage = dispatch(session, request);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failure(session, request, e));
    }
    return stage.exceptionally(e -> failure(session, request, Offload.cause(e)));
  }

  private ImpsMessage failure(Session session, ImpsMessage request, Throwable e) {
    CommandType cmd = request.commandType();
    if (e instanceof RequestException re) {
      if (limits != null
          && (request instanceof SendMessage || request instanceof AudioRequest)
          && session.isActive()) {
        return ErrorResponse.of(limits.messageRefused(session.userId(), re.code()), cmd);
      }
      return ErrorResponse.of(re.code(), cmd);
    }
    // A failing store fails every request: at most one line (with its stack) every few seconds.
    long left = FAILURE_LOG.admit();
    if (left >= 0 && e instanceof StoreException) {
      log.error("storage failed for {} of {} ({} more not logged)", cmd, session, left, e);
    } else if (left >= 0) {
      log.error("unexpected failure handling {} of {} ({} more not logged)", cmd, session, left, e);
    }
    return ErrorResponse.of(ErrorCode.SERVER_ERROR, cmd);
  }

  private CompletionStage<ImpsMessage> dispatch(Session s, ImpsMessage request) {
    Connection c = s.connection();
    if (request instanceof RegisterRequest r) {
      return accounts
          .register(r.userName(), r.password(), r.gender(), r.email(), c.remoteAddress())
          .<ImpsMessage>thenApply(RegisterResponse::new);
    }
    if (request instanceof LoginRequest r) {
      return logins.login(s, r);
    }
    if (request instanceof Hello r) {
      return logins.hello(s, r);
    }
    if (request instanceof ResumeRequest r) {
      return logins.resume(s, r);
    }
    if (!s.isActive()) {
      // Never logged in, or signed out / replaced while this request waited in the queue.
      throw new RequestException(ErrorCode.NOT_LOGGED_IN);
    }
    if (limits != null) {
      limits.admit(s.userId(), request);
    }
    if (request instanceof SendMessage r) {
      requireSelf(s, r.userName());
      return messages
          .sendText(
              s.userId(),
              s.userName(),
              r.friendName(),
              r.message(),
              clientId(s, r.clientMsgId()),
              s.has(Feature.RECEIPTS))
          .thenApply(x -> ack(r));
    }
    if (request instanceof AudioRequest r) {
      return messages
          .sendAudio(
              s.userId(),
              s.userName(),
              r.friendName(),
              r.data(),
              clientId(s, r.clientMsgId()),
              s.has(Feature.RECEIPTS))
          .thenApply(x -> ack(r));
    }
    if (request instanceof HeartbeatRequest r) {
      requireSelf(s, r.userName());
      if (r.fixes().isEmpty()) {
        return CompletableFuture.completedFuture(HeartbeatResponse.INSTANCE);
      }
      return blocking(
          () -> {
            locations.record(s.userId(), s.userName(), r.fixes(), s.isVisible());
            return HeartbeatResponse.INSTANCE;
          });
    }
    if (request instanceof FriendListRequest r) {
      requireSelf(s, r.userName());
      return blocking(() -> new FriendListResponse(friends.friendList(s.userId())));
    }
    if (request instanceof AddFriendRequest r) {
      requireSelf(s, r.userName());
      return blocking(
          () -> {
            Optional<? extends ImpsMessage> reply = friends.request(me(s), r.friendName());
            if (reply.isEmpty()) {
              return ack(r);
            }
            return limits == null
                ? reply.get()
                : limits.friendRequestAnswered(s.userId(), reply.get());
          });
    }
    if (request instanceof AddFriendAnswer r) {
      return blocking(
          () -> {
            Optional<ImpsMessage> forMe = friends.answer(me(s), r.userName(), r.accept());
            // The acknowledgement first, then the answering user's own S_ADDFRIEND_RSP.
            c.send(ack(r));
            forMe.ifPresent(m -> s.deliver(Push.of(m)));
            return null;
          });
    }
    if (request instanceof StatusNotifyRequest r) {
      requireSelf(s, r.userName());
      if (r.status() == Presence.OFFLINE) {
        return logins.signOutForGood(s, ack(r));
      }
      return blocking(() -> setStatus(s, r));
    }
    if (SocialRequests.handles(request)) {
      return social.handle(s, request);
    }
    if (FeatureRequests.handles(request)) {
      return features.handle(s, request);
    }
    if (request instanceof Ack) {
      // Only here when the connection has no acknowledged delivery (see ConnectionHandler).
      throw new RequestException(ErrorCode.NOT_PERMITTED, "C_ACK without acknowledged delivery");
    }
    throw new RequestException(ErrorCode.MALFORMED, "unexpected command");
  }

  /** The client message id of a send, used only when the connection opted into them. */
  private static long clientId(Session s, long id) {
    return s.has(Feature.IDEMPOTENT_SENDS) ? id : 0;
  }

  private ImpsMessage setStatus(Session s, StatusNotifyRequest r) {
    switch (r.status()) {
      case ONLINE, INVISIBLE -> {
        // Stored first: if that fails, nothing has changed (error 11 means "not applied").
        accounts.rememberStatus(s.userId(), r.status());
        s.setStatus(r.status());
        router.statusChanged(s);
        presence.announce(s);
        return ack(r);
      }
      case OFFLINE -> throw new IllegalStateException("sign-out is not a status change");
    }
    throw new IllegalStateException("status " + r.status());
  }

  /**
   * Resends what is stored for a live session's user, ahead of newer pushes; for when pushes to it
   * may have been lost on the way (see {@link imps.server.cluster.RoutedSession#resendStored}).
   * Runs on the session's request queue.
   */
  public CompletionStage<ImpsMessage> resync(Session s) {
    return logins.resync(s);
  }

  /**
   * The connection closed: friends see the user go offline unless a newer login replaced it. Runs
   * on the session's request queue, after the requests that were already running.
   */
  public CompletionStage<ImpsMessage> connectionClosed(Session s) {
    return logins.connectionClosed(s);
  }

  /**
   * A drain has begun: every later login or resume on a connection not logged in is answered
   * S_ERROR_RSP(32, its command) (PROTOCOL.md decision 44); logged-in sessions go on as before.
   */
  public void refuseLogins() {
    logins.refuseLogins();
  }

  /** The log of connections and logins (the transport reports connections to it). */
  public ActivityLog activity() {
    return logins.activity();
  }

  /** This node's counts of texts and clips stored and delivered (the admin command stats). */
  public MessageCounts messageCounts() {
    return messages.counts();
  }

  /** Account deletion, shared with the admin command {@code users delete}. */
  public AccountDeletion accountDeletion() {
    return deletion;
  }

  /**
   * An {@code S_FRIEND_REMOVED} push reached {@code s}: this node forgets that its user and {@code
   * formerFriend} were friends, before the user can learn of it (the friendship may have ended on
   * another node). Never blocks: the name is usually cached, otherwise it is looked up on the
   * blocking pool.
   */
  public void friendRemoved(Session s, String formerFriend) {
    long me = s.userId();
    Optional<UserRef> cached = accounts.lookupCached(formerFriend);
    if (cached != null) {
      cached.ifPresent(u -> messages.forgetFriendship(me, u.id()));
    } else {
      blocking.execute(
          () ->
              accounts.lookup(formerFriend).ifPresent(u -> messages.forgetFriendship(me, u.id())));
    }
  }

  private CompletableFuture<ImpsMessage> blocking(Supplier<ImpsMessage> work) {
    return blocking.supply(work);
  }

  private static void requireSelf(Session s, String userName) {
    // Clients nearly always send the name exactly as registered: skip the normalisation then.
    if (!userName.equals(s.userName()) && !NameRules.key(userName).equals(s.nameKey())) {
      throw new RequestException(ErrorCode.NOT_PERMITTED, "acting for another user");
    }
  }

  private UserRecord me(Session s) {
    return accounts
        .find(s.userName())
        .orElseThrow(() -> new RequestException(ErrorCode.SERVER_ERROR, "account vanished"));
  }

  private static ErrorResponse ack(ImpsMessage request) {
    return ErrorResponse.of(ErrorCode.SUCCESS, request.commandType());
  }
}
