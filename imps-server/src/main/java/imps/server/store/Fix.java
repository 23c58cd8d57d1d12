package imps.server.store;

import java.time.Instant;

/**
 * A validated, normalised location fix: time {@code yyyy-MM-dd HH:mm:ss}, location {@code lat,lon}.
 *
 * @param at the time as an instant (read in the server's zone), which places the fix in tracks; or
 *     {@code null} when not known (such a fix is in no track)
 */
public record Fix(String time, String location, Instant at) {
  /** A fix without its instant, as {@link LocationStore#history} returns it. */
  public Fix(String time, String location) {
    this(time, location, null);
  }
}
