package imps.server.transport;

import imps.server.limit.TokenBucket;
import java.util.function.Supplier;

/**
 * One connection's requests under {@code limit.requests}: a token bucket made at the first request
 * and made again, full, when a reload changes the rate. Event loop of the connection only.
 */
final class RequestAllowance {
  private final Supplier<TokenBucket.Rate> rates;
  private TokenBucket bucket;
  private TokenBucket.Rate rate;

  RequestAllowance(Supplier<TokenBucket.Rate> rates) {
    this.rates = rates;
  }

  /** Takes one request; false when the connection has none left. */
  boolean take() {
    TokenBucket.Rate now = rates.get();
    if (bucket == null || now != rate) {
      bucket = new TokenBucket(now, now.tokens());
      rate = now;
    }
    return bucket.tryTake(1, System.nanoTime() / 1_000_000);
  }
}
