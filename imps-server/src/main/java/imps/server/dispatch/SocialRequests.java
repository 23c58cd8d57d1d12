package imps.server.dispatch;

import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.BlockListRequest;
import imps.protocol.message.BlockListResponse;
import imps.protocol.message.BlockRequest;
import imps.protocol.message.ChangePassword;
import imps.protocol.message.DeleteAccount;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.Unfriend;
import imps.server.account.AccountService;
import imps.server.account.SessionTokens;
import imps.server.concurrent.Offload;
import imps.server.error.RequestException;
import imps.server.friend.FriendService;
import imps.server.message.MessageService;
import imps.server.session.Connection;
import imps.server.session.Session;
import imps.server.store.UserRecord;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The requests of the friends-and-account extension (docs/PROTOCOL.md 8.5) for a logged-in session:
 * unfriend, block list, password change, account deletion. {@link RequestDispatcher} hands them
 * over; each runs on the blocking pool. Thread-safe.
 */
final class SocialRequests {
  private final AccountService accounts;
  private final FriendService friends;
  private final MessageService messages;
  private final SessionTokens tokens;
  private final Offload blocking;
  private final AccountDeletion deletion;
  private final Consumer<Session> signOut;
  private final CommandLimits limits;

  SocialRequests(
      AccountService accounts,
      FriendService friends,
      MessageService messages,
      SessionTokens tokens,
      AccountDeletion deletion,
      Offload blocking,
      Consumer<Session> signOut,
      CommandLimits limits) {
    this.limits = limits;
    this.deletion = deletion;
    this.signOut = signOut;
    this.accounts = accounts;
    this.tokens = tokens;
    this.friends = friends;
    this.messages = messages;
    this.blocking = blocking;
  }

  /** Whether {@code request} is one of this extension's commands. */
  static boolean handles(ImpsMessage request) {
    return request instanceof Unfriend
        || request instanceof BlockRequest
        || request instanceof BlockListRequest
        || request instanceof ChangePassword
        || request instanceof DeleteAccount;
  }

  /** Handles one of this extension's requests (see {@link #handles}). */
  CompletionStage<ImpsMessage> handle(Session s, ImpsMessage request) {
    if (!s.has(Feature.SOCIAL)) {
      throw new RequestException(ErrorCode.NOT_PERMITTED, "friends and account not opted into");
    }
    if (request instanceof Unfriend r) {
      return blocking.supply(
          () -> {
            UserRecord me = me(s);
            admitName(me, r.friendName());
            friends
                .unfriend(me, r.friendName())
                .ifPresent(other -> messages.forgetFriendship(me.id(), other.id()));
            return ack(r);
          });
    }
    if (request instanceof BlockRequest r) {
      return blocking.supply(
          () -> {
            UserRecord me = me(s);
            admitName(me, r.userName());
            friends
                .block(me, r.userName(), r.block())
                .ifPresent(other -> messages.forgetFriendship(me.id(), other.id()));
            return ack(r);
          });
    }
    if (request instanceof ChangePassword r) {
      return accounts
          .changePassword(
              s.userName(), r.oldPassword(), r.newPassword(), s.connection().remoteAddress())
          .thenApplyAsync(
              user -> {
                // Every device must log in with the new password: no token resumes a session.
                // This connection stays logged in; a user has no other session (a login on any
                // node replaces the older one through the SessionRouter).
                tokens.revokeAll(user.id());
                s.setToken(null);
                return ack(r);
              },
              blocking);
    }
    if (request instanceof DeleteAccount r) {
      return deleteAccount(s, r);
    }
    if (request instanceof BlockListRequest) {
      return blocking.supply(() -> new BlockListResponse(friends.blocked(s.userId())));
    }
    throw new RequestException(ErrorCode.MALFORMED, "unexpected command");
  }

  /**
   * Deletes the account once the password proves to be the current one (under the login throttle),
   * tells the former friends ({@link AccountDeletion}), acknowledges, then ends the session and
   * closes the connection; nothing more to reply.
   */
  private CompletionStage<ImpsMessage> deleteAccount(Session s, DeleteAccount r) {
    Connection c = s.connection();
    return accounts
        .authenticate(s.userName(), r.password(), c.remoteAddress())
        .thenApplyAsync(
            user -> {
              deletion.delete(user, c.remoteAddress(), s.friendsSee() == Presence.ONLINE);
              c.send(ack(r));
              signOut.accept(s);
              c.close();
              return null;
            },
            blocking);
  }

  /**
   * Names that turn out unknown are under the unknown-names budget here too, and once it is spent a
   * stranger's name is refused like an unknown one ({@link CommandLimits#admitStranger}).
   */
  private void admitName(UserRecord me, String name) {
    if (limits == null) {
      return;
    }
    Optional<UserRecord> other = accounts.find(name);
    if (other.isEmpty() || !friends.isFriendOrBlocked(me.id(), other.get().id())) {
      limits.admitStranger(me.id(), other.isPresent());
    }
  }

  private UserRecord me(Session s) {
    return accounts
        .find(s.userName())
        .orElseThrow(() -> new RequestException(ErrorCode.SERVER_ERROR, "account vanished"));
  }

  private static ImpsMessage ack(ImpsMessage request) {
    return ErrorResponse.of(ErrorCode.SUCCESS, request.commandType());
  }
}
