package imps.server.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.ErrorCode;
import imps.protocol.message.Track;
import imps.protocol.message.TrackRequest;
import imps.server.ServiceFixture;
import imps.server.error.RequestException;
import imps.server.store.Fix;
import imps.server.store.TrackSlice;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrackService}: who may read a track, how far back, and the points on the wire. */
class TrackServiceTest {
  @TempDir Path dir;
  ServiceFixture fx;
  TrackService tracks;
  UserRecord alice;
  UserRecord bob;
  UserRecord carol;
  final long t0 = Instant.parse("2026-11-28T12:00:00Z").getEpochSecond();

  @BeforeEach
  void setUp() {
    fx = new ServiceFixture(dir);
    tracks =
        new TrackService(
            fx.store().locations(),
            fx.store().friends(),
            fx.accounts(),
            fx.clock(),
            Duration.ofHours(1));
    alice = fx.user("alice");
    bob = fx.user("bob");
    carol = fx.user("carol");
    fx.befriend(alice, bob);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private void record(UserRecord u, int seconds, String where, boolean visible) {
    Instant at = Instant.ofEpochSecond(t0 + seconds);
    fx.store()
        .locations()
        .record(u.id(), List.of(new Fix(at.toString(), where, at)), visible, fx.clock().instant());
  }

  @Test
  void ownTrackHasEveryFixAFriendsOnlyTheVisibleOnesOthersNone() {
    record(alice, 0, "23.13,113.26", true);
    record(alice, 10, "-0.000001,-180", false);
    TrackRequest all = new TrackRequest("ALICE", t0, t0 + 60, 0);
    assertThat(tracks.track(alice.id(), all))
        .isEqualTo(
            new Track(
                "alice",
                2,
                List.of(
                    new Track.Point(t0, 23_130_000, 113_260_000),
                    new Track.Point(t0 + 10, -1, -180_000_000))));
    assertThat(tracks.track(bob.id(), all).points())
        .containsExactly(new Track.Point(t0, 23_130_000, 113_260_000));
    assertThatThrownBy(() -> tracks.track(carol.id(), all))
        .isInstanceOfSatisfying(
            RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FRIENDS));
    assertThatThrownBy(() -> tracks.track(bob.id(), new TrackRequest("nobody", t0, t0, 0)))
        .isInstanceOfSatisfying(
            RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FRIENDS));
  }

  @Test
  void fixesRecordedBeforeTheRetentionAreNotShownAndExtremeRangesAreSafe() {
    record(alice, 0, "1,1", true);
    fx.clock().advance(Duration.ofMinutes(61));
    record(alice, 5, "1,2", true);
    assertThat(tracks.track(bob.id(), new TrackRequest("alice", t0, t0 + 60, 0)).points())
        .extracting(Track.Point::time)
        .containsExactly(t0 + 5);
    assertThat(
            tracks
                .track(bob.id(), new TrackRequest("alice", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .total())
        .isEqualTo(1);
  }

  @Test
  void theServersBoundAppliesToZeroAndLargeRequests() {
    assertThat(TrackRequest.boundPoints(0)).isEqualTo(TrackRequest.MAX_POINTS);
    assertThat(TrackRequest.boundPoints(4001)).isEqualTo(TrackRequest.MAX_POINTS);
    assertThat(TrackRequest.boundPoints(0xFFFF)).isEqualTo(TrackRequest.MAX_POINTS);
    assertThat(TrackRequest.boundPoints(7)).isEqualTo(7);
    // The largest reply fits one frame with the longest name.
    assertThat(1 + 2 + 60 + 4 + 2 + TrackRequest.MAX_POINTS * 16).isLessThanOrEqualTo(0xFFFF);
    assertThat(TrackService.point(new TrackSlice.Point(-1, "90,180")))
        .isEqualTo(new Track.Point(-1, 90_000_000, 180_000_000));
  }
}
