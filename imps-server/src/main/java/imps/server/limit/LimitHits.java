package imps.server.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * The counter of refusals by one limit ({@code imps_limit_hits_total{limit="messages"}} on {@code
 * /metrics}). Holders keep the counter, so a refusal costs one addition. The label is the limit's
 * name from a fixed list (the command classes, {@code requests}, {@code connections_per_address},
 * {@code unauthenticated_per_address}, {@code max_connections}, {@code banned_address}), never a
 * user or an address.
 */
public final class LimitHits {
  private LimitHits() {}

  /** The counter of {@code limit}'s refusals. */
  public static Counter of(String limit) {
    return Counter.builder("imps.limit.hits")
        .description("Requests or connections refused by a limit")
        .tag("limit", limit)
        .register(Metrics.globalRegistry);
  }
}
