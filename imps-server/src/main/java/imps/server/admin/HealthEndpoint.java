package imps.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * {@code GET /health} on a separate HTTP port (off unless {@code admin.port} is set): 200 with
 * {@code "status":"ok"} when the store answers and the cluster directory is reachable, 503 with
 * {@code "status":"degraded"} otherwise, so a load balancer or monitor can see a node that serves
 * only its local users. Uses the JDK's built-in HTTP server: one small endpoint does not justify a
 * web framework.
 */
public final class HealthEndpoint implements AutoCloseable {
  private final HttpServer http;

  /**
   * @param storeOk answers whether the store is reachable (a cheap read)
   * @param clusterOk answers whether the cluster directory is reachable
   * @param connections the number of open client connections
   */
  public HealthEndpoint(
      String host,
      int port,
      BooleanSupplier storeOk,
      BooleanSupplier clusterOk,
      IntSupplier connections)
      throws IOException {
    http = HttpServer.create(new InetSocketAddress(host, port), 16);
    http.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "imps-admin-http");
              t.setDaemon(true);
              return t;
            }));
    http.createContext(
        "/health",
        exchange -> {
          boolean store = safely(storeOk);
          boolean cluster = safely(clusterOk);
          boolean ok = store && cluster;
          String body =
              "{\"status\":\""
                  + (ok ? "ok" : "degraded")
                  + "\",\"store\":"
                  + store
                  + ",\"cluster\":"
                  + cluster
                  + ",\"connections\":"
                  + connections.getAsInt()
                  + "}\n";
          respond(exchange, ok ? 200 : 503, body);
        });
    http.start();
  }

  /** The port bound (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  private static boolean safely(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
