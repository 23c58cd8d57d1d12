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
  void deletingAnAccountRemovesEverythingOfItAndFreesTheName() {
    UserRecord gone = user("Gone");
    UserRecord friend = user("Friend");
    UserRecord asker = user("Asker");
    UserRecord third = user("Third");
    store.friends().addRequest(gone.id(), friend.id(), 500);
    store.friends().addRequest(friend.id(), gone.id(), 500);
    store.friends().addRequest(asker.id(), gone.id(), 500);
    store.friends().addRequest(gone.id(), third.id(), 500);
    store.friends().answer(gone.id(), third.id(), false, 500);
    store.friends().block(gone.id(), asker.id());
    store.friends().block(third.id(), gone.id());
    store
        .messages()
        .append(new NewMessage(gone.id(), "Gone", friend.id(), "hi", null, "t", 7, 1, true));
    store
        .messages()
        .append(new NewMessage(friend.id(), "Friend", gone.id(), "yo", null, "t", 0, 1, false));
    store
        .messages()
        .append(
            new NewMessage(gone.id(), "Gone", friend.id(), null, new byte[] {1}, "t", 0, 1, false));
    store.messages().markRead(friend.id(), gone.id(), Long.MAX_VALUE);
    store
        .locations()
        .record(
            gone.id(),
            List.of(new Fix("2026-11-30 10:00:00", "E1N2")),
            true,
            java.time.Instant.EPOCH);
    store.tokens().issue(gone.id(), new byte[32], 0, Long.MAX_VALUE, 10);

    assertThat(store.accounts().delete(gone.id())).isTrue();

    assertThat(store.accounts().findById(gone.id())).isEmpty();
    assertThat(store.accounts().findByKey("gone")).isEmpty();
    assertThat(store.friends().friendIds(friend.id())).isEmpty();
    assertThat(store.friends().blocked(third.id())).isEmpty();
    assertThat(store.friends().undeliveredOutcomes(gone.id(), 0)).isEmpty();
    assertThat(store.messages().undelivered(friend.id(), 0, 100, 1 << 20)).isEmpty();
    assertThat(store.messages().unacknowledgedReceipts(gone.id(), 0)).isEmpty();
    assertThat(store.locations().history(gone.id())).isEmpty();
    assertThat(store.tokens().userOf(new byte[32], 1)).isEmpty();
    assertThat(store.accounts().delete(gone.id())).isFalse();
    // The name is free again, for a new account with nothing of the old one.
    UserRecord again = user("Gone");
    assertThat(again.id()).isNotEqualTo(gone.id());
    assertThat(store.friends().friendIds(again.id())).isEmpty();
    assertThat(store.friends().pendingFor(again.id())).isEmpty();
    assertThat(store.friends().areFriends(friend.id(), again.id())).isFalse();
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

  /** The health check's write probe commits through the writer and changes no data. */
  @Test
  void writeProbeCommitsWithoutChangingData() throws Exception {
    UserRecord before = user("Probe");
    store.probeWrite().get(30, java.util.concurrent.TimeUnit.SECONDS);
    store.probeWrite().get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(store.accounts().findById(before.id())).contains(before);
  }

  /** The admin queries: counts, a prefix search in key order, a password change. */
  @Test
  void adminQueries() {
    UserRecord bob = user("Bob");
    user("Bobby");
    user("Carol");
    assertThat(store.admin().counts().users()).isEqualTo(3);
    assertThat(store.admin().counts().messages()).isZero();
    assertThat(store.admin().listUsers("bob", 10).stream().map(UserRecord::name))
        .containsExactly("Bob", "Bobby");
    assertThat(store.admin().listUsers("", 2)).hasSize(2);
    assertThat(store.admin().listUsers("b%", 10)).isEmpty();
    assertThat(store.admin().setPasswordHash(bob.id(), "new-hash")).isTrue();
    assertThat(store.accounts().findById(bob.id()).orElseThrow().passwordHash())
        .isEqualTo("new-hash");
    assertThat(store.admin().setPasswordHash(-1, "x")).isFalse();
  }
}
