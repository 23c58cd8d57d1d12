package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link LocationStore} contract; one subclass per backend. */
public abstract class LocationStoreContract extends StoreContractBase {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  private LocationStore locations() {
    return store.locations();
  }

  @Test
  void sharedFixesBecomeThePositionFriendsSee() {
    UserRecord u = user("walker");
    List<Fix> fixes =
        List.of(
            new Fix("2024-01-01 10:00:00", "23.34,113.43"),
            new Fix("2024-01-01 10:01:00", "23.35,113.44"));
    locations().record(u.id(), fixes, true, T0);
    assertThat(locations().history(u.id())).isEqualTo(fixes);
    UserRecord after = store.accounts().findById(u.id()).orElseThrow();
    assertThat(after.sharedTime()).isEqualTo("2024-01-01 10:01:00");
    assertThat(after.sharedLocation()).isEqualTo("23.35,113.44");
  }

  @Test
  void unsharedFixesAreHistoryOnly() {
    UserRecord u = user("ghost");
    locations().record(u.id(), List.of(new Fix("2024-01-01 10:00:00", "1,2")), true, T0);
    locations().record(u.id(), List.of(new Fix("2024-01-01 11:00:00", "3,4")), false, T0);
    assertThat(locations().history(u.id()))
        .containsExactly(
            new Fix("2024-01-01 10:00:00", "1,2"), new Fix("2024-01-01 11:00:00", "3,4"));
    UserRecord after = store.accounts().findById(u.id()).orElseThrow();
    assertThat(after.sharedLocation()).isEqualTo("1,2");
    assertThat(after.sharedTime()).isEqualTo("2024-01-01 10:00:00");
  }

  @Test
  void noFixesChangeNothing() {
    UserRecord u = user("still");
    locations().record(u.id(), List.of(), true, T0);
    assertThat(locations().history(u.id())).isEmpty();
    assertThat(store.accounts().findById(u.id()).orElseThrow().sharedLocation()).isEmpty();
  }

  @Test
  void historyIsPerUserInOrder() {
    UserRecord a = user("a");
    UserRecord b = user("b");
    locations().record(a.id(), List.of(new Fix("2024-01-01 10:00:00", "1,1")), true, T0);
    locations().record(b.id(), List.of(new Fix("2024-01-01 10:00:00", "2,2")), true, T0);
    locations().record(a.id(), List.of(new Fix("2024-01-01 09:00:00", "3,3")), true, T0);
    assertThat(locations().history(a.id()))
        .containsExactly(
            new Fix("2024-01-01 10:00:00", "1,1"), new Fix("2024-01-01 09:00:00", "3,3"));
    assertThat(locations().history(b.id())).containsExactly(new Fix("2024-01-01 10:00:00", "2,2"));
  }

  @Test
  void purgeDeletesOnlyFixesRecordedBeforeTheCutoff() {
    UserRecord a = user("a");
    UserRecord b = user("b");
    locations()
        .record(
            a.id(),
            List.of(new Fix("2024-01-01 10:00:00", "1,1"), new Fix("2024-01-01 10:00:01", "1,2")),
            true,
            T0);
    locations().record(b.id(), List.of(new Fix("2024-01-01 10:00:00", "2,2")), true, T0);
    locations()
        .record(
            a.id(), List.of(new Fix("2024-01-02 10:00:00", "5,5")), true, T0.plusSeconds(86400));
    assertThat(locations().purgeRecordedBefore(T0)).isZero();
    assertThat(locations().purgeRecordedBefore(T0.plusSeconds(3600))).isEqualTo(3);
    assertThat(locations().history(a.id())).containsExactly(new Fix("2024-01-02 10:00:00", "5,5"));
    assertThat(locations().history(b.id())).isEmpty();
    // The shared position is the user's, not history: it stays.
    assertThat(store.accounts().findById(b.id()).orElseThrow().sharedLocation()).isEqualTo("2,2");
    assertThat(locations().purgeRecordedBefore(T0.plusSeconds(3600))).isZero();
  }
}
