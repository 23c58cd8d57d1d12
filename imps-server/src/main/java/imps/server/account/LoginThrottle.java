package imps.server.account;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Throttles failed logins per user and per address: after {@code perUser} (or {@code perAddress})
 * failures within a window, further attempts are refused with error 10 until the window that
 * started with the first failure has passed. Successful logins clear the user's count. In memory: a
 * restart forgets the counts, which only errs on the side of letting a user in.
 */
public final class LoginThrottle {
  private record Window(long startMillis, int failures) {}

  private final Clock clock;
  private final int perUser;
  private final int perAddress;
  private final long windowMillis;
  private final ConcurrentMap<String, Window> users = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Window> addresses = new ConcurrentHashMap<>();

  public LoginThrottle(Clock clock, int perUser, int perAddress, Duration window) {
    this.clock = clock;
    this.perUser = perUser;
    this.perAddress = perAddress;
    this.windowMillis = window.toMillis();
  }

  /** Whether a login attempt for {@code nameKey} from {@code address} may proceed. */
  public boolean allowed(String nameKey, String address) {
    long now = clock.millis();
    return below(users, nameKey, perUser, now) && below(addresses, address, perAddress, now);
  }

  public void failed(String nameKey, String address) {
    long now = clock.millis();
    bump(users, nameKey, now);
    bump(addresses, address, now);
  }

  public void succeeded(String nameKey) {
    users.remove(nameKey);
  }

  /** Forgets windows that have passed, so that the maps stay as small as the recent failures. */
  public void sweep() {
    long now = clock.millis();
    users.values().removeIf(w -> now - w.startMillis >= windowMillis);
    addresses.values().removeIf(w -> now - w.startMillis >= windowMillis);
  }

  private boolean below(ConcurrentMap<String, Window> map, String key, int limit, long now) {
    Window w = map.get(key);
    if (w == null) {
      return true;
    }
    if (now - w.startMillis >= windowMillis) {
      map.remove(key, w);
      return true;
    }
    return w.failures < limit;
  }

  private void bump(ConcurrentMap<String, Window> map, String key, long now) {
    map.compute(
        key,
        (k, w) ->
            w == null || now - w.startMillis >= windowMillis
                ? new Window(now, 1)
                : new Window(w.startMillis, w.failures + 1));
  }
}
