package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@link AdminStore} contract (address bans); one subclass per backend. */
public abstract class AdminStoreContract extends StoreContractBase {

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
