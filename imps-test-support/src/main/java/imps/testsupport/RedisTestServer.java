package imps.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@code redis-server} process of a test's own, so that tests never touch a developer's Redis: it
 * listens on a free port of 127.0.0.1, keeps nothing on disk ({@code --save "" --appendonly no}, in
 * a temporary directory deleted afterwards) and is shut down when the test is done. Pausing,
 * stopping and starting it again act on this server only.
 *
 * <p>Either {@link #start()} one (it is {@link AutoCloseable}), or register {@link #perClass()} as
 * a static {@code @RegisterExtension} field: it then starts before the class's {@code @BeforeAll}
 * methods and stops after its {@code @AfterAll} methods. Without {@code redis-server} on the {@code
 * PATH} the test is skipped, or fails when {@code IMPS_IT_SERVICES=required} ({@link
 * Services#requireRedisServer}).
 */
public final class RedisTestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private static final String HOST = "127.0.0.1";
  private static final int BIND_ATTEMPTS = 5;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private Path executable;
  private Path dir;
  private int port = -1;
  private Process process;

  private RedisTestServer() {}

  /** Starts a server now; {@link #close()} stops it and deletes its directory. */
  public static RedisTestServer start() {
    RedisTestServer s = new RedisTestServer();
    s.launch();
    return s;
  }

  /** A server started before the test class's {@code @BeforeAll} and stopped after it ends. */
  public static RedisTestServer perClass() {
    return new RedisTestServer();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    launch();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** {@code redis://127.0.0.1:PORT}, for the server's configuration. */
  public String uri() {
    checkStarted();
    return "redis://" + HOST + ":" + port;
  }

  public int port() {
    checkStarted();
    return port;
  }

  /** Whether the process is running (false after {@link #stop()} until {@link #startAgain()}). */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops every client's commands for {@code duration} ({@code CLIENT PAUSE ms ALL}). */
  public void pause(Duration duration) {
    command("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
  }

  /** Stops every client's writes for {@code duration}; reads still answer. */
  public void pauseWrites(Duration duration) {
    command("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "WRITE");
  }

  /**
   * Shuts the server down without saving (connections are refused until {@link #startAgain()}).
   * Returns once the process has exited.
   */
  public void stop() {
    if (!isRunning()) {
      return;
    }
    boolean shuttingDown;
    try {
      command(Duration.ofSeconds(1), "SHUTDOWN", "NOSAVE");
      shuttingDown = false; // an answer means it refused
    } catch (UncheckedIOException e) {
      shuttingDown = true; // it closes the connection without an answer
    } catch (IllegalStateException e) {
      shuttingDown = false; // paused, or refused: SIGTERM below
    }
    Process p = process;
    if (!shuttingDown || !waitFor(p, STOP_TIMEOUT)) {
      p.destroy();
      if (!waitFor(p, STOP_TIMEOUT)) {
        p.destroyForcibly();
        waitFor(p, STOP_TIMEOUT);
      }
    }
  }

  /**
   * Starts the stopped server again on the same port, empty (as a restarted Redis without
   * persistence is). Fails if another process took the port meanwhile.
   */
  public void startAgain() {
    checkStarted();
    if (isRunning()) {
      throw new IllegalStateException("redis-server on port " + port + " is still running");
    }
    for (int attempt = 1; ; attempt++) {
      if (launchOn(port)) {
        return;
      }
      if (attempt == BIND_ATTEMPTS) {
        throw new AssertionError("port " + port + " is taken: cannot start redis-server again");
      }
      sleep(200);
    }
  }

  /**
   * Sends one command on a new connection and returns the reply: a status, bulk string or integer
   * as text, null for a null reply, an array's elements joined by newlines.
   *
   * @throws IllegalStateException for an error reply, or when the server does not answer in time
   */
  public String command(String... args) {
    return command(COMMAND_TIMEOUT, args);
  }

  private String command(Duration timeout, String... args) {
    checkStarted();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(Resp.command(args));
      out.flush();
      return Resp.read(new BufferedInputStream(s.getInputStream()));
    } catch (SocketTimeoutException e) {
      throw new IllegalStateException(
          "redis-server on port " + port + " did not answer " + args[0] + " in time", e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot send " + args[0] + " to redis-server on port " + port, e);
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() {
    if (dir == null) {
      return;
    }
    stop();
    deleteRecursively(dir);
    dir = null;
  }

  // ---------------------------------------------------------------------------------------------

  private void launch() {
    executable = Services.requireRedisServer();
    try {
      dir = Files.createTempDirectory("imps-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for redis-server", e);
    }
    // Another process may take the free port between our probe and redis-server's bind: retry.
    for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
      if (launchOn(freePort())) {
        return;
      }
    }
    String log = readLog();
    close();
    throw new AssertionError(
        "redis-server found no free port in " + BIND_ATTEMPTS + " attempts:\n" + log);
  }

  /**
   * Starts redis-server on {@code candidate} and waits until it answers. Returns false when the
   * port was taken; throws for any other failure.
   */
  private boolean launchOn(int candidate) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                executable.toString(),
                "--port",
                Integer.toString(candidate),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    Path log = dir.resolve("redis.log");
    try {
      Files.deleteIfExists(log);
      process =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + executable, e);
    }
    port = candidate;
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String output = readLog();
        if (output.contains("Address already in use")) {
          return false;
        }
        throw new AssertionError("redis-server exited at start:\n" + output);
      }
      if (answersAsThisProcess()) {
        return true;
      }
      sleep(20);
    }
    process.destroyForcibly();
    throw new AssertionError(
        "redis-server did not answer within " + START_TIMEOUT + ":\n" + readLog());
  }

  /** True once the port answers and the answer comes from our process, not from a squatter. */
  private boolean answersAsThisProcess() {
    try {
      return command(Duration.ofMillis(500), "INFO", "server")
          .contains("process_id:" + process.pid() + "\r\n");
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  private String readLog() {
    try {
      return Files.readString(dir.resolve("redis.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  private void checkStarted() {
    if (port < 0) {
      throw new IllegalStateException("the Redis test server has not been started");
    }
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** The few bits of the Redis protocol (RESP2) the helpers need. */
  private static final class Resp {
    private Resp() {}

    static byte[] command(String... args) {
      StringBuilder b = new StringBuilder().append('*').append(args.length).append("\r\n");
      for (String a : args) {
        byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
        b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
      }
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String read(InputStream in) throws IOException {
      int type = in.read();
      String line = line(in);
      switch (type) {
        case '+':
        case ':':
          return line;
        case '-':
          throw new IllegalStateException("Redis error: " + line);
        case '$':
          {
            int len = Integer.parseInt(line);
            if (len < 0) {
              return null;
            }
            byte[] data = in.readNBytes(len + 2);
            return new String(data, 0, len, StandardCharsets.UTF_8);
          }
        case '*':
          {
            int n = Integer.parseInt(line);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              items.add(read(in));
            }
            return String.join("\n", items);
          }
        case -1:
          throw new IOException("connection closed without an answer");
        default:
          throw new IOException("unexpected reply type " + (char) type);
      }
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        b.write(c);
      }
      in.read(); // '\n'
      return b.toString(StandardCharsets.UTF_8);
    }
  }
}
