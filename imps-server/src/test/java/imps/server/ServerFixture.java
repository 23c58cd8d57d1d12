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
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running test server and the helpers that drive it over TCP: the implementation behind {@link
 * ImpsServerExtension}, which owns the lifecycle (data directory, settings, clock, restart). Tests
 * use the extension; the cluster tests also start fixtures by hand on configurations of their own.
 */
public final class ServerFixture implements AutoCloseable {
  public static final String PASSWORD = "secret1";
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final ImpsServer server;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private final List<FrameClient> clients = new ArrayList<>();

  private ServerFixture(ImpsServer server, Path dataDir, boolean ownsDataDir) {
    this.server = server;
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
  }

  /** The test configuration ({@link TestServerConfig}) with data in {@code dataDir}. */
  public static ServerConfig.Builder testConfig(Path dataDir) {
    return TestServerConfig.builder(dataDir);
  }

  /** A server on the test configuration in a new temporary directory, deleted by {@link #close}. */
  public static ServerFixture start() {
    Path dir = TempDirs.create();
    try {
      return new ServerFixture(
          ImpsServer.start(testConfig(dir).build(), Clock.systemUTC()), dir, true);
    } catch (RuntimeException e) {
      TempDirs.delete(dir);
      throw e;
    }
  }

  /** A server on {@code config}; its data directory is the caller's to delete. */
  public static ServerFixture start(ServerConfig config) {
    return start(ImpsServer.start(config, Clock.systemUTC()));
  }

  /** Drives a server started by the caller; its data directory is the caller's to delete. */
  public static ServerFixture start(ImpsServer server) {
    return new ServerFixture(server, server.config().dataDir(), false);
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

  /**
   * Two new users, each logged in, who are already friends: their names are {@code prefixA} and
   * {@code prefixB} made unique. Every frame the friendship caused has been consumed.
   */
  public LoggedInFriends friends(String prefixA, String prefixB) throws IOException {
    String a = uniqueName(prefixA);
    String b = uniqueName(prefixB);
    FrameClient ca = newUser(a);
    FrameClient cb = newUser(b);
    befriend(ca, a, cb, b);
    return new LoggedInFriends(a, ca, b, cb);
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

  /** Closes every connection opened through this fixture. */
  public void closeClients() {
    for (FrameClient c : clients) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    clients.clear();
  }

  /** Closes the connections and stops the server (deleting its data if this fixture made it). */
  @Override
  public void close() {
    closeClients();
    server.close();
    if (ownsDataDir) {
      TempDirs.delete(dataDir);
    }
  }
}
