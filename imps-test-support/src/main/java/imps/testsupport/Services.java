package imps.testsupport;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks for PostgreSQL and Redis on 127.0.0.1. Tests that need one call {@link #require}: it skips
 * the test with a clear message when the service is not reachable, unless {@code
 * IMPS_IT_SERVICES=required} (as CI sets it), where it fails instead.
 */
public final class Services {
  public static final String POSTGRES_HOST = "127.0.0.1";
  public static final int POSTGRES_PORT = 5432;
  public static final String REDIS_HOST = "127.0.0.1";
  public static final int REDIS_PORT = 6379;

  private Services() {}

  public static boolean reachable(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Skips (or, when required, fails) unless {@code host:port} accepts connections. */
  public static void require(String name, String host, int port) {
    if (reachable(host, port)) {
      return;
    }
    String msg = name + " is not reachable on " + host + ":" + port;
    if ("required".equalsIgnoreCase(System.getenv("IMPS_IT_SERVICES"))) {
      throw new AssertionError(msg + " and IMPS_IT_SERVICES=required");
    }
    Assumptions.abort(msg + ": skipping (set IMPS_IT_SERVICES=required to fail instead)");
  }

  public static void requirePostgres() {
    require("PostgreSQL", POSTGRES_HOST, POSTGRES_PORT);
  }

  public static void requireRedis() {
    require("Redis", REDIS_HOST, REDIS_PORT);
  }
}
