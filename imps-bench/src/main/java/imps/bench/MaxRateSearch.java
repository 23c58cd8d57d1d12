package imps.bench;

import java.util.OptionalDouble;

/**
 * Finds the highest rate that passes: doubles from a start rate until a trial fails (or the ceiling
 * is reached), then bisects between the last pass and the first failure until they are within a
 * relative precision. Bounded by a maximum number of trials.
 */
public final class MaxRateSearch {
  private final double ceiling;
  private final double precision;
  private final int maxTrials;
  private double passed = 0; // highest rate known to pass, 0 = none yet
  private double failed = Double.NaN; // lowest rate known to fail
  private double next;
  private int trials;

  /**
   * @param start the first rate to try, > 0
   * @param ceiling never try above this rate
   * @param precision stop when (failed - passed) / passed is at most this (e.g. 0.05)
   * @param maxTrials stop after this many trials whatever happened
   */
  public MaxRateSearch(double start, double ceiling, double precision, int maxTrials) {
    if (!(start > 0) || ceiling < start || !(precision > 0) || maxTrials < 1) {
      throw new IllegalArgumentException("bad search bounds");
    }
    this.ceiling = ceiling;
    this.precision = precision;
    this.maxTrials = maxTrials;
    this.next = start;
  }

  /** The next rate to try, or empty when the search is over. */
  public OptionalDouble next() {
    if (trials >= maxTrials || Double.isNaN(next)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(next);
  }

  /** Records the outcome of a trial at the rate {@link #next()} gave. */
  public void record(double rate, boolean pass) {
    trials++;
    if (pass) {
      passed = Math.max(passed, rate);
    } else {
      failed = Double.isNaN(failed) ? rate : Math.min(failed, rate);
    }
    next = choose();
  }

  private double choose() {
    if (Double.isNaN(failed)) {
      if (passed >= ceiling) {
        return Double.NaN; // the ceiling passes: done
      }
      return Math.min(ceiling, passed * 2);
    }
    if (passed == 0) {
      // Even the start failed: halve, down to a floor of 1/s.
      double half = Math.floor(failed / 2);
      return half >= 1 ? half : Double.NaN;
    }
    if ((failed - passed) / passed <= precision) {
      return Double.NaN;
    }
    double mid = Math.round((passed + failed) / 2);
    return mid > passed && mid < failed ? mid : Double.NaN;
  }

  /** The highest rate that passed, 0 when none did. */
  public double best() {
    return passed;
  }

  /** The lowest rate that failed, NaN when none did. */
  public double lowestFailure() {
    return failed;
  }

  public int trials() {
    return trials;
  }
}
