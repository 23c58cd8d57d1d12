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

/**
 * Heartbeat fixes: validated as a whole, stored as history (the user's track, marked visible or
 * not), the last one shared while visible.
 */
public final class LocationService {
  private final LocationStore store;
  private final TimeFormats times;
  private final Clock clock;
  private final Duration retention;

  private final LiveLocations live;
  private final TrackService tracks;

  /** Without live locations. */
  public LocationService(LocationStore store, TimeFormats times, Clock clock, Duration retention) {
    this(store, times, clock, retention, null);
  }

  /**
   * @param live pushes friends' new positions, or {@code null} for none
   */
  public LocationService(
      LocationStore store, TimeFormats times, Clock clock, Duration retention, LiveLocations live) {
    this(store, times, clock, retention, live, null);
  }

  /**
   * @param live pushes friends' new positions, or {@code null} for none
   * @param tracks answers C_TRACK, or {@code null} for none
   */
  public LocationService(
      LocationStore store,
      TimeFormats times,
      Clock clock,
      Duration retention,
      LiveLocations live,
      TrackService tracks) {
    this.tracks = tracks;
    this.store = store;
    this.times = times;
    this.clock = clock;
    this.retention = retention;
    this.live = live;
  }

  /**
   * Records the fixes of one heartbeat and, when the user is visible ({@code share}), pushes the
   * last one to friends who asked for live locations.
   */
  public void record(long userId, String userName, List<LocationFix> fixes, boolean share) {
    Fix last = record(userId, fixes, share);
    if (share && last != null && live != null) {
      live.moved(userId, userName, last);
    }
  }

  /** The user signed out: a position held back for friends is dropped. */
  public void signedOut(long userId) {
    if (live != null) {
      live.forget(userId);
    }
  }

  /**
   * Records the fixes of one heartbeat.
   *
   * @param share whether friends may see the last fix (the user is visible)
   * @return the last fix as stored, or {@code null} when there was none
   * @throws RequestException MALFORMED when any fix is invalid; nothing is stored then
   */
  public Fix record(long userId, List<LocationFix> fixes, boolean share) {
    if (fixes.isEmpty()) {
      return null;
    }
    List<Fix> clean = new ArrayList<>(fixes.size());
    for (LocationFix f : fixes) {
      Optional<String> t = times.normalise(f.time());
      Optional<String> l = Locations.normalise(f.location());
      if (t.isEmpty() || l.isEmpty()) {
        throw new RequestException(ErrorCode.MALFORMED, "invalid fix " + f);
      }
      clean.add(new Fix(t.get(), l.get(), times.instantOf(t.get())));
    }
    store.record(userId, clean, share, clock.instant());
    return clean.get(clean.size() - 1);
  }

  /** Tracks (C_TRACK), or {@code null} when this server has none. */
  public TrackService tracks() {
    return tracks;
  }

  /** How long fixes are kept. */
  public Duration retention() {
    return retention;
  }

  /** Deletes history older than the retention; returns how many fixes went. */
  public int purge() {
    return store.purgeRecordedBefore(clock.instant().minus(retention));
  }
}
