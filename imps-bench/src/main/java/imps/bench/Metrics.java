package imps.bench;

import org.HdrHistogram.Histogram;

/** How metric values are rounded for the result. */
final class Metrics {
  private Metrics() {}

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** A percentile of a histogram of microseconds, in ms; NaN when it recorded nothing. */
  static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0
        ? Double.NaN
        : round3(h.getValueAtPercentile(percentile) / 1000.0);
  }

  /** The largest value of a histogram of microseconds, in ms. */
  static double maxMs(Histogram h) {
    return round3(h.getMaxValue() / 1000.0);
  }
}
