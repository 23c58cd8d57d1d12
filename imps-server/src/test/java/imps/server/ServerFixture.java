package imps.server;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.StatusNotifyPush;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real server on an ephemeral port with a fresh data directory, and helpers that drive it over
 * TCP. Argon2 runs at minimum cost so tests stay fast.
 */
public final class ServerFixture implements AutoCloseable {
  public static final String PASSWORD = "secret1";
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final ImpsServer server;
  private final Path dataDir;
  private final List<FrameClient> clients = new ArrayList<>();

  private ServerFixture(ImpsServer server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
  }

  /** A config for tests: port 0, the given data dir, cheap password hashing. */
  public static ServerConfig.Builder testConfig(Path dataDir) {
    return ServerConfig.builder()
        .port(0)
        .host("127.0.0.1")
        .dataDir(dataDir)
        .with(ServerConfig.Key.WEB_PORT, 0)
        .with(ServerConfig.Key.PASSWORD_MEMORY_KIB, 64)
        .with(ServerConfig.Key.PASSWORD_ITERATIONS, 1)
        // Every test connects from 127.0.0.1; RegistrationIT tests the limit on its own server.
        .with(ServerConfig.Key.REGISTRATIONS_PER_ADDRESS, 1_000_000)
        .set(ServerConfig.Key.SQLITE_SYNCHRONOUS, "NORMAL");
  }

  public static ServerFixture start() throws IOException {
    Path dir = Files.createTempDirectory("imps-it");
    return start(testConfig(dir).build());
  }

  public static ServerFixture start(ServerConfig config) {
    return new ServerFixture(ImpsServer.start(config, Clock.systemUTC()), config.dataDir());
  }

  public static ServerFixture start(ImpsServer server) {
    return new ServerFixture(server, server.config().dataDir());
  }

  public ImpsServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** A name no other test uses. */
  public static String uniqueName(String prefix) {
    return prefix + NAMES.incrementAndGet();
  }

  public FrameClient connect() throws IOException {
    FrameClient c = FrameClient.connect(port());
    clients.add(c);
    return c;
  }

  /** Registers {@code name} with {@link #PASSWORD} on a throwaway connection. */
  public void register(String name) throws IOException {
    registerOn(port(), name);
  }

  /** Registers {@code names} with {@link #PASSWORD} on a throwaway connection to {@code port}. */
  public static void registerOn(int port, String... names) throws IOException {
    try (FrameClient c = FrameClient.connect(port)) {
      for (String n : names) {
        c.send(new RegisterRequest(n, PASSWORD, Gender.UNSPECIFIED, n + "@example.org"));
        c.expect(new RegisterResponse(true));
      }
    }
  }

  /** Registers and logs in a new user; returns the logged-in connection. */
  public FrameClient newUser(String name) throws IOException {
    register(name);
    return login(name);
  }

  /** Logs {@code name} in on a new connection and consumes S_LOGIN_RSP. */
  public FrameClient login(String name) throws IOException {
    FrameClient c = loginOn(port(), name);
    clients.add(c);
    return c;
  }

  /** Logs {@code name} in on a new connection to {@code port} and consumes S_LOGIN_RSP. */
  public static FrameClient loginOn(int port, String name) throws IOException {
    FrameClient c = FrameClient.connect(port);
    c.send(new LoginRequest(name, PASSWORD));
    LoginResponse r = c.expect(LoginResponse.class);
    if (!r.userName().equalsIgnoreCase(name)) {
      c.close();
      throw new AssertionError("logged in as " + r.userName());
    }
    return c;
  }

  /**
   * Makes {@code a} and {@code b} friends through the protocol (both online), consuming every frame
   * it causes on both connections, including presence notifications.
   */
  public static void befriend(FrameClient a, String aName, FrameClient b, String bName)
      throws IOException {
    a.send(new AddFriendRequest(aName, bName));
    a.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_ADDFRIEND_REQ));
    b.expect(new FriendRequestPush(aName));
    b.send(new AddFriendAnswer(aName, true));
    b.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_ADDFRIEND_RSP));
    AddFriendResponse toB = b.expect(AddFriendResponse.class);
    if (toB.result() != AddFriendResponse.Result.ACCEPTED || !toB.userName().equals(aName)) {
      throw new AssertionError("unexpected " + toB);
    }
    AddFriendResponse toA = a.expect(AddFriendResponse.class);
    if (toA.result() != AddFriendResponse.Result.ACCEPTED || !toA.userName().equals(bName)) {
      throw new AssertionError("unexpected " + toA);
    }
  }

  /** Expects {@code S_STATUS_NOTIFY(friend, status)} next. */
  public static void expectStatus(FrameClient c, String friend, Presence status)
      throws IOException {
    c.expect(new StatusNotifyPush(friend, status));
  }

  @Override
  public void close() {
    for (FrameClient c : clients) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    server.close();
  }
}
