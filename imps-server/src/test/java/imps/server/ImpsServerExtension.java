package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.server.config.ServerConfig;
import imps.server.store.Store;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server for a test class or a test method: on 127.0.0.1, port 0, the shared test settings
 * ({@link TestServerConfig}) plus the test's own, data in a new temporary directory that is deleted
 * afterwards. Register it with {@code @RegisterExtension}, for example {@code static final
 * ImpsServerExtension server = ImpsServerExtension.withSettings(b -> b.with(LOGIN_TIMEOUT,
 * Duration.ofSeconds(2)))}.
 *
 * <p>In a static field the server lives for the class, and the connections a test opened through it
 * are closed after that test; in an instance field it lives for each test method. {@link #restart}
 * stops the server and starts it again on the same port and data directory.
 */
public final class ImpsServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** The password of every user the helpers register. */
  public static final String PASSWORD = ServerFixture.PASSWORD;

  private final Consumer<ServerConfig.Builder> settings;
  private Clock clock = Clock.systemUTC();
  private UnaryOperator<Store> storeWrapper = UnaryOperator.identity();

  private boolean perClass;
  private Path dataDir;
  private int lastPort;
  private ServerFixture running;

  private ImpsServerExtension(Consumer<ServerConfig.Builder> settings) {
    this.settings = Objects.requireNonNull(settings);
  }

  /** A server on the shared test settings. */
  public static ImpsServerExtension withDefaults() {
    return new ImpsServerExtension(b -> {});
  }

  /** A server on the shared test settings, then {@code settings} applied to the builder. */
  public static ImpsServerExtension withSettings(Consumer<ServerConfig.Builder> settings) {
    return new ImpsServerExtension(settings);
  }

  /** Runs the server on {@code clock} (a {@code MutableClock} to move server time by hand). */
  public ImpsServerExtension withClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    return this;
  }

  /**
   * Runs the server on the store {@code wrapper} makes of the real one (to inject faults). The
   * server closes the store it is given.
   */
  public ImpsServerExtension withStore(UnaryOperator<Store> wrapper) {
    this.storeWrapper = Objects.requireNonNull(wrapper);
    return this;
  }

  // Lifecycle

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    start(0);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      start(0);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perClass) {
      if (running != null) {
        running.closeClients();
      }
    } else {
      end();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    end();
  }

  /**
   * Stops the server (its connections are closed) and starts it again on the same port, data
   * directory and settings. Works also after {@link #stop}.
   */
  public void restart() {
    int port = running != null ? running.port() : lastPort;
    stop();
    start(port);
  }

  /** Stops the server and closes its connections; the data stays until the test ends. */
  public void stop() {
    if (running != null) {
      ServerFixture r = running;
      running = null;
      lastPort = r.port();
      r.close();
    }
  }

  private void start(int port) {
    if (dataDir == null) {
      dataDir = TempDirs.create();
    }
    ServerConfig config = configOn(port);
    Store store = storeWrapper.apply(Backends.openStore(config, clock));
    running = ServerFixture.start(ImpsServer.start(config, clock, store));
  }

  private ServerConfig configOn(int port) {
    ServerConfig.Builder b = TestServerConfig.builder(dataDir);
    settings.accept(b);
    return b.port(port).build();
  }

  private void end() {
    try {
      stop();
    } finally {
      if (dataDir != null) {
        Path dir = dataDir;
        dataDir = null;
        TempDirs.delete(dir);
      }
    }
  }

  // What the server is

  /** The running server (for its store or connection count). */
  public ImpsServer server() {
    return fixture().server();
  }

  /** The running server's store. */
  public Store store() {
    return server().store();
  }

  public ServerConfig config() {
    return server().config();
  }

  /** The port the server listens on. */
  public int port() {
    return fixture().port();
  }

  /** The server's data directory (deleted after the test class or method). */
  public Path dataDir() {
    return fixture().dataDir();
  }

  /** The clock the server runs on. */
  public Clock clock() {
    return clock;
  }

  // Driving it over TCP

  /** A new connection, closed after the test. */
  public FrameClient connect() throws IOException {
    return fixture().connect();
  }

  /** Registers {@code names}, each with {@link #PASSWORD}, on a throwaway connection. */
  public void register(String... names) throws IOException {
    ServerFixture.registerOn(port(), names);
  }

  /** Registers and logs in a new user; returns the logged-in connection. */
  public FrameClient newUser(String name) throws IOException {
    return fixture().newUser(name);
  }

  /** Logs {@code name} in on a new connection and consumes S_LOGIN_RSP. */
  public FrameClient login(String name) throws IOException {
    return fixture().login(name);
  }

  /**
   * Logs {@code name} in on a new connection that first opted into {@code features}, which the
   * server must grant; consumes S_HELLO_RSP and S_LOGIN_RSP.
   */
  public FrameClient optIn(String name, Set<Feature> features) throws IOException {
    FrameClient c = connect();
    c.send(new Hello(1, features));
    assertThat(c.expect(HelloResponse.class).features()).containsAll(features);
    c.send(new LoginRequest(name, PASSWORD));
    c.expect(LoginResponse.class);
    return c;
  }

  /**
   * Two new users, each logged in, who are already friends: their names are {@code prefixA} and
   * {@code prefixB} made unique. Every frame the friendship caused has been consumed.
   */
  public LoggedInFriends friends(String prefixA, String prefixB) throws IOException {
    return fixture().friends(prefixA, prefixB);
  }

  /** A name no other test uses: {@code prefix} and a number. */
  public static String uniqueName(String prefix) {
    return ServerFixture.uniqueName(prefix);
  }

  /**
   * Makes {@code a} and {@code b} friends through the protocol (both online), consuming every frame
   * it causes on both connections.
   */
  public static void befriend(FrameClient a, String aName, FrameClient b, String bName)
      throws IOException {
    ServerFixture.befriend(a, aName, b, bName);
  }

  /** Expects {@code S_STATUS_NOTIFY(friend, status)} next on {@code c}. */
  public static void expectStatus(FrameClient c, String friend, Presence status)
      throws IOException {
    ServerFixture.expectStatus(c, friend, status);
  }

  private ServerFixture fixture() {
    if (running == null) {
      throw new IllegalStateException("the test server is not running");
    }
    return running;
  }
}
