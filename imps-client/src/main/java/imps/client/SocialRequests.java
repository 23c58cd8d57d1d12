package imps.client;

import imps.protocol.Gender;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.BlockListRequest;
import imps.protocol.message.BlockListResponse;
import imps.protocol.message.BlockRequest;
import imps.protocol.message.ChangePassword;
import imps.protocol.message.DeleteAccount;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.Unfriend;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The friends-and-account requests of {@link ImpsClient} (registration, friend list, friend
 * requests, unfriend, block list, password change, account deletion): builds each request, sends it
 * on the connection and turns the reply into the SDK's types. The contracts are documented on
 * {@link ImpsClient}'s public methods, which delegate here.
 */
final class SocialRequests {
  private final ClientConnection connection;
  private final Logins logins;
  private final Runnable beforeSignOut;

  /**
   * @param beforeSignOut run on the I/O thread when the server accepted an account deletion (the
   *     connection closes next, as after a logout)
   */
  SocialRequests(ClientConnection connection, Logins logins, Runnable beforeSignOut) {
    this.connection = connection;
    this.logins = logins;
    this.beforeSignOut = beforeSignOut;
  }

  CompletableFuture<Boolean> register(String user, String password, Gender gender, String email) {
    RegisterRequest req =
        new RegisterRequest(
            Objects.requireNonNull(user, "user"),
            Objects.requireNonNull(password, "password"),
            Objects.requireNonNull(gender, "gender"),
            Objects.requireNonNull(email, "email"));
    return connection
        .request(req)
        .thenApply(reply -> Replies.as(reply, RegisterResponse.class).registered());
  }

  CompletableFuture<List<Friend>> friends() {
    return connection
        .request(new FriendListRequest(logins.nameOrEmpty()))
        .thenApply(
            reply ->
                Replies.as(reply, FriendListResponse.class).friends().stream()
                    .map(FromWire::friend)
                    .toList());
  }

  CompletableFuture<AddFriendResult> addFriend(String friendName) {
    Objects.requireNonNull(friendName, "friendName");
    return connection
        .request(new AddFriendRequest(logins.nameOrEmpty(), friendName))
        .thenApply(
            reply -> {
              if (reply instanceof ErrorResponse) {
                Replies.ack(reply);
                return new AddFriendResult(AddFriendResult.Outcome.SENT, friendName, null);
              }
              AddFriendResponse r = Replies.as(reply, AddFriendResponse.class);
              FriendRequestOutcome o = FromWire.outcome(r, friendName);
              return switch (r.result()) {
                case ACCEPTED ->
                    new AddFriendResult(AddFriendResult.Outcome.FRIENDS, o.user(), o.friend());
                case NO_SUCH_USER ->
                    new AddFriendResult(AddFriendResult.Outcome.NO_SUCH_USER, o.user(), null);
                case REFUSED ->
                    new AddFriendResult(AddFriendResult.Outcome.REFUSED, o.user(), null);
              };
            });
  }

  CompletableFuture<Void> answerFriendRequest(String requester, boolean accept) {
    Objects.requireNonNull(requester, "requester");
    return connection.request(new AddFriendAnswer(requester, accept)).thenApply(Replies::ack);
  }

  CompletableFuture<Void> unfriend(String friendName) {
    Objects.requireNonNull(friendName, "friendName");
    return connection.request(new Unfriend(friendName)).thenApply(Replies::ack);
  }

  /** {@code C_BLOCK} with 1 ({@code block}) or 0. */
  CompletableFuture<Void> block(String userName, boolean block) {
    Objects.requireNonNull(userName, "userName");
    return connection.request(new BlockRequest(userName, block)).thenApply(Replies::ack);
  }

  CompletableFuture<List<String>> blocked() {
    return connection
        .request(BlockListRequest.INSTANCE)
        .thenApply(reply -> Replies.as(reply, BlockListResponse.class).names());
  }

  CompletableFuture<Void> changePassword(String currentPassword, String newPassword) {
    Objects.requireNonNull(currentPassword, "currentPassword");
    Objects.requireNonNull(newPassword, "newPassword");
    return connection
        .request(
            new ChangePassword(currentPassword, newPassword),
            () -> {},
            reply -> {
              if (Replies.isSuccess(reply)) {
                logins.passwordChanged(newPassword);
              }
            })
        .thenApply(Replies::ack);
  }

  CompletableFuture<Void> deleteAccount(String password) {
    Objects.requireNonNull(password, "password");
    return connection
        .request(
            new DeleteAccount(password),
            () -> {},
            reply -> {
              if (Replies.isSuccess(reply)) {
                // Like a sign-out: the connection closes next, and there is nothing to log into.
                beforeSignOut.run();
              }
            })
        .thenApply(Replies::ack);
  }
}
