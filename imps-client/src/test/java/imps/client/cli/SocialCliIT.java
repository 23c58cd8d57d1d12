package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import imps.client.ClientsOnServer;
import imps.client.cli.CliRunner.Run;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The one-shot commands for friends and account control against a real server: unfriend, block,
 * unblock, blocked, passwd and delete-account; output, exit codes, error messages.
 */
class SocialCliIT {
  @RegisterExtension static final ClientsOnServer env = new ClientsOnServer();
  static final String PW = ClientsOnServer.PW;
  static final CliRunner cli = new CliRunner(env);

  static String user(String base) {
    return cli.register(env.name(base));
  }

  @Test
  void unfriendEndsTheFriendshipBothWays() {
    String a = user("ufa");
    String b = user("ufb");
    cli.befriend(a, b);
    Run r = cli.run(PW, "unfriend", "--user", a, b);
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(b + " is no longer your friend\n");
    Run friends = cli.run(PW, "friends", "--user", b);
    assertThat(friends.out()).isEmpty();
    assertThat(friends.err()).contains("no friends yet");
    Run send = cli.run(PW, "send", "--user", b, "--to", a, "hi");
    assertThat(send.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(send.err()).contains(a + " is not your friend");

    Run unknown = cli.run(PW, "unfriend", "--user", a, env.name("nobody"));
    assertThat(unknown.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(unknown.err()).contains("there is no user named nobody");
  }

  @Test
  void blockListsAndUnblock() {
    String a = user("bla");
    String b = user("blb");
    String c = user("blc");
    cli.befriend(a, b);
    Run none = cli.run(PW, "blocked", "--user", a);
    assertThat(none.code()).isZero();
    assertThat(none.out()).isEmpty();
    // (a's login also received the stored "now friends" outcome, reported on stderr first.)
    assertThat(none.err()).endsWith("imps: you have blocked nobody\n");

    Run block = cli.run(PW, "block", "--user", a, b);
    assertThat(block.code()).isZero();
    assertThat(block.out())
        .isEqualTo(b + " is blocked (their friend requests and messages will not reach you)\n");
    assertThat(cli.run(PW, "block", "--user", a, c).code()).isZero();
    assertThat(cli.run(PW, "blocked", "--user", a)).isEqualTo(new Run(0, b + "\n" + c + "\n", ""));
    // The block ended the friendship; the blocked user is not told, its request looks sent.
    assertThat(cli.run(PW, "friends", "--user", a).out()).isEmpty();
    assertThat(cli.run(PW, "add", "--user", b, a).out()).contains("friend request sent to " + a);
    assertThat(cli.run(PW, "recv", "--user", a).out()).isEmpty();

    Run self = cli.run(PW, "block", "--user", a, a);
    assertThat(self.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(self.err()).isEqualTo("imps: you cannot block yourself\n");
    Run unknown = cli.run(PW, "block", "--user", a, env.name("nobody"));
    assertThat(unknown.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(unknown.err()).contains("there is no user named nobody");

    Run unblock = cli.run(PW, "unblock", "--user", a, b);
    assertThat(unblock).isEqualTo(new Run(0, b + " is no longer blocked\n", ""));
    assertThat(cli.run(PW, "blocked", "--user", a).out()).isEqualTo(c + "\n");
  }

  @Test
  void passwdChangesThePasswordFromTheEnvironment() {
    String a = user("pwa");
    Run changed =
        cli.runWith(
            Map.of("IMPS_PASSWORD", PW, "IMPS_NEW_PASSWORD", "secret9"), "passwd", "--user", a);
    assertThat(changed.code()).isZero();
    assertThat(changed.out())
        .isEqualTo("password changed for " + a + "; your other devices must log in again\n");
    assertThat(cli.run(PW, "friends", "--user", a).code()).isEqualTo(ExitCodes.AUTH);
    assertThat(cli.run("secret9", "friends", "--user", a).code()).isZero();

    Run tooShort =
        cli.runWith(
            Map.of("IMPS_PASSWORD", "secret9", "IMPS_NEW_PASSWORD", "x"), "passwd", "--user", a);
    assertThat(tooShort.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(tooShort.err()).isEqualTo("imps: " + InputRules.PASSWORD_RULE + "\n");
    Run noNew = cli.run("secret9", "passwd", "--user", a);
    assertThat(noNew.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noNew.err()).contains("set IMPS_NEW_PASSWORD or run in a terminal");
    Run wrong =
        cli.runWith(
            Map.of("IMPS_PASSWORD", PW, "IMPS_NEW_PASSWORD", "secret8"), "passwd", "--user", a);
    assertThat(wrong.code()).isEqualTo(ExitCodes.AUTH);
    assertThat(cli.run("secret9", "friends", "--user", a).code()).isZero();
  }

  @Test
  void deleteAccountNeedsYesAndRemovesTheUser() {
    String a = user("dla");
    String b = user("dlb");
    cli.befriend(a, b);
    Run unconfirmed = cli.run(PW, "delete-account", "--user", a);
    assertThat(unconfirmed.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unconfirmed.err()).contains("add --yes to confirm");
    assertThat(cli.run(PW, "friends", "--user", a).out()).contains(b);

    Run wrong = cli.run("wrong-pass", "delete-account", "--user", a, "--yes");
    assertThat(wrong.code()).isEqualTo(ExitCodes.AUTH);

    Run deleted = cli.run(PW, "delete-account", "--user", a, "--yes");
    assertThat(deleted).isEqualTo(new Run(0, "account " + a + " deleted\n", ""));
    assertThat(cli.run(PW, "friends", "--user", a).code()).isEqualTo(ExitCodes.AUTH);
    assertThat(cli.run(PW, "friends", "--user", b).out()).doesNotContain(a);
    // The name is free again at once.
    assertThat(cli.run(PW, "register", "--user", a).code()).isZero();
  }
}
