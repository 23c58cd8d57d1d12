package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import imps.client.ClientOptions;
import imps.client.ClientsOnServer;
import imps.client.cli.CliRunner.Run;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code --tls} and {@code --ca-file} on the one-shot commands, and on {@code chat} in a terminal
 * (tmux, as {@link ChatTmuxIT}).
 */
class CliTlsIT {
  @RegisterExtension static final ClientsOnServer env = ClientsOnServer.withTls();
  static final String PW = ClientsOnServer.PW;
  static final CliRunner cli = CliRunner.overTls(env);

  @Test
  void oneShotCommandsSpeakTlsTrustingTheCaFile() {
    String user = env.name("clitls");
    Run r =
        cli.run(
            PW,
            "register",
            "--tls",
            "--ca-file",
            env.caFile().toString(),
            "--user",
            user,
            "--email",
            "a@b.c");
    assertThat(r.code()).as(r.err()).isEqualTo(0);
    // --ca-file alone means TLS.
    r = cli.run(PW, "friends", "--ca-file", env.caFile().toString(), "--user", user);
    assertThat(r.code()).as(r.err()).isEqualTo(0);
  }

  @Test
  void chatLogsInOverTlsTrustingTheCaFileAndQuits() throws Exception {
    assumeTrue(Tmux.available(), "tmux is not installed");
    String user = env.name("chattls");
    Run r =
        cli.run(
            PW,
            "register",
            "--ca-file",
            env.caFile().toString(),
            "--user",
            user,
            "--email",
            "c@d.e");
    assertThat(r.code()).as(r.err()).isEqualTo(0);
    Tmux tmux = new Tmux(env.directory().resolve("tmux-" + user + ".sock"));
    try {
      tmux.startCli(
          "chat",
          List.of(
              "chat",
              "--host",
              "127.0.0.1",
              "--port",
              String.valueOf(env.tlsPort()),
              "--ca-file",
              env.caFile().toString(),
              "--user",
              user,
              "--save-dir",
              env.directory().resolve("clips-" + user).toString()));
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
    Run r = cli.run(PW, "friends", "--tls", "--user", "nobody");
    assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err())
        .contains("TLS handshake with 127.0.0.1:" + env.tlsPort() + " failed")
        .contains("not issued by a trusted CA");
  }

  @Test
  void anUnreadableCaFileIsAUsageError() {
    Run r =
        cli.run(
            PW,
            "friends",
            "--ca-file",
            env.directory().resolve("missing.pem").toString(),
            "--user",
            "x");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--ca-file").contains("missing.pem");
  }

  @Test
  void theDefaultPortIsTheTlsPortWithTls() {
    assertThat(options().port()).isEqualTo(ClientOptions.DEFAULT_PORT);
    assertThat(options().tls().enabled()).isFalse();
    assertThat(options("--tls").port()).isEqualTo(7643);
    assertThat(options("--tls").tls().trusted()).isEmpty();
    assertThat(options("--ca-file", env.caFile().toString()).port()).isEqualTo(7643);
    assertThat(options("--ca-file", env.caFile().toString()).tls().trusted()).hasSize(1);
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
}
