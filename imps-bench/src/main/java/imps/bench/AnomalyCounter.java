package imps.bench;

import imps.protocol.message.ImpsMessage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection listener for connections whose pushes a scenario does not look at: it ignores them
 * and counts client anomalies (the {@code client_anomalies} metric). One counter may listen to many
 * connections, on any event loop.
 */
final class AnomalyCounter implements Conn.Listener {
  private final AtomicLong anomalies = new AtomicLong();

  @Override
  public void onPush(Conn conn, ImpsMessage push) {}

  @Override
  public void onAnomaly(Conn conn, String what) {
    anomalies.incrementAndGet();
  }

  /** Counts an anomaly seen by another listener of the same run. */
  void count() {
    anomalies.incrementAndGet();
  }

  /** Anomalies counted so far. */
  long anomalies() {
    return anomalies.get();
  }
}
