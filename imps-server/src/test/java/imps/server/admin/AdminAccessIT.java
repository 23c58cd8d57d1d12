package imps.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import imps.server.AdminCliRunner;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who reaches the admin API (OPERATIONS.md, Admin commands): a configured {@code admin.token} is
 * the only token (no file is generated), {@code ./imps admin --config FILE} finds the port and the
 * token in the server's config file by itself, {@code --token-file} gives one explicitly, and the
 * port binds loopback by default.
 */
class AdminAccessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "configured-admin-token-0123456789";

  @TempDir Path data;
  @TempDir Path etc;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static int status(int port, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/stats"))
            .timeout(Duration.ofSeconds(30));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HttpClient.newHttpClient()
        .send(b.build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void aConfiguredTokenIsTheOnlyOneAndTheCliFindsItInTheConfigFile() throws Exception {
    int port = freePort();
    Path conf = etc.resolve("imps.properties");
    Files.writeString(
        conf, "admin.port = " + port + "\nadmin.token = " + TOKEN + "\ndata-dir = " + data + "\n");
    ServerConfig config =
        ServerFixture.testConfig(data)
            .set(ServerConfig.Key.ADMIN_PORT, Integer.toString(port))
            .set(ServerConfig.Key.ADMIN_TOKEN, TOKEN)
            .build();
    try (ServerFixture server = ServerFixture.start(config)) {
      server.register("acc1");
      assertThat(data.resolve(AdminToken.FILE)).as("no token generated").doesNotExist();
      assertThat(status(port, TOKEN)).isEqualTo(200);
      assertThat(status(port, null)).isEqualTo(401);
      assertThat(status(port, TOKEN + "x")).isEqualTo(401);

      // Port and token from the config file, as the server read them: no --url, no token option.
      AdminCliRunner.Result found =
          AdminCliRunner.runArgs(List.of("--config", conf.toString(), "stats"));
      assertThat(found.status()).as(found.err()).isZero();
      assertThat(JSON.readTree(found.out()).get("users").asLong()).isEqualTo(1);

      Path tokenFile = etc.resolve("token");
      Files.writeString(tokenFile, TOKEN + "\n");
      AdminCliRunner.Result given = withTokenFile(port, tokenFile, "users", "list");
      assertThat(given.status()).as(given.err()).isZero();
      assertThat(JSON.readTree(given.out()).findValuesAsText("name")).containsExactly("acc1");

      Files.writeString(tokenFile, "wrong\n");
      AdminCliRunner.Result wrong = withTokenFile(port, tokenFile, "stats");
      assertThat(wrong.status()).isNotZero();
      assertThat(wrong.out()).isEmpty();
    }
  }

  /**
   * {@code ./imps admin} against the admin port {@code port}, the token read from {@code
   * tokenFile}.
   */
  private static AdminCliRunner.Result withTokenFile(int port, Path tokenFile, String... command) {
    List<String> args = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + port));
    args.addAll(List.of("--token-file", tokenFile.toString()));
    args.addAll(List.of(command));
    return AdminCliRunner.runArgs(args);
  }

  /** This machine's first IPv4 address that is not loopback, if it has one. */
  private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
    for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!n.isUp() || n.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(n.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void theAdminPortBindsLoopbackByDefault() throws Exception {
    Optional<InetAddress> other = nonLoopbackAddress();
    Assumptions.assumeTrue(other.isPresent(), "no address but loopback here");
    // The client port on every address, the admin port on its default host only.
    ServerConfig config =
        ServerFixture.testConfig(data)
            .set(ServerConfig.Key.HOST, "0.0.0.0")
            .set(ServerConfig.Key.ADMIN_PORT, "0")
            .build();
    try (ServerFixture server = ServerFixture.start(config)) {
      int admin = server.server().adminPort();
      try (Socket client = new Socket()) {
        client.connect(new InetSocketAddress(other.get(), server.port()), 5000);
      }
      assertThatThrownBy(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress(other.get(), admin), 5000);
                }
              })
          .isInstanceOf(ConnectException.class);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", admin), 5000);
      }
    }
  }
}
