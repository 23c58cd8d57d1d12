package imps.testsupport;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks for what service-backed tests need: PostgreSQL on 127.0.0.1:5432, and the {@code
 * redis-server} program (tests start their own, see {@link RedisTestServer}). When one is missing
 * the test is skipped with a clear message, unless {@code IMPS_IT_SERVICES=required} (as CI sets
 * it), where it fails instead.
 */
public final class Services {
  public static final String POSTGRES_HOST = "127.0.0.1";
  public static final int POSTGRES_PORT = 5432;
  public static final String REDIS_SERVER = "redis-server";

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
    if (!reachable(host, port)) {
      unavailable(name + " is not reachable on " + host + ":" + port);
    }
  }

  public static void requirePostgres() {
    require("PostgreSQL", POSTGRES_HOST, POSTGRES_PORT);
  }

  /**
   * Skips (or, when required, fails) unless the {@code redis-server} program is on the {@code
   * PATH}; returns its path.
   */
  public static Path requireRedisServer() {
    Optional<Path> found = onPath(REDIS_SERVER);
    if (found.isEmpty()) {
      unavailable(
          REDIS_SERVER
              + " is not installed (not on the PATH; Debian/Ubuntu: apt-get install redis-server)");
    }
    return found.get();
  }

  /** The executable {@code name} in a directory of the {@code PATH}, if there is one. */
  public static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String d : path.split(File.pathSeparator)) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static void unavailable(String msg) {
    if ("required".equalsIgnoreCase(System.getenv("IMPS_IT_SERVICES"))) {
      throw new AssertionError(msg + " and IMPS_IT_SERVICES=required");
    }
    Assumptions.abort(msg + ": skipping (set IMPS_IT_SERVICES=required to fail instead)");
  }
}
