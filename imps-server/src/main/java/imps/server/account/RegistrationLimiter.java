package imps.server.account;

import imps.server.limit.AddressKeys;
import imps.server.limit.KeyedLimiter;
import imps.server.limit.TokenBucket;
import java.time.Clock;
import java.time.Duration;

/**
 * Limits registrations (review finding M3): {@code perAddress} per client address (IPv6 by /64) per
 * {@code window}, as ejabberd's {@code registration_timeout} does (one per address per ten minutes
 * by default), and {@code perMinute} from all addresses together, since an attacker with many
 * addresses would pass the first. Each registration costs a slow hash and an account that other
 * attacks can use. A registration is reserved before the name is checked and given back when no
 * account was created (the name was taken, the server was busy), so a user who picks a taken name
 * can try another at once. Per node and in memory, bounded in bytes and time.
 */
public final class RegistrationLimiter {

  /** Which limit refused a registration. */
  public enum Limit {
    ADDRESS("address"),
    GLOBAL("global");

    private final String text;

    Limit(String text) {
      this.text = text;
    }

    /** As logged: {@code address} or {@code global}. */
    public String text() {
      return text;
    }
  }

  private static final String ALL = "";

  private final KeyedLimiter<String> addresses;
  private final KeyedLimiter<String> global;

  /**
   * @param maxBytes heap the remembered addresses may take
   */
  public RegistrationLimiter(
      int perAddress, Duration window, int perMinute, long maxBytes, Clock clock) {
    this.addresses =
        new KeyedLimiter<>(TokenBucket.Rate.of(perAddress, window), perAddress, maxBytes, clock);
    this.global =
        new KeyedLimiter<>(
            TokenBucket.Rate.of(perMinute, Duration.ofMinutes(1)), perMinute, 1024, clock);
  }

  /** Reserves one registration from {@code address}; it must then be settled once. */
  public Registration reserve(String address) {
    String key = AddressKeys.of(address);
    if (!addresses.tryTake(key)) {
      return new Registration(key, Limit.ADDRESS);
    }
    if (!global.tryTake(ALL)) {
      addresses.refund(key, 1);
      return new Registration(key, Limit.GLOBAL);
    }
    return new Registration(key, null);
  }

  /** Drops expired state now (called periodically). */
  public void cleanUp() {
    addresses.cleanUp();
  }

  /** One reserved registration: refused, or admitted and then settled. */
  public final class Registration {
    private final String addressKey;
    private final Limit refusedBy;
    private boolean settled;

    private Registration(String addressKey, Limit refusedBy) {
      this.addressKey = addressKey;
      this.refusedBy = refusedBy;
      this.settled = refusedBy != null;
    }

    public boolean admitted() {
      return refusedBy == null;
    }

    /** The limit that refused it; {@code null} when admitted. */
    public Limit refusedBy() {
      return refusedBy;
    }

    /** No account was created: the registration does not count. */
    public synchronized void unused() {
      if (!settled) {
        settled = true;
        addresses.refund(addressKey, 1);
        global.refund(ALL, 1);
      }
    }
  }
}
