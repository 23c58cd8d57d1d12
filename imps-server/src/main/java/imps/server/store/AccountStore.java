package imps.server.store;

import imps.protocol.Presence;
import java.util.Optional;

/** Accounts. */
public interface AccountStore {

  /** Creates the account, or returns empty when its name key is taken. */
  Optional<UserRecord> create(NewUser user);

  Optional<UserRecord> findByKey(String nameKey);

  Optional<UserRecord> findById(long id);

  /** Remembers the status the user chose (online or invisible). */
  void setStatusPreference(long userId, Presence status);
}
