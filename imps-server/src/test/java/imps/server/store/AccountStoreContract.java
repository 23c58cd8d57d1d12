package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Gender;
import imps.protocol.Presence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The {@link AccountStore} contract; one subclass per backend. */
public abstract class AccountStoreContract extends StoreContractBase {

  @Test
  void createReturnsTheAccountWithDefaults() {
    Optional<UserRecord> r =
        store
            .accounts()
            .create(new NewUser("Alice", "alice", "h1", Gender.FEMALE, "alice@example.org"));
    assertThat(r).isPresent();
    UserRecord u = r.get();
    assertThat(u.id()).isPositive();
    assertThat(u)
        .isEqualTo(
            new UserRecord(
                u.id(),
                "Alice",
                "alice",
                "h1",
                Gender.FEMALE,
                "alice@example.org",
                Presence.ONLINE,
                "",
                ""));
    assertThat(store.accounts().findById(u.id())).contains(u);
    assertThat(store.accounts().findByKey("alice")).contains(u);
  }

  @Test
  void passwordHashCanBeReplaced() {
    UserRecord u = user("Pat");
    store.accounts().setPasswordHash(u.id(), "new-hash");
    assertThat(store.accounts().findById(u.id()).orElseThrow().passwordHash())
        .isEqualTo("new-hash");
    assertThat(store.accounts().findByKey("pat").orElseThrow().passwordHash())
        .isEqualTo("new-hash");
  }

  @Test
  void nameKeyIsUniqueWhateverTheDisplayName() {
    UserRecord first = user("Bob");
    assertThat(
            store
                .accounts()
                .create(new NewUser("BOB", "bob", "other", Gender.UNSPECIFIED, "b@x.y")))
        .isEmpty();
    assertThat(
            store
                .accounts()
                .create(new NewUser("Bob", "bob", "other", Gender.UNSPECIFIED, "b@x.y")))
        .isEmpty();
    assertThat(store.accounts().findByKey("bob")).contains(first);
  }

  @Test
  void idsAreDistinctAndUnknownAccountsAreEmpty() {
    UserRecord a = user("a1");
    UserRecord b = user("b1");
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(store.accounts().findByKey("nobody")).isEmpty();
    assertThat(store.accounts().findById(Math.max(a.id(), b.id()) + 1000)).isEmpty();
  }

  @Test
  void nonAsciiNamesRoundTrip() {
    UserRecord u = user("Zoë_日本");
    assertThat(store.accounts().findByKey("zoë_日本")).contains(u);
  }

  @Test
  void statusPreferenceIsRemembered() {
    UserRecord u = user("carol");
    store.accounts().setStatusPreference(u.id(), Presence.INVISIBLE);
    assertThat(store.accounts().findById(u.id()).orElseThrow().statusPreference())
        .isEqualTo(Presence.INVISIBLE);
    store.accounts().setStatusPreference(u.id(), Presence.ONLINE);
    assertThat(store.accounts().findByKey("carol").orElseThrow().statusPreference())
        .isEqualTo(Presence.ONLINE);
  }

  @Test
  void concurrentCreatesOfOneNameYieldExactlyOneAccount() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Optional<UserRecord>>> tasks = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        int n = i;
        tasks.add(
            () ->
                store
                    .accounts()
                    .create(new NewUser("Race" + n, "race", "h" + n, Gender.UNSPECIFIED, "r@x.y")));
      }
      int created = 0;
      for (Future<Optional<UserRecord>> f : pool.invokeAll(tasks)) {
        created += f.get().isPresent() ? 1 : 0;
      }
      assertThat(created).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
