package imps.server.dispatch;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.account.AccountService;
import imps.server.account.NameRules;
import imps.server.cluster.SessionRouter;
import imps.server.delivery.Push;
import imps.server.error.RequestException;
import imps.server.friend.FriendService;
import imps.server.location.LocationService;
import imps.server.message.MessageService;
import imps.server.presence.PresenceService;
import imps.server.session.Connection;
import imps.server.session.Session;
import imps.server.store.StoreException;
import imps.server.store.UserRecord;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each client request into exactly one reply (section 7.1) by calling the services; also runs
 * the login sequence (7.2) and the sign-out of a closed connection. Runs on a session's request
 * queue, never on an event loop. Thread-safe; one instance serves every session.
 */
public final class RequestDispatcher {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  private final AccountService accounts;
  private final FriendService friends;
  private final MessageService messages;
  private final LocationService locations;
  private final PresenceService presence;
  private final SessionRouter router;
  private final Backlog backlog;

  public RequestDispatcher(
      AccountService accounts,
      FriendService friends,
      MessageService messages,
      LocationService locations,
      PresenceService presence,
      SessionRouter router,
      Backlog backlog) {
    this.accounts = accounts;
    this.friends = friends;
    this.messages = messages;
    this.locations = locations;
    this.presence = presence;
    this.router = router;
    this.backlog = backlog;
  }

  /** Handles one request and writes its reply (and anything that must follow it). */
  /**
   * Handles one request and writes its reply (and anything that must follow it). The transport
   * hands over client-to-server commands only.
   */
  public void handle(Session session, ImpsMessage request) {
    CommandType cmd = request.commandType();
    try {
      dispatch(session, request);
    } catch (RequestException e) {
      session.connection().send(ErrorResponse.of(e.code(), cmd));
    } catch (StoreException e) {
      log.error("storage failed for {} of {}", cmd, session, e);
      session.connection().send(ErrorResponse.of(ErrorCode.SERVER_ERROR, cmd));
    } catch (RuntimeException e) {
      log.error("unexpected failure handling {} of {}", cmd, session, e);
      session.connection().send(ErrorResponse.of(ErrorCode.SERVER_ERROR, cmd));
    }
  }

  private void dispatch(Session s, ImpsMessage request) {
    Connection c = s.connection();
    if (request instanceof RegisterRequest r) {
      boolean created =
          accounts.register(r.userName(), r.password(), r.gender(), r.email(), c.remoteAddress());
      c.send(new RegisterResponse(created));
      return;
    }
    if (request instanceof LoginRequest r) {
      login(s, r);
      return;
    }
    if (!s.isActive()) {
      // Never logged in, or signed out / replaced while this request waited in the queue.
      throw new RequestException(ErrorCode.NOT_LOGGED_IN);
    }
    if (request instanceof HeartbeatRequest r) {
      requireSelf(s, r.userName());
      locations.record(s.userId(), r.fixes(), s.isVisible());
      c.send(HeartbeatResponse.INSTANCE);
    } else if (request instanceof FriendListRequest r) {
      requireSelf(s, r.userName());
      c.send(new FriendListResponse(friends.friendList(s.userId())));
    } else if (request instanceof AddFriendRequest r) {
      requireSelf(s, r.userName());
      Optional<? extends ImpsMessage> reply = friends.request(me(s), r.friendName());
      c.send(reply.isPresent() ? reply.get() : ack(r));
    } else if (request instanceof AddFriendAnswer r) {
      Optional<ImpsMessage> forMe = friends.answer(me(s), r.userName(), r.accept());
      c.send(ack(r));
      forMe.ifPresent(m -> s.deliver(Push.of(m)));
    } else if (request instanceof SendMessage r) {
      requireSelf(s, r.userName());
      messages.sendText(s.userId(), s.userName(), r.friendName(), r.message());
      c.send(ack(r));
    } else if (request instanceof AudioRequest r) {
      messages.sendAudio(s.userId(), s.userName(), r.friendName(), r.data());
      c.send(ack(r));
    } else if (request instanceof StatusNotifyRequest r) {
      requireSelf(s, r.userName());
      setStatus(s, r);
    } else {
      throw new RequestException(ErrorCode.MALFORMED, "unexpected command");
    }
  }

  private void login(Session s, LoginRequest r) {
    if (s.isLoggedIn()) {
      throw new RequestException(ErrorCode.ALREADY_LOGGED_IN);
    }
    Connection c = s.connection();
    UserRecord user = accounts.authenticate(r.userName(), r.password(), c.remoteAddress());
    if (!c.isOpen()) {
      // The client is gone; logging it in would only kick the user's live session.
      return;
    }
    Presence status =
        user.statusPreference() == Presence.INVISIBLE ? Presence.INVISIBLE : Presence.ONLINE;
    s.startSync(user.id(), user.name(), user.nameKey(), status);
    s.setFriendsSee(router.claim(s));
    try {
      c.write(new LoginResponse(user.name(), user.gender(), user.email()), null);
      if (backlog.send(s, true)) {
        presence.announce(s);
      }
    } catch (RuntimeException e) {
      // S_LOGIN_RSP may be out already, so no second reply: end the session and close. What was
      // not delivered stays stored for the next login.
      log.error("login of {} failed after it was accepted", s, e);
      signOut(s);
      c.close();
    }
  }

  private void setStatus(Session s, StatusNotifyRequest r) {
    switch (r.status()) {
      case ONLINE, INVISIBLE -> {
        // Stored first: if that fails, nothing has changed (error 11 means "not applied").
        accounts.rememberStatus(s.userId(), r.status());
        s.setStatus(r.status());
        router.statusChanged(s);
        presence.announce(s);
        s.connection().send(ack(r));
      }
      case OFFLINE -> {
        signOut(s);
        s.connection().send(ack(r));
        s.connection().close();
      }
    }
  }

  /**
   * Resends what is stored for a live session's user, ahead of newer pushes; for when pushes to it
   * may have been lost on the way (see {@link imps.server.cluster.RoutedSession#resendStored}).
   * Runs on the session's request queue.
   */
  public void resync(Session s) {
    if (!s.restartSync()) {
      return;
    }
    try {
      backlog.send(s, false);
    } catch (RuntimeException e) {
      log.error("resynchronising {} failed", s, e);
      signOut(s);
      s.connection().close();
    }
  }

  /** The connection closed: friends see the user go offline unless a newer login replaced it. */
  public void connectionClosed(Session s) {
    signOut(s);
  }

  private void signOut(Session s) {
    if (s.end()) {
      presence.signedOut(s);
    }
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
