package imps.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The live progress line: once a second, "\r" + phase, elapsed, a count and its rate, errors. Shown
 * only when stdout is a terminal (so logs and CI output stay clean).
 */
public final class Progress implements AutoCloseable {
  private final boolean enabled;
  private final PrintStream out;
  private ScheduledExecutorService timer;
  private volatile String phase = "";
  private volatile Supplier<Long> count = () -> 0L;
  private volatile Supplier<Long> errors = () -> 0L;
  private volatile long phaseStart = System.nanoTime();
  private long lastCount;
  private long lastTick;

  public Progress(boolean enabled, PrintStream out) {
    this.enabled = enabled;
    this.out = out;
    if (enabled) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              new DefaultThreadFactory("bench-progress", true));
      timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }
  }

  /** Whether stdout is a terminal (System.console() is non-null only with a terminal). */
  public static boolean stdoutIsTerminal() {
    return System.console() != null;
  }

  /** Starts a phase: what is counted, and the errors so far. */
  public synchronized void phase(String name, Supplier<Long> count, Supplier<Long> errors) {
    this.phase = name;
    this.count = count;
    this.errors = errors;
    this.phaseStart = System.nanoTime();
    this.lastCount = count.get();
    this.lastTick = phaseStart;
  }

  private synchronized void tick() {
    try {
      long now = System.nanoTime();
      long c = count.get();
      double rate = (c - lastCount) / ((now - lastTick) / 1e9);
      lastCount = c;
      lastTick = now;
      out.printf(
          Locale.ROOT,
          "\r%-14s %6.1fs  %,12d done  %,10.0f/s  errors %,d      ",
          phase,
          (now - phaseStart) / 1e9,
          c,
          rate,
          errors.get());
      out.flush();
    } catch (RuntimeException e) {
      // never let the progress line break a run
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      out.print("\r" + " ".repeat(78) + "\r");
      out.flush();
    }
  }

  public boolean enabled() {
    return enabled;
  }
}
