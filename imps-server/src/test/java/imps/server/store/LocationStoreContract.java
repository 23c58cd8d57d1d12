package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
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

  private static final long BASE = Instant.parse("2026-11-28T12:00:00Z").toEpochMilli();

  /** A fix {@code seconds} after BASE at {@code lat,lon}. */
  private static Fix at(int seconds, String location) {
    Instant t = Instant.ofEpochMilli(BASE + seconds * 1000L);
    return new Fix(t.toString(), location, t);
  }

  private static List<Long> seconds(TrackSlice slice) {
    return slice.points().stream().map(p -> (p.atMillis() - BASE) / 1000).toList();
  }

  @Test
  void aTrackHasTheFixesInTheRangeOldestFirstAndOthersSeeOnlyVisibleOnes() {
    UserRecord u = user("walker");
    locations().record(u.id(), List.of(at(0, "1,1"), at(10, "1,2")), true, T0);
    locations().record(u.id(), List.of(at(20, "9,9"), at(30, "9,8")), false, T0);
    locations().record(u.id(), List.of(at(40, "1,3"), at(5, "1,1.5")), true, T0);
    // Fixes without an instant (stored before tracks) are in no track.
    locations().record(u.id(), List.of(new Fix("2026-11-28 12:00:15", "7,7")), true, T0);
    long to = BASE + 40_000;
    TrackSlice own = locations().track(u.id(), BASE, to, T0, true, 100);
    assertThat(own.total()).isEqualTo(6);
    assertThat(seconds(own)).containsExactly(0L, 5L, 10L, 20L, 30L, 40L);
    assertThat(own.points().get(3)).isEqualTo(new TrackSlice.Point(BASE + 20_000, "9,9"));
    TrackSlice friends = locations().track(u.id(), BASE, to, T0, false, 100);
    assertThat(friends.total()).isEqualTo(4);
    assertThat(seconds(friends)).containsExactly(0L, 5L, 10L, 40L);
    // The range is inclusive at both ends, by the fix's own time.
    assertThat(seconds(locations().track(u.id(), BASE + 5_000, BASE + 10_000, T0, true, 100)))
        .containsExactly(5L, 10L);
    assertThat(locations().track(u.id(), BASE + 41_000, BASE + 99_000, T0, true, 100).total())
        .isZero();
    assertThat(locations().track(u.id(), to, BASE, T0, true, 100).points()).isEmpty();
    // Only fixes recorded since the cut-off (the retention) count.
    assertThat(locations().track(u.id(), BASE, to, T0.plusMillis(1), true, 100).total()).isZero();
    // Per user.
    assertThat(locations().track(user("other").id(), BASE, to, T0, true, 100).total()).isZero();
  }

  @Test
  void aLongTrackIsThinnedUniformlyByTimeKeepingTheFirstAndTheLastFix() {
    UserRecord u = user("runner");
    List<Fix> fixes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      fixes.add(at(i, "1," + i));
    }
    locations().record(u.id(), fixes, true, T0);
    long to = BASE + 1_000_000;
    TrackSlice ten = locations().track(u.id(), BASE, to, T0, false, 10);
    assertThat(ten.total()).isEqualTo(100);
    // 9 slices of 99,001 ms / 9 each: the first fix of each, then the last fix.
    assertThat(seconds(ten)).containsExactly(0L, 12L, 23L, 34L, 45L, 56L, 67L, 78L, 89L, 99L);
    assertThat(ten.points().get(1).location()).isEqualTo("1,12");
    assertThat(seconds(locations().track(u.id(), BASE, to, T0, false, 2))).containsExactly(0L, 99L);
    assertThat(seconds(locations().track(u.id(), BASE, to, T0, false, 1))).containsExactly(99L);
    assertThat(locations().track(u.id(), BASE, to, T0, false, 100).points()).hasSize(100);
    for (int max = 1; max <= 101; max += 7) {
      assertThat(locations().track(u.id(), BASE, to, T0, false, max).points().size())
          .isLessThanOrEqualTo(max);
    }
  }

  @Test
  void fixesAtTheSameInstantComeInTheOrderRecordedAndThinningStaysWithinTheBound() {
    UserRecord u = user("still");
    locations().record(u.id(), List.of(at(0, "1,1"), at(0, "1,2"), at(0, "1,3")), true, T0);
    assertThat(locations().track(u.id(), BASE, BASE, T0, true, 3).points())
        .extracting(TrackSlice.Point::location)
        .containsExactly("1,1", "1,2", "1,3");
    assertThat(locations().track(u.id(), BASE, BASE, T0, true, 2).points())
        .extracting(TrackSlice.Point::location)
        .containsExactly("1,1", "1,3");
  }

  @Test
  void thePurgeCoversTracks() {
    UserRecord u = user("gone");
    locations().record(u.id(), List.of(at(0, "1,1")), true, T0);
    locations().record(u.id(), List.of(at(1, "1,2")), true, T0.plusSeconds(7200));
    assertThat(locations().purgeRecordedBefore(T0.plusSeconds(3600))).isEqualTo(1);
    assertThat(seconds(locations().track(u.id(), BASE, BASE + 10_000, T0, true, 10)))
        .containsExactly(1L);
  }
}
