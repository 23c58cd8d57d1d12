package imps.server.dispatch;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.ResumeRequest;
import imps.server.account.AccountService;
import imps.server.account.SessionTokens;
import imps.server.cluster.SessionRouter;
import imps.server.concurrent.Offload;
import imps.server.error.RequestException;
import imps.server.location.LocationService;
import imps.server.message.MessageService;
import imps.server.message.ReceiptService;
import imps.server.presence.PresenceService;
import imps.server.session.Connection;
import imps.server.session.Session;
import imps.server.store.UserRecord;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a session for {@link RequestDispatcher}: C_HELLO, the login sequence (7.2) by
 * password or by session token (C_RESUME), the resynchronisation of a live session and the sign-out
 * of a closed one. Like the dispatcher it runs on the connection's event loop and never blocks
 * there: authentication, claiming the user and announcing to friends run on the blocking pool.
 * Thread-safe; one instance serves every session.
 */
final class LoginFlow {
  // The dispatcher's logger: operators filter on it for the login sequence as before the split.
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  private static final int PROTOCOL_VERSION = 1;
  private static final Set<Feature> SUPPORTED =
      EnumSet.of(
          Feature.ACKS,
          Feature.IDEMPOTENT_SENDS,
          Feature.RECEIPTS,
          Feature.SOCIAL,
          Feature.HISTORY,
          Feature.LIVE_LOCATIONS,
          Feature.TRACKS,
          Feature.NOTICES,
          Feature.UNREAD);

  private final AccountService accounts;
  private final MessageService messages;
  private final LocationService locations;
  private final PresenceService presence;
  private final SessionRouter router;
  private final Backlog backlog;
  private final SessionTokens tokens;
  private final LoginCredentials credentials;
  private final ReceiptService receipts;
  private final Offload blocking;
  private final CommandLimits limits;
  private final ActivityLog activity = new ActivityLog();
  private final ResumePoints resumePoints = new ResumePoints();
  // Set once by a drain (admin drain): no new login from then on (PROTOCOL.md decision 44).
  private volatile boolean refusingLogins;

  /**
   * @param limits the rate limits per user of each command class, or {@code null} for none
   */
  LoginFlow(
      AccountService accounts,
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
    this.messages = messages;
    this.locations = locations;
    this.presence = presence;
    this.router = router;
    this.backlog = backlog;
    this.tokens = tokens;
    this.credentials = new LoginCredentials(accounts, tokens);
    this.receipts = receipts;
    this.blocking = blocking;
    this.limits = limits;
  }

  /**
   * From now on a login or resume on a connection that is not logged in is refused with
   * S_ERROR_RSP(32, its command): the server is draining (PROTOCOL.md decision 44). Sessions
   * already logged in are served as before; a login whose password check had already begun may
   * still complete, and is drained like any other session.
   */
  void refuseLogins() {
    refusingLogins = true;
  }

  private void refuseIfDraining() {
    if (refusingLogins) {
      throw new RequestException(ErrorCode.SHUTTING_DOWN, "login during a drain");
    }
  }

  /** Opts the connection into extensions, before login; answers with what it grants. */
  CompletionStage<ImpsMessage> hello(Session s, Hello r) {
    if (s.isLoggedIn()) {
      throw new RequestException(ErrorCode.NOT_PERMITTED, "C_HELLO after login");
    }
    Set<Feature> granted = EnumSet.noneOf(Feature.class);
    granted.addAll(r.features());
    granted.retainAll(SUPPORTED);
    if (!granted.contains(Feature.ACKS)) {
      // Receipts come as stored items, acknowledged like the others.
      granted.remove(Feature.RECEIPTS);
    }
    if (!granted.contains(Feature.RECEIPTS)) {
      // Unread counts follow the C_READs of a client that has them.
      granted.remove(Feature.UNREAD);
    }
    s.setFeatures(granted);
    return CompletableFuture.completedFuture(
        new HelloResponse(
            PROTOCOL_VERSION, granted, messages.maxMessageChars(), messages.maxAudioBytes()));
  }

  /** C_RESUME: a login with a session token instead of the password (acknowledged delivery). */
  CompletionStage<ImpsMessage> resume(Session s, ResumeRequest r) {
    if (s.isLoggedIn()) {
      throw new RequestException(ErrorCode.ALREADY_LOGGED_IN);
    }
    refuseIfDraining();
    if (!s.has(Feature.ACKS)) {
      throw new RequestException(ErrorCode.NOT_PERMITTED, "C_RESUME without acknowledged delivery");
    }
    Connection c = s.connection();
    return accounts
        .authenticateByToken(r.userName(), c.remoteAddress(), () -> tokens.userOf(r.token()))
        .thenCompose(
            user -> {
              if (!c.isOpen()) {
                return CompletableFuture.completedFuture(null);
              }
              return Offload.supplyOn(
                      blocking,
                      () -> {
                        admitLogin(user);
                        claim(s, user);
                        if (!credentials.unchanged(user)
                            || !credentials.tokenStillOf(r.token(), user)) {
                          return refuse(s, CommandType.C_RESUME);
                        }
                        // What the client has for sure of the ended connection is delivered: the
                        // backlog starts after it (ResumePoints says why not simply lastSeq).
                        long cover = resumePoints.cover(user.id(), r.lastSeq());
                        if (cover > 0) {
                          receipts.acknowledged(java.util.Map.of(user.id(), cover));
                        }
                        return true;
                      })
                  .thenCompose(
                      live ->
                          live
                              ? afterLogin(s, user, r.token())
                              : CompletableFuture.completedFuture(null));
            });
  }

  CompletionStage<ImpsMessage> login(Session s, LoginRequest r) {
    if (s.isLoggedIn()) {
      throw new RequestException(ErrorCode.ALREADY_LOGGED_IN);
    }
    refuseIfDraining();
    Connection c = s.connection();
    return accounts
        .authenticate(r.userName(), r.password(), c.remoteAddress())
        .thenCompose(
            user -> {
              admitLogin(user);
              if (!c.isOpen()) {
                // The client is gone; logging it in would only kick the user's live session.
                return CompletableFuture.completedFuture(null);
              }
              // On the pool already when the password check ran there: no hand-off to another
              // thread.
              return Offload.supplyOn(
                      blocking,
                      () -> {
                        claim(s, user);
                        return credentials.unchanged(user) || refuse(s, CommandType.C_LOGIN_REQ);
                      })
                  .thenCompose(
                      live ->
                          live
                              ? afterLogin(s, user, null)
                              : CompletableFuture.completedFuture(null));
            });
  }

  /** Takes a login from the user's login rate, or refuses it with error 10. */
  private void admitLogin(UserRecord user) {
    if (limits != null) {
      limits.admitLogin(user.id());
    }
  }

  /**
   * Ends a login whose credentials a ban, a password change or a deletion made stale after they
   * were checked, once the session has taken over (so that either that change's kick of the user's
   * sessions found this one, or the check before this call saw the change). Returns false.
   *
   * <p>Refused rather than logged in and kicked: S_LOGIN_RSP is not out yet, so the client gets the
   * one reply a login a moment later would get, S_ERROR_RSP(6, its command) (PROTOCOL.md 4: wrong
   * user name or password; what a banned, deleted or old password gets), a frame legacy clients
   * know; and nothing of the backlog is written (to a legacy client, written counts as delivered),
   * friends never see the user come online. The session ends as a ban's kick ends it (signed out,
   * connection closed): it had taken over already, the older connection was told 7 and closed, and
   * a connection's session is not started twice. Blocking: runs on a worker.
   */
  private boolean refuse(Session s, CommandType command) {
    log.info("login of {} refused: its account changed after the check", s);
    signOut(s);
    s.connection().send(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, command));
    s.connection().close();
    return false;
  }

  /** Makes the session its user's current one; an older session is told and closed first. */
  private Void claim(Session s, UserRecord user) {
    Presence status =
        user.statusPreference() == Presence.INVISIBLE ? Presence.INVISIBLE : Presence.ONLINE;
    s.startSync(user.id(), user.name(), user.nameKey(), status);
    s.setFriendsSee(router.claim(s));
    return null;
  }

  /**
   * S_LOGIN_RSP, the backlog, then the announcement to friends; nothing more to reply. A client
   * that opted into extensions also gets the status it logged in with and, with acknowledged
   * delivery, a session token ({@code resumedWith}, or a new one).
   */
  private CompletionStage<ImpsMessage> afterLogin(Session s, UserRecord user, String resumedWith) {
    Connection c = s.connection();
    activity.loggedIn(
        user.name(),
        c.remoteAddress(),
        resumedWith != null,
        s.features().isEmpty() ? "" : s.features().toString());
    if (s.features().isEmpty()) {
      c.write(new LoginResponse(user.name(), user.gender(), user.email()), null);
    } else {
      String token = null;
      if (s.has(Feature.ACKS)) {
        token = resumedWith != null ? resumedWith : credentials.issueToken(user);
        s.setToken(token);
      }
      c.write(
          new LoginResponse(
              user.name(),
              user.gender(),
              user.email(),
              s.status(),
              token,
              token == null ? 0 : (int) tokens.ttl().toSeconds()),
          null);
    }
    return backlog
        .send(s, true)
        .thenCompose(
            live ->
                live
                    // On the thread that ended the backlog when that is a worker already (a
                    // login with nothing stored): no hand-off (docs/BENCHMARKS.md).
                    ? Offload.supplyOn(
                        blocking,
                        () -> {
                          presence.announce(s);
                          return (ImpsMessage) null;
                        })
                    : CompletableFuture.completedFuture((ImpsMessage) null))
        .exceptionally(
            e -> {
              // S_LOGIN_RSP is out already, so no second reply: end the session and close. What was
              // not delivered stays stored for the next login.
              log.warn(
                  "login of {} failed after it was accepted: {}", s, Offload.cause(e).toString());
              blocking.execute(() -> signOut(s));
              c.close();
              return null;
            });
  }

  /**
   * Resends what is stored for a live session's user, ahead of newer pushes; for when pushes to it
   * may have been lost on the way (see {@link imps.server.cluster.RoutedSession#resendStored}).
   * Runs on the session's request queue.
   */
  CompletionStage<ImpsMessage> resync(Session s) {
    if (!s.restartSync()) {
      return CompletableFuture.completedFuture(null);
    }
    return backlog
        .send(s, false)
        .handle(
            (live, e) -> {
              if (e != null) {
                log.error("resynchronising {} failed", s, Offload.cause(e));
                blocking.execute(() -> signOut(s));
                s.connection().close();
              }
              return null;
            });
  }

  /**
   * The connection closed: friends see the user go offline unless a newer login replaced it. Runs
   * on the session's request queue, after the requests that were already running. The deliveries
   * the connection made (released when it closed) are committed first, so that "offline" implies
   * "its deliveries are on record": a login right after, on any node, does not bring them again.
   */
  CompletionStage<ImpsMessage> connectionClosed(Session s) {
    resumePoints.ended(s);
    if (!s.isActive()) {
      s.end();
      return CompletableFuture.completedFuture(null);
    }
    return backlog
        .marksCommitted()
        .thenApplyAsync(
            x -> {
              signOut(s);
              return null;
            },
            blocking);
  }

  /**
   * C_STATUS_NOTIFY(OFFLINE): this device's session ends for good (its token is revoked). The
   * acknowledgement is written on the connection's thread before the request counts as done, so
   * that a reply to a request queued behind it (error 5: signed out) comes after it.
   */
  CompletionStage<ImpsMessage> signOutForGood(Session s, ImpsMessage ack) {
    return CompletableFuture.runAsync(
            () -> {
              if (s.token() != null) {
                tokens.revoke(s.token());
              }
              signOut(s);
            },
            blocking)
        .thenApplyAsync(
            x -> {
              s.connection().send(ack);
              s.connection().close();
              return null;
            },
            s.connection().executor());
  }

  /** Ends the session once: friends see the user go offline, its locations are dropped. */
  void signOut(Session s) {
    if (s.end()) {
      presence.signedOut(s);
      locations.signedOut(s.userId());
      activity.loggedOut(s.userName());
    }
  }

  /** The log of connections and logins (the transport reports connections to it). */
  ActivityLog activity() {
    return activity;
  }
}
