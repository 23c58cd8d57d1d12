package imps.client.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmux server of its own (its socket in a test's directory) running terminal clients in
 * pseudo-terminals: what a test types and what their screens show. Needs the Debian package {@code
 * tmux}.
 */
record Tmux(Path socket) {

  /** Whether tmux can run here; fails instead when CI said the services are required. */
  static boolean available() {
    boolean there;
    try {
      there = new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      there = false;
    }
    if (!there && "required".equalsIgnoreCase(System.getenv("IMPS_IT_SERVICES"))) {
      // CI installs the Debian package tmux; there a missing tmux is a broken setup, not a skip.
      throw new AssertionError("tmux is not installed and IMPS_IT_SERVICES=required");
    }
    return there;
  }

  /** Runs one tmux command against this server; returns its output. */
  String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("IMPS_PASSWORD");
    pb.environment().remove("TMUX");
    pb.environment().put("TERM", "xterm-256color");
    // Clips a chat saves without --save-dir, and the status it remembers, stay in the test's
    // directory (the tmux server, started by the first command, passes this on to its sessions).
    pb.environment().put("XDG_DATA_HOME", dataHome().toString());
    pb.environment().put("XDG_STATE_HOME", socket.resolveSibling("xdg-state").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  /**
   * Starts {@code ImpsCli} with {@code args} in a new 160×40 terminal named {@code session}, in its
   * own JVM on the packaged jar when there is one, else on the test class path.
   */
  void startCli(String session, List<String> args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> words = new ArrayList<>(List.of(quote(java), "-cp", quote(classpath())));
    words.add("imps.client.cli.ImpsCli");
    args.forEach(a -> words.add(quote(a)));
    run("new-session", "-d", "-s", session, "-x", "160", "-y", "40", String.join(" ", words));
  }

  /** The {@code XDG_DATA_HOME} of the terminals: clips go to {@code imps/clips} below it. */
  Path dataHome() {
    return socket.resolveSibling("xdg-data");
  }

  String screen(String session) throws IOException, InterruptedException {
    return run("capture-pane", "-p", "-J", "-t", session);
  }

  /** Waits up to 20 s for {@code text} on the screen of {@code session}; returns the screen. */
  String awaitText(String session, String text) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String s = "";
    while (System.nanoTime() < deadline) {
      s = screen(session);
      if (s.contains(text)) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("screen of " + session + " never showed '" + text + "':\n" + s);
  }

  /** Waits up to 15 s for {@code session} to end; returns whether it did. */
  boolean awaitEnded(String session) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!run("list-sessions").contains(session + ":")) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  void type(String session, String text) throws IOException, InterruptedException {
    run("send-keys", "-t", session, "-l", text);
  }

  void key(String session, String key) throws IOException, InterruptedException {
    run("send-keys", "-t", session, key);
  }

  void kill() throws IOException, InterruptedException {
    run("kill-server");
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** The packaged jar and its runtime libraries when present, else the test class path. */
  private static String classpath() {
    Path jar = Path.of("target", "imps-client-0.1.0-SNAPSHOT.jar");
    Path lib = Path.of("target", "lib");
    if (Files.isRegularFile(jar) && Files.isDirectory(lib)) {
      return jar.toAbsolutePath()
          + File.pathSeparator
          + lib.toAbsolutePath()
          + File.separator
          + "*";
    }
    return System.getProperty("java.class.path");
  }
}
