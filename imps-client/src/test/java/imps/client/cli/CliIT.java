package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import imps.client.ClientsOnServer;
import imps.client.TestServer;
import imps.client.cli.CliRunner.Run;
import imps.server.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The one-shot commands against a real server: output, exit codes, error messages. */
class CliIT {
  // A long first delay after repeated failed logins, so that the throttled login of
  // aThrottledLoginSaysHowLongToWait cannot slip past it on a slow machine.
  @RegisterExtension
  static final ClientsOnServer env =
      new ClientsOnServer(b -> b.with(ServerConfig.Key.LOGIN_DELAY, Duration.ofMinutes(1)));

  static final CliRunner cli = new CliRunner(env);

  static Run run(String password, String... args) {
    return cli.run(password, args);
  }

  /** Clips that arrive without --save-dir go to the class's directory, as with {@link #run}. */
  static Run runOn(int port, String password, String... args) {
    return new CliRunner(port, env.directory().resolve("xdg-data")).run(password, args);
  }

  static String user(String base) {
    return env.name(base);
  }

  @Test
  void registerAddAcceptFriendsSendRecv() throws Exception {
    String a = user("alice");
    String b = user("bob");
    assertThat(
            run(
                "secret1",
                "register",
                "--user",
                a,
                "--email",
                "a@example.org",
                "--gender",
                "female"))
        .isEqualTo(new Run(0, "registered " + a + "\n", ""));
    assertThat(run("secret2", "register", "--user", b).code()).isZero();
    Run taken = run("secret2", "register", "--user", b.toUpperCase());
    assertThat(taken.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(taken.err()).contains("already taken");

    assertThat(run("secret1", "add", "--user", a, b).out()).contains("friend request sent to " + b);
    Run accept = run("secret2", "accept", "--user", b, a);
    assertThat(accept.code()).isZero();
    assertThat(accept.out()).contains("accepted " + a);
    // The request was waiting at login: reported on stderr, not lost silently.
    assertThat(accept.err()).contains("friend request from " + a);

    Run friends = run("secret1", "friends", "--user", a);
    assertThat(friends.code()).isZero();
    assertThat(friends.out()).contains(b + "  offline  location unknown");
    // a's login received "you and b are now friends" (stored outcome): reported on stderr.
    assertThat(friends.err()).contains("you and " + b + " are now friends");

    assertThat(run("secret1", "send", "--user", a, "--to", b, "hello", "there").code()).isZero();
    Path clip = env.directory().resolve("clip.bin");
    Files.write(clip, new byte[] {1, 2, 3, 4, 5});
    Run voice = run("secret1", "voice", "--user", a, "--to", b, clip.toString());
    assertThat(voice.out()).contains("voice clip sent to " + b + " (5 bytes)");

    Path saveDir = env.directory().resolve("clips");
    Run recv = run("secret2", "recv", "--user", b, "--save-dir", saveDir.toString());
    assertThat(recv.code()).isZero();
    String[] lines = recv.out().split("\n");
    assertThat(lines[0]).matches("\\[.+] " + a + ": hello there");
    assertThat(lines[1]).contains(a + " sent a voice clip (5 bytes), saved to ");
    try (var files = Files.list(saveDir)) {
      Path saved = files.findFirst().orElseThrow();
      assertThat(Files.readAllBytes(saved)).containsExactly(1, 2, 3, 4, 5);
    }
    // Delivered once: a second recv has nothing.
    assertThat(run("secret2", "recv", "--user", b).out()).isEmpty();
  }

  @Test
  void rejectAndErrorsHaveClearMessagesAndExitCodes() {
    String a = user("ann");
    String b = user("ben");
    run("secret1", "register", "--user", a);
    run("secret1", "register", "--user", b);

    Run wrong = run("wrong-pass", "friends", "--user", a);
    assertThat(wrong.code()).isEqualTo(ExitCodes.AUTH);
    assertThat(wrong.err()).contains("wrong user name or password");

    Run notFriends = run("secret1", "send", "--user", a, "--to", b, "hi");
    assertThat(notFriends.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(notFriends.err()).contains(b + " is not your friend");

    Run nobody = run("secret1", "send", "--user", a, "--to", env.name("nobody"), "hi");
    assertThat(nobody.err()).contains("there is no user named nobody");

    Run noUser = run("secret1", "add", "--user", a, env.name("ghost"));
    assertThat(noUser.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(noUser.err()).contains("there is no user named ghost");

    Run self = run("secret1", "add", "--user", a, a);
    assertThat(self.err()).contains("you cannot add yourself");

    Run noRequest = run("secret1", "accept", "--user", b, a);
    assertThat(noRequest.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(noRequest.err()).contains("no pending friend request from " + a);

    run("secret1", "add", "--user", a, b);
    assertThat(run("secret1", "reject", "--user", b, a).out()).contains("rejected " + a);
    assertThat(run("secret1", "recv", "--user", a).out())
        .contains(b + " declined your friend request");

    Run badName = run("secret1", "register", "--user", "no spaces");
    assertThat(badName.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(badName.err()).contains("invalid registration");

    Run missingFile =
        run("secret1", "voice", "--user", a, "--to", b, env.directory().resolve("nope").toString());
    assertThat(missingFile.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missingFile.err()).contains("no such file");
  }

  @Test
  void usageNoPasswordAndUnreachableServer() throws Exception {
    Run noPassword = run(null, "friends", "--user", "x");
    assertThat(noPassword.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noPassword.err()).contains("IMPS_PASSWORD");

    Run usage = run("secret1", "send", "--user", "x");
    assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(usage.err()).contains("Missing required");

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Run down = runOn(closedPort, "secret1", "friends", "--user", "x");
    assertThat(down.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(down.err()).contains("cannot connect to 127.0.0.1:" + closedPort);
    // It connects before it asks for a password: a dead server is what is reported, not the
    // missing password (no IMPS_PASSWORD, no terminal here).
    Run downNoPassword = runOn(closedPort, null, "friends", "--user", "x");
    assertThat(downNoPassword.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(downNoPassword.err())
        .isEqualTo("imps: cannot connect to 127.0.0.1:" + closedPort + ": connection refused\n");
  }

  @Test
  void recvFollowPrintsEachMessageAsItArrivesAndAcknowledgesIt() throws Exception {
    String[] ab = friends();
    assertThat(run("secret1", "send", "--user", ab[0], "--to", ab[1], "stored").code()).isZero();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> environment = Map.of("IMPS_PASSWORD", "secret2");
    CompletableFuture<Integer> follower =
        CompletableFuture.supplyAsync(
            () ->
                ImpsCli.run(
                    new String[] {
                      "recv", "--port=" + env.port(), "--host=127.0.0.1", "--user", ab[1], "-f"
                    },
                    new CliIo(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        environment,
                        p -> null)));
    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("stored"));
    assertThat(run("secret1", "send", "--user", ab[0], "--to", ab[1], "live one").code()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("live one"));
    assertThat(follower).isNotDone();
    // Presence lines (the sender came and went) aside, the two messages in order.
    String[] lines =
        Arrays.stream(out.toString().split("\n"))
            .filter(l -> l.startsWith("["))
            .toArray(String[]::new);
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("\\[.+] " + ab[0] + ": stored");
    assertThat(lines[1]).matches("\\[.+] " + ab[0] + ": live one");

    // Logging in elsewhere ends it; what it printed was acknowledged, so that login gets nothing.
    assertThat(run("secret2", "recv", "--user", ab[1]).out()).isEmpty();
    assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.AUTH);
    assertThat(err.toString()).contains("logged in elsewhere; stopped listening");
  }

  @Test
  void friendsShowUnreadCountsAndRecvMarksWhatItPrintedRead() {
    String[] ab = friends();
    String a = ab[0];
    String b = ab[1];
    assertThat(run("secret1", "send", "--user", a, "--to", b, "first").code()).isZero();
    assertThat(run("secret1", "send", "--user", a, "--to", b, "second").code()).isZero();
    Run recv = run("secret2", "recv", "--user", b);
    assertThat(recv.out()).contains(a + ": first").contains(a + ": second");
    // What recv printed is read.
    assertThat(run("secret2", "friends", "--user", b).out())
        .isEqualTo(a + "  offline  location unknown\n");

    assertThat(run("secret1", "send", "--user", a, "--to", b, "third").code()).isZero();
    Run friends = run("secret2", "friends", "--user", b);
    // Reported on stderr in passing: delivered, not read.
    assertThat(friends.err()).contains(a + ": third");
    assertThat(friends.out()).isEqualTo(a + "  offline  location unknown  1 unread\n");
    assertThat(run("secret2", "recv", "--user", b).out()).isEmpty();
    assertThat(run("secret2", "friends", "--user", b).out()).endsWith("  1 unread\n");
  }

  /** Two registered users who are friends. */
  static String[] friends() {
    String a = user("amy");
    String b = user("bea");
    assertThat(run("secret1", "register", "--user", a).code()).isZero();
    assertThat(run("secret2", "register", "--user", b).code()).isZero();
    assertThat(run("secret1", "add", "--user", a, b).code()).isZero();
    assertThat(run("secret2", "accept", "--user", b, a).code()).isZero();
    return new String[] {a, b};
  }

  @Test
  void clipsOfAnySizeGetACleanRefusal() throws Exception {
    String[] ab = friends();
    for (int size : new int[] {61_441, 65_536, 70_000}) {
      Path clip = env.directory().resolve("v" + size + ".amr");
      Files.write(clip, new byte[size]);
      Run r = run("secret1", "voice", "--user", ab[0], "--to", ab[1], clip.toString());
      assertThat(r.code()).as("exit code for %d bytes", size).isEqualTo(ExitCodes.REFUSED);
      assertThat(r.err()).contains("imps: the clip is larger than 61440 bytes");
    }
    // The largest clip the server takes goes through.
    Path largest = env.directory().resolve("v61440.amr");
    Files.write(largest, new byte[61_440]);
    assertThat(run("secret1", "voice", "--user", ab[0], "--to", ab[1], largest.toString()).code())
        .isZero();
    // --max-clip-bytes is for a server that does not announce its limit; this one does (61440 by
    // default), and its limit is the one checked: a clean refusal before sending.
    Path clip = env.directory().resolve("v65536.amr");
    Run raised =
        run(
            "secret1",
            "voice",
            "--user",
            ab[0],
            "--to",
            ab[1],
            "--max-clip-bytes",
            "65000",
            clip.toString());
    assertThat(raised.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(raised.err().lines()).contains("imps: the clip is larger than 61440 bytes");
  }

  @Test
  void voiceFollowsTheClipLimitTheServerAnnounces() throws Exception {
    try (TestServer low =
            new TestServer(
                env.directory().resolve("low"),
                b -> b.with(ServerConfig.Key.MAX_AUDIO_BYTES, 30_000));
        TestServer high =
            new TestServer(
                env.directory().resolve("high"),
                b -> b.with(ServerConfig.Key.MAX_AUDIO_BYTES, 65_000))) {
      String[] lowPair = friendsOn(low.port());
      Run refused = sendClip(low.port(), lowPair, 30_001);
      assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED);
      assertThat(refused.err().lines()).contains("imps: the clip is larger than 30000 bytes");

      String[] highPair = friendsOn(high.port());
      for (int size : new int[] {61_441, 65_000}) {
        Run sent = sendClip(high.port(), highPair, size);
        assertThat(sent.code()).as("%d bytes", size).isZero();
        assertThat(sent.out())
            .isEqualTo("voice clip sent to " + highPair[1] + " (" + size + " bytes)\n");
      }
      for (int size : new int[] {65_001, 65_536, 70_000}) {
        Run r = sendClip(high.port(), highPair, size);
        assertThat(r.code()).as("%d bytes", size).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err().lines()).contains("imps: the clip is larger than 65000 bytes");
      }
    }
  }

  /** Two registered users who are friends, on the server at {@code port}. */
  /** {@code ./imps voice} of a {@code size}-byte clip from pair[0] to pair[1]. */
  private static Run sendClip(int port, String[] pair, int size) throws Exception {
    Path clip = env.directory().resolve("w" + size + ".amr");
    Files.write(clip, new byte[size]);
    return runOn(port, "secret1", "voice", "--user", pair[0], "--to", pair[1], clip.toString());
  }

  static String[] friendsOn(int port) {
    String a = user("amy");
    String b = user("bea");
    assertThat(runOn(port, "secret1", "register", "--user", a).code()).isZero();
    assertThat(runOn(port, "secret2", "register", "--user", b).code()).isZero();
    assertThat(runOn(port, "secret1", "add", "--user", a, b).code()).isZero();
    assertThat(runOn(port, "secret2", "accept", "--user", b, a).code()).isZero();
    return new String[] {a, b};
  }

  @Test
  void messagesNameWhatIsWrongAndItsLimit() throws Exception {
    String[] ab = friends();
    Run blank = run("secret1", "send", "--user", ab[0], "--to", ab[1], "   ");
    assertThat(blank.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(blank.err())
        .isEqualTo("imps: the message is blank (only spaces); nothing was sent\n");
    Run tooLong = run("secret1", "send", "--user", ab[0], "--to", ab[1], "x".repeat(5000));
    assertThat(tooLong.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(tooLong.err()).contains("imps: the message is longer than 4096 characters");

    Path missing = env.directory().resolve("clip.amr");
    Run noFile = run("secret1", "voice", "--user", ab[0], "--to", ab[1], missing.toString());
    assertThat(noFile.err()).isEqualTo("imps: cannot read " + missing + ": no such file\n");

    Run again = run("secret1", "add", "--user", ab[0], ab[1]);
    assertThat(again.out()).isEqualTo("you and " + ab[1] + " are already friends\n");

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Run down = runOn(closedPort, "secret1", "send", "--user", "x", "--to", "y", "hi");
    assertThat(down.err())
        .isEqualTo("imps: cannot connect to 127.0.0.1:" + closedPort + ": connection refused\n");
  }

  @Test
  void acceptingPrintsOneLineAndMutualRequestsSaySo() {
    String a = user("cy");
    String b = user("di");
    run("secret1", "register", "--user", a);
    run("secret2", "register", "--user", b);
    run("secret1", "add", "--user", a, b);
    Run accept = run("secret2", "accept", "--user", b, a);
    assertThat(accept.out())
        .isEqualTo("accepted " + a + "'s friend request; you are now friends\n");
    assertThat(accept.err()).doesNotContain("now friends");

    String c = user("ed");
    run("secret1", "register", "--user", c);
    run("secret1", "add", "--user", c, a);
    Run mutual = run("secret1", "add", "--user", a, c);
    assertThat(mutual.out())
        .isEqualTo("you and " + c + " are now friends (" + c + " had asked you too)\n");
  }

  @Test
  void everyCommandPrintsItsVersionAndAHelpThatFitsATerminal() {
    // Every client command of the launcher (./imps), as its usage lists them.
    for (String cmd :
        new String[] {
          "chat",
          "register",
          "add",
          "accept",
          "reject",
          "friends",
          "send",
          "voice",
          "share",
          "recv",
          "track",
          "history",
          "unfriend",
          "block",
          "unblock",
          "blocked",
          "passwd",
          "delete-account"
        }) {
      Run r = run(null, cmd, "--version");
      assertThat(r.code()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).matches("IMPS client \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
      Run help = run(null, cmd, "--help");
      assertThat(help.code()).as(cmd).isZero();
      // picocli wraps at 80 columns: a longer line would break mid-word in a terminal.
      assertThat(help.out().lines())
          .as(cmd)
          .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
      if (!cmd.equals("register")) { // the only one that does not log in, so receives no clip
        assertThat(help.out())
            .as(cmd)
            .contains("Received voice clips are saved to --save-dir, by default");
      }
    }
  }

  @Test
  void clipsGoToTheDataDirectoryAndPositionsCanBeShared() throws Exception {
    String[] ab = friends();
    Path clip = env.directory().resolve("hello.amr");
    Files.write(clip, new byte[] {7, 7, 7});
    assertThat(run("secret1", "voice", "--user", ab[0], "--to", ab[1], clip.toString()).code())
        .isZero();
    Run recv = run("secret2", "recv", "--user", ab[1]);
    Path clips = env.directory().resolve("xdg-data").resolve("imps").resolve("clips");
    assertThat(recv.out()).contains("saved to " + clips.resolve(ab[0]));
    try (var files = Files.list(clips)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith(ab[0]))).hasSize(1);
    }

    Run share = run("secret1", "share", "--user", ab[0], "23.13,113.26");
    assertThat(share.code()).isZero();
    assertThat(share.out()).isEqualTo("shared position 23.13,113.26\n");
    assertThat(run("secret2", "friends", "--user", ab[1]).out())
        .startsWith(ab[0] + "  offline  at 23.13,113.26 (");
    Run bad = run("secret1", "share", "--user", ab[0], "91,0");
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("latitude must be within -90..90");
  }

  @Test
  void aThrottledLoginSaysHowLongToWait() {
    String a = user("locked");
    run("secret1", "register", "--user", a);
    for (int i = 0; i < 5; i++) {
      assertThat(run("wrong-pass", "friends", "--user", a).code()).isEqualTo(ExitCodes.AUTH);
    }
    Run locked = run("secret1", "friends", "--user", a);
    assertThat(locked.code()).isEqualTo(ExitCodes.RETRY);
    assertThat(locked.err())
        .contains("too many failed logins")
        .contains("1 s after 5 failures, doubling with each further failure, at most 10 min");
  }
}
