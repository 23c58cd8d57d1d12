package imps.server.admin;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health} (liveness) and {@code GET /ready} (readiness) on the admin port.
 *
 * <p>{@code /health}: 200 {@code "status":"ok"} when the store answers a read, a write through the
 * writer commits within {@link #PROBE_TIMEOUT} (so a full disk or a hung writer is reported, not
 * just a reachable database: finding L2), and the cluster directory is reachable; else 503 {@code
 * "status":"degraded"} with what failed. A drain does not make a node unhealthy.
 *
 * <p>{@code /ready}: 200 only while the server is {@link ServerState#READY} and healthy; 503 while
 * starting, while draining, or without its store or cluster, so a load balancer sends new clients
 * elsewhere.
 *
 * <p>Concurrent checks share one write probe, so a burst of checks costs one commit; a probe that
 * has not completed within the timeout is not shared any more.
 */
public final class Health {
  /** How long the write probe may take before the store counts as failed. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  /** What the checks look at. */
  public record Probes(
      BooleanSupplier storeReadable,
      Supplier<CompletableFuture<Void>> storeWrite,
      BooleanSupplier clusterReachable,
      IntSupplier connections,
      Supplier<ServerState> state) {}

  /** One check's findings. */
  public record Status(boolean store, boolean write, boolean cluster, ServerState state) {
    public boolean healthy() {
      return store && write && cluster;
    }

    public boolean ready() {
      return healthy() && state == ServerState.READY;
    }
  }

  private final Probes probes;
  private CompletableFuture<Void> inFlight; // guarded by this
  private long inFlightSince; // guarded by this

  public Health(Probes probes) {
    this.probes = probes;
  }

  /** Serves /health and /ready on {@code admin}. */
  public void register(AdminServer admin) {
    admin.route("/health", false, this::health);
    admin.route("/ready", false, this::ready);
  }

  /** Runs every check now (the write probe bounded by {@link #PROBE_TIMEOUT}). */
  public Status check() {
    boolean store = safely(probes.storeReadable());
    boolean write = store && writeCommits();
    boolean cluster = safely(probes.clusterReachable());
    return new Status(store, write, cluster, probes.state().get());
  }

  private boolean writeCommits() {
    CompletableFuture<Void> probe;
    synchronized (this) {
      // A probe older than the timeout is not waited on again: a new one goes behind it.
      if (inFlight == null
          || inFlight.isDone()
          || System.nanoTime() - inFlightSince > PROBE_TIMEOUT.toNanos()) {
        inFlightSince = System.nanoTime();
        try {
          inFlight = probes.storeWrite().get();
        } catch (RuntimeException e) {
          inFlight = CompletableFuture.failedFuture(e);
        }
      }
      probe = inFlight;
    }
    try {
      probe.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean safely(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void health(HttpExchange exchange) throws IOException {
    if (!readOnly(exchange)) {
      return;
    }
    Status s = check();
    String body =
        "{\"status\":\""
            + (s.healthy() ? "ok" : "degraded")
            + "\",\"store\":"
            + s.store()
            + ",\"write\":"
            + s.write()
            + ",\"cluster\":"
            + s.cluster()
            + ",\"connections\":"
            + probes.connections().getAsInt()
            + "}\n";
    AdminServer.respond(exchange, s.healthy() ? 200 : 503, "application/json", body);
  }

  private void ready(HttpExchange exchange) throws IOException {
    if (!readOnly(exchange)) {
      return;
    }
    Status s = check();
    String body =
        "{\"ready\":"
            + s.ready()
            + ",\"state\":\""
            + s.state().wireName()
            + "\",\"store\":"
            + (s.store() && s.write())
            + ",\"cluster\":"
            + s.cluster()
            + "}\n";
    AdminServer.respond(exchange, s.ready() ? 200 : 503, "application/json", body);
  }

  /** GET and HEAD only; anything else gets 405. */
  private static boolean readOnly(HttpExchange exchange) throws IOException {
    String m = exchange.getRequestMethod();
    if (m.equals("GET") || m.equals("HEAD")) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    AdminServer.respond(exchange, 405, "application/json", "{\"error\":\"method not allowed\"}\n");
    return false;
  }
}
