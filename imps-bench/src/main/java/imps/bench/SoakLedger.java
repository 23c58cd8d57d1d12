package imps.bench;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the crash soak counts, from many threads: messages sent, those acknowledged (by body), and
 * how often each body was delivered; and the report made of them: lost (acknowledged, never
 * delivered) and duplicated (delivered more than once).
 */
final class SoakLedger {
  private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger sent = new AtomicInteger();

  void sent() {
    sent.incrementAndGet();
  }

  void acknowledged(String body) {
    acknowledged.add(body);
  }

  void delivered(String body) {
    deliveries.merge(body, 1, Integer::sum);
  }

  /** The running counts, for a progress line: sent, acknowledged, delivered (distinct). */
  String progress() {
    return String.format(
        "%d sent, %d acknowledged, %d delivered",
        sent.get(), acknowledged.size(), deliveries.size());
  }

  /** Acknowledged messages never delivered. */
  long lost() {
    return acknowledged.stream().filter(k -> !deliveries.containsKey(k)).count();
  }

  /** Deliveries beyond the first of each message. */
  int duplicated() {
    int duplicated = 0;
    for (int n : deliveries.values()) {
      duplicated += n - 1;
    }
    return duplicated;
  }

  /** Prints the report; returns the exit status: 1 when anything acknowledged was lost, else 0. */
  int report(PrintStream out, int kills, int pairs) {
    int duplicated = duplicated();
    long lost = lost();
    long unacknowledgedDelivered =
        deliveries.keySet().stream().filter(k -> !acknowledged.contains(k)).count();
    out.println();
    out.printf("crash soak: %d kill -9 cycles, %d pairs%n", kills, pairs);
    out.printf("  sent                        %8d%n", sent.get());
    out.printf("  acknowledged                %8d%n", acknowledged.size());
    out.printf("  delivered (distinct)        %8d%n", deliveries.size());
    out.printf("  lost (acknowledged, never)  %8d%n", lost);
    out.printf("  duplicated (extra copies)   %8d%n", duplicated);
    out.printf(
        "  delivered, not acknowledged %8d  (reply cut off by the kill)%n",
        unacknowledgedDelivered);
    return lost == 0 ? 0 : 1;
  }
}
