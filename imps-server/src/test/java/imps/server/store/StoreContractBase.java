package imps.server.store;

import imps.protocol.Gender;
import java.time.Clock;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every store contract test shares: a fresh, empty store per test (from the backend's
 * subclass) and helpers to make users.
 */
public abstract class StoreContractBase {
  protected Store store;

  /** Opens an empty store of the backend under test. */
  protected abstract Store openStore(Clock clock) throws Exception;

  @BeforeEach
  void openStoreForTest() throws Exception {
    store = openStore(Clock.systemUTC());
  }

  @AfterEach
  void closeStoreAfterTest() {
    if (store != null) {
      store.close();
    }
  }

  protected UserRecord user(String name) {
    return store
        .accounts()
        .create(
            new NewUser(
                name, name.toLowerCase(Locale.ROOT), "hash-" + name, Gender.MALE, name + "@x.y"))
        .orElseThrow();
  }
}
