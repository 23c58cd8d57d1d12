package imps.server.store;

import imps.protocol.Presence;
import java.util.Optional;

/** Accounts. */
public interface AccountStore {

  /** Creates the account, or returns empty when its name key is taken. */
  Optional<UserRecord> create(NewUser user);

  Optional<UserRecord> findByKey(String nameKey);

  Optional<UserRecord> findById(long id);

  /** The highest sequence number the user acknowledged (0 for none). */
  long ackedSeq(long userId);

  /** The highest sequence number given to an item stored for the user (0 for none). */
  long lastSeq(long userId);

  /** Replaces the user's stored password hash (password change). */
  void setPasswordHash(long userId, String passwordHash);

  /**
   * Deletes the account and everything stored of it, in one transaction: messages and clips in both
   * directions, receipts, locations, session tokens, friendships, friend requests and their
   * outcomes, block-list entries both ways. The name is free again at once.
   *
   * @return whether there was such an account
   */
  boolean delete(long userId);

  /** Remembers the status the user chose (online or invisible). */
  void setStatusPreference(long userId, Presence status);
}
