package imps.client;

import imps.protocol.Gender;
import imps.server.config.ServerConfig;
import imps.server.transport.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server for a test class (the test settings, a data directory of its own, deleted after the
 * class) and the SDK clients a test opens on it, closed after each test. Register as a static
 * field: {@code @RegisterExtension static final ClientsOnServer env = new ClientsOnServer();} The
 * terminal client's tests run their command lines on it through {@code cli.CliRunner}.
 */
public final class ClientsOnServer
    implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
  /** The password of the users the tests make. */
  public static final String PW = "secret1";

  private final Consumer<ServerConfig.Builder> settings;
  private final boolean tls;
  private final AtomicInteger seq = new AtomicInteger();
  private final List<ImpsClient> clients = new CopyOnWriteArrayList<>();
  private Path dir;
  private TestServer server;
  private TlsFiles tlsFiles;

  /** On the shared test settings. */
  public ClientsOnServer() {
    this(b -> {});
  }

  /** On the shared test settings and then {@code settings}. */
  public ClientsOnServer(Consumer<ServerConfig.Builder> settings) {
    this(settings, false);
  }

  private ClientsOnServer(Consumer<ServerConfig.Builder> settings, boolean tls) {
    this.settings = settings;
    this.tls = tls;
  }

  /**
   * On the shared test settings, with TLS besides: a test CA's certificate for localhost and
   * 127.0.0.1 on a TLS port of its own ({@link #tlsPort}); clients trust the CA through {@link
   * #caFile}.
   */
  public static ClientsOnServer withTls() {
    return new ClientsOnServer(b -> {}, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("imps-client-it");
    Consumer<ServerConfig.Builder> all = settings;
    if (tls) {
      TlsFiles files = TlsFiles.writeTo(dir);
      tlsFiles = files;
      all = b -> settings.accept(files.serve(b));
    }
    server = new TestServer(dir.resolve("db"), all);
  }

  /** The server's port; from the class's {@code @BeforeAll} on. */
  public int port() {
    return server.port();
  }

  /** The TLS port ({@link #withTls}); from the class's {@code @BeforeAll} on. */
  public int tlsPort() {
    return server.tlsPort();
  }

  /** The test CA's certificate for a client's {@code --ca-file} ({@link #withTls}). */
  public Path caFile() {
    return tlsFiles.caFile();
  }

  /**
   * This class's directory (the server's data is in {@code db} below it), for the tests' own files;
   * deleted after the class.
   */
  public Path directory() {
    return dir;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    clients.forEach(ImpsClient::close);
    clients.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    server.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(ClientsOnServer::delete);
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A user name not used before in this run: {@code base} and a number. */
  public String name(String base) {
    return base + seq.incrementAndGet();
  }

  /** A connected client, legacy (no extensions) or opted in, recording into {@code rec}. */
  public ImpsClient client(Recorder rec, boolean legacy) {
    ImpsClient c =
        new ImpsClient(
            ClientOptions.builder()
                .port(server.port())
                .legacy(legacy)
                .requestTimeout(Duration.ofSeconds(5))
                .build(),
            rec);
    clients.add(c);
    c.connect().join();
    return c;
  }

  /** Registers a and b, makes them friends, and leaves both logged in on the given clients. */
  public static void befriend(
      ImpsClient ca, Recorder ra, ImpsClient cb, Recorder rb, String a, String b) throws Exception {
    ca.register(a, PW, Gender.UNSPECIFIED, "").join();
    ca.register(b, PW, Gender.UNSPECIFIED, "").join();
    ca.login(a, PW).join();
    cb.login(b, PW).join();
    ca.addFriend(b).join();
    rb.await(Recorder.FriendRequest.class);
    cb.answerFriendRequest(a, true).join();
    ra.await(FriendRequestOutcome.class);
  }
}
