package imps.server.store;

import java.time.Instant;
import java.util.List;

/** Location history and each user's last shared position. */
public interface LocationStore {

  /**
   * Appends {@code fixes} to the user's history, atomically. When {@code share} is true the last
   * fix also becomes the position friends see.
   */
  void record(long userId, List<Fix> fixes, boolean share, Instant recordedAt);

  /** The user's history, oldest first (for tests and tools). */
  List<Fix> history(long userId);

  /** Deletes history recorded before {@code cutoff}; returns how many fixes went. */
  int purgeRecordedBefore(Instant cutoff);
}
