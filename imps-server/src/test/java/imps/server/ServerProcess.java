package imps.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a separate JVM, started through {@link Main} as a user runs it, on an ephemeral
 * port read from its log; for tests that must kill it with SIGKILL.
 */
public final class ServerProcess {
  private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+) ");

  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts a server on 127.0.0.1, port 0, with cheap password hashing and {@code settings} (each
   * {@code key=value}, as {@code --set} takes them); returns once it listens.
   */
  public static ServerProcess start(Path dataDir, List<String> settings)
      throws IOException, InterruptedException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString(),
                "--set",
                "web.port=0",
                "--set",
                "password.memory-kib=64",
                "--set",
                "password.iterations=1"));
    for (String kv : settings) {
      cmd.add("--set");
      cmd.add(kv);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("IMPS_LOG_LEVEL", "INFO");
    Process p = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    StringBuilder seen = new StringBuilder();
    String line;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        // Keep reading its output so that the process never blocks on a full pipe.
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "server-process-output");
        drain.setDaemon(true);
        drain.start();
        return new ServerProcess(p, Integer.parseInt(m.group(1)));
      }
    }
    p.destroyForcibly();
    throw new AssertionError("server did not start:\n" + seen);
  }

  public int port() {
    return port;
  }

  /** SIGKILL: no shutdown hook runs, nothing is closed or deregistered. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
