package imps.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that tests move by hand: it stands still until {@link #advance} or {@link #set} moves it.
 * Thread-safe, so a test can move it while server threads read it. A clock from {@link #withZone}
 * shares the instant with this one.
 */
public final class MutableClock extends Clock {
  /** Where a new clock starts unless told otherwise: a fixed, readable instant. */
  public static final Instant DEFAULT_START = Instant.parse("2026-11-28T12:00:00Z");

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A UTC clock at {@link #DEFAULT_START}. */
  public MutableClock() {
    this(DEFAULT_START);
  }

  /** A UTC clock at {@code start}. */
  public MutableClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start)), ZoneOffset.UTC);
  }

  /** Moves the clock forward (or back, with a negative duration); returns the new instant. */
  public Instant advance(Duration by) {
    return now.updateAndGet(t -> t.plus(by));
  }

  /** Sets the clock to {@code instant}. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return zone.equals(this.zone) ? this : new MutableClock(now, zone);
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "," + zone + "]";
  }
}
