package imps.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a separate JVM, started through {@link Main} as a user runs it, on an ephemeral
 * port read from its log; for tests that must kill it with SIGKILL.
 */
public final class ServerProcess {
  private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+) ");
  private static final Pattern LISTENING_TLS = Pattern.compile("listening for TLS on [^ ]+:(\\d+)");
  private static final Pattern ADMIN =
      Pattern.compile("health check on http://[^ ]+:(\\d+)/health");

  private static final int KEPT_LINES = 2000;

  private final Process process;
  private final int port;
  private final Deque<String> output;

  private ServerProcess(Process process, int port, Deque<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /**
   * Starts a server on 127.0.0.1, port 0, with the test settings ({@link
   * TestServerConfig#asSetFlags}) and then {@code settings} (each {@code key=value}, as {@code
   * --set} takes them); returns once it listens. The data directory is the caller's to delete.
   */
  public static ServerProcess start(Path dataDir, List<String> settings)
      throws IOException, InterruptedException {
    return start(dataDir, List.of(), settings);
  }

  /**
   * As {@link #start(Path, List)}, with {@code jvmOptions} (such as {@code -Xmx640m}) given to the
   * server's JVM.
   */
  public static ServerProcess start(Path dataDir, List<String> jvmOptions, List<String> settings)
      throws IOException, InterruptedException {
    return start(launch(dataDir, jvmOptions, settings, null));
  }

  /**
   * As {@link #start(Path, List)}, reading {@code configFile} ({@code --config}) too: the settings
   * the file holds are left out of the test settings, so that the file's (and its edits, on reload)
   * are the ones that count.
   */
  public static ServerProcess start(Path dataDir, Path configFile, List<String> settings)
      throws IOException, InterruptedException {
    return start(launch(dataDir, List.of(), settings, configFile));
  }

  private static ServerProcess start(Process p) throws IOException, InterruptedException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    StringBuilder seen = new StringBuilder();
    String line;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        // Keep reading its output so that the process never blocks on a full pipe; the last
        // lines are kept for the test to look at.
        Deque<String> kept = new ArrayDeque<>();
        seen.toString().lines().forEach(kept::add);
        Thread drain =
            new Thread(
                () -> {
                  try {
                    out.lines()
                        .forEach(
                            l -> {
                              synchronized (kept) {
                                kept.add(l);
                                if (kept.size() > KEPT_LINES) {
                                  kept.removeFirst();
                                }
                              }
                            });
                  } catch (java.io.UncheckedIOException processEnded) {
                    // the pipe was closed with the process: nothing more to keep
                  }
                },
                "server-process-output");
        drain.setDaemon(true);
        drain.start();
        return new ServerProcess(p, Integer.parseInt(m.group(1)), kept);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("server did not start:\n" + seen);
  }

  /** How a server that was expected not to start ended: its exit status and its output. */
  public record Refusal(int exitStatus, String output) {}

  /** Runs a server that must refuse to start; fails if it starts listening. */
  public static Refusal startRefused(Path dataDir, List<String> jvmOptions, List<String> settings)
      throws IOException, InterruptedException {
    Process p = launch(dataDir, jvmOptions, settings, null);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("server did not exit:\n" + out);
    }
    if (LISTENING.matcher(out).find()) {
      throw new AssertionError("server started:\n" + out);
    }
    return new Refusal(p.exitValue(), out);
  }

  private static Process launch(
      Path dataDir, List<String> jvmOptions, List<String> settings, Path configFile)
      throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmOptions);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--data-dir",
            dataDir.toString()));
    List<String> testFlags = TestServerConfig.asSetFlags();
    Properties inFile = new Properties();
    if (configFile != null) {
      cmd.add("--config");
      cmd.add(configFile.toString());
      try (Reader r = Files.newBufferedReader(configFile)) {
        inFile.load(r);
      }
    }
    for (int i = 0; i < testFlags.size(); i += 2) {
      String kv = testFlags.get(i + 1);
      if (!inFile.containsKey(kv.substring(0, kv.indexOf('=')))) {
        cmd.add(testFlags.get(i));
        cmd.add(kv);
      }
    }
    for (String kv : settings) {
      cmd.add("--set");
      cmd.add(kv);
    }
    if (configFile != null) {
      // IMPS_LOG_LEVEL is log.level's variable too, and the environment beats the file: the start
      // level goes to logback as a system property instead.
      cmd.add(1, "-DIMPS_LOG_LEVEL=INFO");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (configFile == null) {
      pb.environment().put("IMPS_LOG_LEVEL", "INFO");
    } else {
      pb.environment().remove("IMPS_LOG_LEVEL");
    }
    return pb.start();
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit status once the process has ended, waiting up to {@code timeout}; -1 if it runs. */
  public int exitStatus(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /**
   * Writes {@link #output()} to {@code target/server-output/<name>.log} (the module's build
   * directory, as the tests run from it) and returns the path: evidence for a failure, which would
   * otherwise go with the process. Never throws.
   */
  public Path saveOutput(String name) {
    Path file = Paths.get("target", "server-output", name + ".log").toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, output(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      System.err.println("could not save the server's output to " + file + ": " + e);
    }
    return file;
  }

  /** The last lines the server wrote (at most 2000). */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  public int port() {
    return port;
  }

  /**
   * The TLS port, from the log line of the TLS listener (written just after the plain one's); fails
   * if none appears within 10 s.
   */
  public int tlsPort() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (String line : output()) {
        Matcher m = LISTENING_TLS.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no TLS listener in the log:\n" + String.join("\n", output()));
  }

  /** The admin port, from the log line of the health check; fails if none appears within 10 s. */
  public int adminPort() throws InterruptedException {
    return Integer.parseInt(awaitOutput(ADMIN, Duration.ofSeconds(10)).group(1));
  }

  /**
   * The first line of the output (of the last 2000) that {@code pattern} finds something in,
   * waiting up to {@code timeout} for it.
   */
  public Matcher awaitOutput(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (String line : output()) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "nothing matching " + pattern + " in the output:\n" + String.join("\n", output()));
      }
      Thread.sleep(50);
    }
  }

  /** How many lines of the output (of the last 2000) {@code pattern} finds something in. */
  public long countOutput(Pattern pattern) {
    return output().stream().filter(l -> pattern.matcher(l).find()).count();
  }

  /**
   * SIGHUP with {@code kill -HUP PID}, as an operator asks for a reload: the server reads its
   * configuration and TLS files again. Does not wait for the reload.
   */
  public void hangup() throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -HUP " + process.pid() + " failed: " + out);
    }
  }

  /** SIGTERM, as a supervisor stops the server: the shutdown hook drains; does not wait. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hook runs, nothing is closed or deregistered. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
