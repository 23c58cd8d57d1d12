package imps.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP port ({@code admin.port}, loopback by default): health, readiness, metrics and the
 * admin API. The JDK's built-in HTTP server is enough for a handful of operator requests, with two
 * guards (finding L2): a pool of {@link #THREADS} threads, so one slow request does not hold up a
 * balancer's health check, and a limit on how long reading a request and writing a response may
 * take ({@link #IO_TIMEOUT_SECONDS}), so a client that trickles its headers (slowloris) is closed
 * instead of holding a thread for ever.
 */
public final class AdminServer implements AutoCloseable {
  /** Threads serving admin requests. */
  static final int THREADS = 8;

  /** Reading a request and writing its response may each take this long. */
  static final int IO_TIMEOUT_SECONDS = 5;

  static {
    // The JDK server reads these once, when the first one starts; an operator's -D wins.
    setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(IO_TIMEOUT_SECONDS));
    setIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(IO_TIMEOUT_SECONDS));
  }

  private final HttpServer http;
  private final ExecutorService executor;

  /**
   * Binds {@code host:port} (0: any free port); serves nothing until {@link #start}, so that no
   * request sees a route missing (a 404 from {@code /ready} while the server starts).
   *
   * @throws IOException if the port cannot be bound
   */
  public AdminServer(String host, int port) throws IOException {
    http = HttpServer.create(new InetSocketAddress(host, port), 64);
    executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            new DefaultThreadFactory("imps-admin-http", true));
    http.setExecutor(executor);
  }

  /** Starts serving the routes added so far (and any added later). */
  public void start() {
    http.start();
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  /**
   * Serves exactly {@code path} (and, when {@code prefix}, every path below it) with {@code
   * handler}; other paths under it get 404.
   */
  public void route(String path, boolean prefix, HttpHandler handler) {
    http.createContext(
        path,
        exchange -> {
          try (exchange) {
            String p = exchange.getRequestURI().getPath();
            if (p.equals(path) || prefix && p.startsWith(path.endsWith("/") ? path : path + "/")) {
              handler.handle(exchange);
            } else {
              respond(exchange, 404, "application/json", "{\"error\":\"not found\"}\n");
            }
          } catch (RuntimeException e) {
            // A handler's bug must not kill the connection without an answer.
            respond(exchange, 500, "application/json", "{\"error\":\"internal error\"}\n");
          }
        });
  }

  /** The port bound (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** Writes a whole response (HEAD: the headers only). */
  static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }
}
