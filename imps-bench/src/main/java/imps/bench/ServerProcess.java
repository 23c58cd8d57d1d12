package imps.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server process ({@code <launcher> server}) on 127.0.0.1, a fixed port and a data directory of
 * its own, that can be killed with SIGKILL and started again on the same port and data. Settings
 * for a bench that registers its users from one address are always passed; {@code settings} come
 * after them ({@code key=value}, each passed as {@code --set}). {@link #close} kills the process
 * and deletes the data directory.
 */
final class ServerProcess implements AutoCloseable {
  private final String launcher;
  private final int port;
  private final List<String> settings;
  private final Path dataDir;
  private Process process;

  /**
   * Creates the data directory; nothing runs until {@link #start}.
   *
   * @param port the port to listen on; 0 picks a free one, kept across restarts
   */
  ServerProcess(String launcher, int port, List<String> settings) throws IOException {
    this.launcher = launcher;
    this.settings = List.copyOf(settings);
    this.dataDir = Files.createTempDirectory("imps-soak");
    if (port == 0) {
      try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
        port = probe.getLocalPort();
      }
    }
    this.port = port;
  }

  int port() {
    return port;
  }

  /**
   * Starts the process and returns once it logged that it listens (at most 120 s); its output is
   * read and discarded from then on, so that it never blocks on a full pipe.
   */
  void start() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher);
    cmd.addAll(
        List.of(
            "server",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--data-dir",
            dataDir.toString(),
            "--set",
            "web.enabled=false",
            "--set",
            "password.memory-kib=1024",
            "--set",
            "password.iterations=1",
            // The soak registers its users from one address.
            "--set",
            "register.per-address=1000000",
            "--set",
            "register.per-minute=1000000"));
    for (String kv : settings) {
      cmd.add("--set");
      cmd.add(kv);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String line;
    while ((line = out.readLine()) != null) {
      if (line.contains("IMPS listening on")) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("server did not start");
      }
    }
    if (line == null) {
      throw new IOException("server exited at start (status " + p.waitFor() + ")");
    }
    // Keep reading its output, so that it never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discarded
                }
              } catch (IOException ignored) {
                // killed
              }
            },
            "soak");
    drain.setDaemon(true);
    drain.start();
    process = p;
  }

  /** Kills the process with SIGKILL and waits (at most 10 s) until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Kills the process if it was started, then deletes the data directory. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (process != null) {
      kill();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
