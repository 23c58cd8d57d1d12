package imps.server.store;

import java.time.Instant;
import java.util.List;

/** Location history and each user's last shared position. */
public interface LocationStore {

  /**
   * Appends {@code fixes} to the user's history, atomically. When {@code share} is true (the user
   * is visible) the fixes are in the track friends may see and the last fix also becomes the
   * position friends see; otherwise they are in the user's own track only.
   */
  void record(long userId, List<Fix> fixes, boolean share, Instant recordedAt);

  /** The user's history, oldest first (for tests and tools). */
  List<Fix> history(long userId);

  /**
   * The user's track: the fixes whose instant lies within {@code fromMillis..toMillis} (inclusive)
   * and that were recorded at or after {@code recordedSince}, oldest first (equal instants in the
   * order recorded), thinned uniformly by time to at most {@code maxPoints} (docs/PROTOCOL.md 8.6):
   * the span from the first fix to the last is cut into {@code maxPoints - 1} equal slices, the
   * first fix of each slice is kept, and the last fix always is ({@code maxPoints} 1: the last
   * only). The database does the thinning, so only the kept points leave it.
   *
   * @param withHidden whether fixes recorded while the user was invisible count (the user's own
   *     track) or not (a friend's)
   * @param maxPoints at least 1
   */
  TrackSlice track(
      long userId,
      long fromMillis,
      long toMillis,
      Instant recordedSince,
      boolean withHidden,
      int maxPoints);

  /** Deletes history recorded before {@code cutoff}; returns how many fixes went. */
  int purgeRecordedBefore(Instant cutoff);
}
