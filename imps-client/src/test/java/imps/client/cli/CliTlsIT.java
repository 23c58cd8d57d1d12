package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import imps.client.ClientOptions;
import imps.client.TestServer;
import imps.server.config.ServerConfig;
import imps.server.transport.tls.TestCa;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code --tls} and {@code --ca-file} on the one-shot commands, and on {@code chat} in a terminal
 * (tmux, as {@link ChatTmuxIT}).
 */
class CliTlsIT {
  private static final AtomicInteger SEQ = new AtomicInteger();
  @TempDir static Path dir;
  static TestServer server;
  static Path caFile;

  @BeforeAll
  static void start() {
    TestCa ca = TestCa.create();
    caFile = ca.writeCertificate(dir.resolve("ca.pem"));
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    ca.issue("localhost", "127.0.0.1").writeTo(cert, key);
    server =
        new TestServer(
            dir.resolve("db"),
            b ->
                b.with(ServerConfig.Key.TLS_CERT_FILE, cert.toString())
                    .with(ServerConfig.Key.TLS_KEY_FILE, key.toString()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void oneShotCommandsSpeakTlsTrustingTheCaFile() {
    String user = "clitls" + SEQ.incrementAndGet();
    Run r =
        run(
            "register",
            "--tls",
            "--ca-file",
            caFile.toString(),
            "--user",
            user,
            "--email",
            "a@b.c");
    assertThat(r.code()).as(r.err()).isEqualTo(0);
    // --ca-file alone means TLS.
    r = run("friends", "--ca-file", caFile.toString(), "--user", user);
    assertThat(r.code()).as(r.err()).isEqualTo(0);
  }

  @Test
  void chatLogsInOverTlsTrustingTheCaFileAndQuits() throws Exception {
    assumeTrue(Tmux.available(), "tmux is not installed");
    String user = "chattls" + SEQ.incrementAndGet();
    Run r = run("register", "--ca-file", caFile.toString(), "--user", user, "--email", "c@d.e");
    assertThat(r.code()).as(r.err()).isEqualTo(0);
    Tmux tmux = new Tmux(dir.resolve("tmux-" + user + ".sock"));
    try {
      tmux.startCli(
          "chat",
          List.of(
              "chat",
              "--host",
              "127.0.0.1",
              "--port",
              String.valueOf(server.tlsPort()),
              "--ca-file",
              caFile.toString(),
              "--user",
              user,
              "--save-dir",
              dir.resolve("clips-" + user).toString()));
      tmux.awaitText("chat", "Password:");
      tmux.type("chat", "secret1");
      tmux.key("chat", "Enter");
      String screen = tmux.awaitText("chat", "logged in as " + user);
      assertThat(screen).doesNotContain("secret1").doesNotContain("Exception");
      tmux.type("chat", "/quit");
      tmux.key("chat", "Enter");
      assertThat(tmux.awaitEnded("chat")).as("chat ended after /quit").isTrue();
    } finally {
      tmux.kill();
    }
  }

  @Test
  void anUntrustedServerIsRefusedWithTheReason() {
    Run r = run("friends", "--tls", "--user", "nobody");
    assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err())
        .contains("TLS handshake with 127.0.0.1:" + server.tlsPort() + " failed")
        .contains("not issued by a trusted CA");
  }

  @Test
  void anUnreadableCaFileIsAUsageError() {
    Run r = run("friends", "--ca-file", dir.resolve("missing.pem").toString(), "--user", "x");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--ca-file").contains("missing.pem");
  }

  @Test
  void theDefaultPortIsTheTlsPortWithTls() {
    assertThat(options().port()).isEqualTo(ClientOptions.DEFAULT_PORT);
    assertThat(options().tls().enabled()).isFalse();
    assertThat(options("--tls").port()).isEqualTo(7643);
    assertThat(options("--tls").tls().trusted()).isEmpty();
    assertThat(options("--ca-file", caFile.toString()).port()).isEqualTo(7643);
    assertThat(options("--ca-file", caFile.toString()).tls().trusted()).hasSize(1);
    assertThat(options("--tls", "--port", "9000").port()).isEqualTo(9000);
  }

  @Command
  static final class Holder {
    @Mixin ServerOptions server;
  }

  private static ClientOptions options(String... args) {
    Holder h = new Holder();
    new CommandLine(h).parseArgs(args);
    return h.server.clientOptions().build();
  }

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    List<String> full = new ArrayList<>(List.of(args));
    full.add("--host=127.0.0.1");
    full.add("--port=" + server.tlsPort());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        ImpsCli.run(
            full.toArray(String[]::new),
            new CliIo(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of("IMPS_PASSWORD", "secret1", "XDG_DATA_HOME", dir.resolve("xdg").toString()),
                p -> null));
    return new Run(code, out.toString(), err.toString());
  }
}
