package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import imps.client.ClientsOnServer;
import imps.client.cli.CliRunner.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Friends' positions in the one-shot commands against a real server: {@code recv --live} prints
 * each friend's new position as it comes, and {@code friends} each friend's last one, both with the
 * distance and direction from the user's own last shared position.
 */
class LiveCliIT {
  @RegisterExtension static final ClientsOnServer env = new ClientsOnServer();
  static final String PW = ClientsOnServer.PW;
  static final CliRunner cli = new CliRunner(env);

  static String[] friends() {
    String a = cli.register(env.name("lva"));
    String b = cli.register(env.name("lvb"));
    cli.befriend(a, b);
    assertThat(cli.run(PW, "recv", "--user", a).code()).isZero();
    return new String[] {a, b};
  }

  @Test
  void recvLiveShowsEachNewPositionWithDistanceAndDirectionFromTheUser() throws Exception {
    String[] ab = friends();
    String a = ab[0];
    String b = ab[1];
    assertThat(cli.run(PW, "share", "--user", b, "23.13,113.26").code()).isZero();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> follower =
        CompletableFuture.supplyAsync(
            () ->
                ImpsCli.run(
                    new String[] {
                      "recv",
                      "--port=" + env.port(),
                      "--host=127.0.0.1",
                      "--user",
                      b,
                      "-f",
                      "--live"
                    },
                    new CliIo(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        Map.of("IMPS_PASSWORD", PW),
                        p -> null)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> err.toString().contains("imps: friends' live positions on"));
    assertThat(err.toString()).contains("distance and direction from 23.13,113.26");
    assertThat(cli.run(PW, "share", "--user", a, "23.14,113.26").code()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> out.toString().contains(a + " is at 23.14,113.26 ("));
    String moved =
        Arrays.stream(out.toString().split("\n"))
            .filter(l -> l.startsWith(a + " is at"))
            .findFirst()
            .orElseThrow();
    assertThat(moved).endsWith("), 1.1 km N of you");
    assertThat(follower).isNotDone();

    // The friend list shows the same; that login ends the follower (logged in elsewhere).
    Run list = cli.run(PW, "friends", "--user", b);
    assertThat(list.code()).isZero();
    assertThat(list.out())
        .startsWith(a + "  offline  at 23.14,113.26 (")
        .endsWith(", 1.1 km N of you\n");
    assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.AUTH);
  }

  @Test
  void withoutAPositionOfTheirOwnFriendsAreShownWithoutDistance() {
    String[] ab = friends();
    assertThat(cli.run(PW, "share", "--user", ab[0], "23.14,113.26").code()).isZero();
    Run list = cli.run(PW, "friends", "--user", ab[1]);
    assertThat(list.code()).isZero();
    assertThat(list.out()).startsWith(ab[0] + "  offline  at 23.14,113.26 (").endsWith(")\n");
  }
}
