package imps.server.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * {@code GET /metrics} on the admin port, in the Prometheus text format (Micrometer). The server's
 * own meters are named {@code imps.*} and come out in Prometheus form ({@code imps_logins_total},
 * {@code imps_store_commit_seconds_bucket}); the counters of the services (logins, messages, store
 * commits) are registered in Micrometer's global registry, which this registry joins while the
 * server runs; the gauges below read the server's state at each scrape. Labels never carry a user
 * name: only transports, kinds, results and reasons, each from a short fixed list. Plus the JVM's
 * and the process's metrics (memory, GC, threads, CPU, open files, uptime).
 */
public final class ServerMetrics implements AutoCloseable {
  /** Transports whose connections are counted: the labels of {@code imps_connections}. */
  public static final List<String> TRANSPORTS = List.of("tcp", "tls", "websocket");

  /** The state the gauges read. */
  public record Sources(
      ToIntFunction<String> connectionsByTransport,
      IntSupplier sessions,
      IntSupplier workerQueue,
      IntSupplier openSessions,
      LongSupplier outputBytes) {}

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public ServerMetrics(Sources sources) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    for (String t : TRANSPORTS) {
      Gauge.builder("imps.connections", () -> sources.connectionsByTransport().applyAsInt(t))
          .description("Open client connections")
          .tag("transport", t)
          .register(registry);
    }
    Gauge.builder("imps.sessions", sources.sessions()::getAsInt)
        .description("Logged-in sessions on this node")
        .register(registry);
    Gauge.builder("imps.worker.queue.tasks", sources.workerQueue()::getAsInt)
        .description("Tasks waiting for a worker thread (past worker-queue: error 10)")
        .register(registry);
    Gauge.builder("imps.output.buffered", sources.outputBytes()::getAsLong)
        .description("Bytes written to clients and waiting in the connections' output buffers")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("imps.connections.unfinished", sources.openSessions()::getAsInt)
        .description("Connections whose sign-out has not finished")
        .register(registry);
    Metrics.globalRegistry.add(registry);
  }

  /** Serves /metrics on {@code admin}. */
  public void register(AdminServer admin) {
    admin.route(
        "/metrics",
        false,
        exchange ->
            AdminServer.respond(
                exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
  }

  /** The text /metrics serves (for tests). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    Metrics.globalRegistry.remove(registry);
    gc.close();
    registry.close();
  }
}
