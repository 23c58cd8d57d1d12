package imps.server.location;

import imps.protocol.ErrorCode;
import imps.protocol.message.LocationFix;
import imps.server.error.RequestException;
import imps.server.store.Fix;
import imps.server.store.LocationStore;
import imps.server.time.TimeFormats;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Heartbeat fixes: validated as a whole, stored as history, the last one shared while visible. */
public final class LocationService {
  private final LocationStore store;
  private final TimeFormats times;
  private final Clock clock;
  private final Duration retention;

  public LocationService(LocationStore store, TimeFormats times, Clock clock, Duration retention) {
    this.store = store;
    this.times = times;
    this.clock = clock;
    this.retention = retention;
  }

  /**
   * Records the fixes of one heartbeat.
   *
   * @param share whether friends may see the last fix (the user is visible)
   * @throws RequestException MALFORMED when any fix is invalid; nothing is stored then
   */
  public void record(long userId, List<LocationFix> fixes, boolean share) {
    if (fixes.isEmpty()) {
      return;
    }
    List<Fix> clean = new ArrayList<>(fixes.size());
    for (LocationFix f : fixes) {
      Optional<String> t = times.normalise(f.time());
      Optional<String> l = Locations.normalise(f.location());
      if (t.isEmpty() || l.isEmpty()) {
        throw new RequestException(ErrorCode.MALFORMED, "invalid fix " + f);
      }
      clean.add(new Fix(t.get(), l.get()));
    }
    store.record(userId, clean, share, clock.instant());
  }

  /** Deletes history older than the retention; returns how many fixes went. */
  public int purge() {
    return store.purgeRecordedBefore(clock.instant().minus(retention));
  }
}
