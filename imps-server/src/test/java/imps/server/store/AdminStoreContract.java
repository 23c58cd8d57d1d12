package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@link AdminStore} contract (counts, address bans); one subclass per backend. */
public abstract class AdminStoreContract extends StoreContractBase {

  @Test
  void countsSplitTextsFromClipsAndTellWhatWaitsForDelivery() {
    AdminStore admin = store.admin();
    assertThat(admin.counts()).isEqualTo(new AdminStore.Counts(0, 0, 0, 0, 0));
    UserRecord a = user("CountA");
    UserRecord b = user("CountB");
    MessageStore m = store.messages();
    long t1 =
        m.append(new NewMessage(a.id(), "CountA", b.id(), "one", null, "t", 0, 1, false))
            .message()
            .id();
    m.append(new NewMessage(a.id(), "CountA", b.id(), "two", null, "t", 0, 1, false));
    m.append(new NewMessage(b.id(), "CountB", a.id(), "three", null, "t", 0, 1, false));
    long c1 =
        m.append(new NewMessage(a.id(), "CountA", b.id(), null, new byte[] {1}, "t", 0, 1, false))
            .message()
            .id();
    m.append(new NewMessage(b.id(), "CountB", a.id(), null, new byte[] {2}, "t", 0, 1, false));
    m.markDelivered(java.util.List.of(t1, c1));
    // users; texts held and undelivered; clips held and undelivered.
    assertThat(admin.counts()).isEqualTo(new AdminStore.Counts(2, 3, 2, 2, 1));
  }

  @Test
  void usersAreListedInKeyOrderByPrefixUpToTheLimit() {
    user("Alice");
    user("alfred");
    user("Bob");
    user("ALBERT");
    AdminStore admin = store.admin();
    assertThat(admin.listUsers("", 10))
        .extracting(UserRecord::name)
        .containsExactly("ALBERT", "alfred", "Alice", "Bob");
    assertThat(admin.listUsers("al", 10))
        .extracting(UserRecord::name)
        .containsExactly("ALBERT", "alfred", "Alice");
    assertThat(admin.listUsers("al", 2))
        .extracting(UserRecord::name)
        .containsExactly("ALBERT", "alfred");
    assertThat(admin.listUsers("alic", 10)).extracting(UserRecord::name).containsExactly("Alice");
    // The prefix is taken literally: no LIKE wildcards.
    assertThat(admin.listUsers("a%", 10)).isEmpty();
    assertThat(admin.listUsers("_", 10)).isEmpty();
    assertThat(admin.listUsers("carol", 10)).isEmpty();
  }

  @Test
  void aPasswordHashIsReplaced() {
    UserRecord u = user("Hashed");
    AdminStore admin = store.admin();
    assertThat(admin.setPasswordHash(u.id(), "!new-hash")).isTrue();
    assertThat(store.accounts().findById(u.id()).orElseThrow().passwordHash())
        .isEqualTo("!new-hash");
    assertThat(admin.setPasswordHash(u.id() + 1000, "other")).isFalse();
  }

  @Test
  void addressBansAreAddedListedInOrderAndRemoved() {
    AdminStore admin = store.admin();
    assertThat(admin.addressBans()).isEmpty();
    assertThat(admin.addAddressBan("203.0.113.0/24", 1_000)).isTrue();
    assertThat(admin.addAddressBan("2001:db8::/32", 2_000)).isTrue();
    // Adding one again changes nothing, not even its time.
    assertThat(admin.addAddressBan("203.0.113.0/24", 3_000)).isFalse();
    assertThat(admin.addressBans())
        .containsExactly(
            new AdminStore.AddressBan("2001:db8::/32", 2_000),
            new AdminStore.AddressBan("203.0.113.0/24", 1_000));

    assertThat(admin.removeAddressBan("203.0.113.0/24")).isTrue();
    assertThat(admin.removeAddressBan("203.0.113.0/24")).isFalse();
    assertThat(admin.addressBans())
        .containsExactly(new AdminStore.AddressBan("2001:db8::/32", 2_000));
  }
}
