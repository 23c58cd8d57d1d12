package imps.server.dispatch;

import imps.server.account.AccountService;
import imps.server.friend.FriendService;
import imps.server.message.MessageService;
import imps.server.store.UserRecord;
import java.util.List;
import java.util.Optional;

/**
 * Deleting an account: the one way for {@code C_DELETE_ACCOUNT} and the admin command {@code users
 * delete}. Whom to tell is read first (the friendships go with the account); then the account and
 * everything stored of it go in one store transaction ({@link AccountService#delete}); the message
 * service forgets the friendships it had cached; the former friends are told ({@code
 * S_STATUS_NOTIFY} offline first if they saw the user online, then {@code S_FRIEND_REMOVED} to
 * those opted into the friends extension). Closing the user's sessions is the caller's: the
 * client's own connection after its acknowledgement, or every node's for an operator.
 *
 * <p>Reads and writes the store on the calling thread: a worker or an admin thread, never an event
 * loop. Thread-safe.
 */
public final class AccountDeletion {

  /** What a deletion did: the account as it was, and how many former friends were told. */
  public record Deleted(UserRecord user, int friendsTold) {}

  private final AccountService accounts;
  private final FriendService friends;
  private final MessageService messages;

  AccountDeletion(AccountService accounts, FriendService friends, MessageService messages) {
    this.accounts = accounts;
    this.friends = friends;
    this.messages = messages;
  }

  /**
   * Deletes {@code user}'s account, whose deletion the caller has authorised.
   *
   * @param by who asked, for the security log: the client's address, or {@code admin}
   * @param seenOnline whether friends saw the user online until now (they are told offline first)
   * @return what was done; empty when the account was gone already
   */
  public Optional<Deleted> delete(UserRecord user, String by, boolean seenOnline) {
    List<Long> former = friends.friendIds(user.id());
    if (!accounts.delete(user, by)) {
      return Optional.empty();
    }
    former.forEach(id -> messages.forgetFriendship(user.id(), id));
    friends.accountDeleted(user.name(), former, seenOnline);
    return Optional.of(new Deleted(user, former.size()));
  }
}
