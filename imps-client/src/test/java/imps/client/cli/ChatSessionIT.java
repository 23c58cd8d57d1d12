package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import imps.client.ClientOptions;
import imps.client.ImpsClient;
import imps.client.ImpsListener;
import imps.client.ReconnectPolicy;
import imps.client.TestServer;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.server.config.ServerConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat command layer driven by scripted lines, against a real server. */
class ChatSessionIT {
  @TempDir Path dir;
  TestServer server;
  final List<String> aliceOut = new CopyOnWriteArrayList<>();
  final List<String> bobOut = new CopyOnWriteArrayList<>();
  ChatSession alice;
  ChatSession bob;

  ChatSession session(List<String> out, String saveDir) {
    return new ChatSession(
        l -> new ImpsClient(ClientOptions.builder().port(server.port()).build(), l),
        out::add,
        dir.resolve(saveDir));
  }

  @BeforeEach
  void setUp() {
    server = new TestServer(dir.resolve("db"));
    alice = session(aliceOut, "a");
    bob = session(bobOut, "b");
  }

  @AfterEach
  void tearDown() {
    alice.close();
    bob.close();
    server.close();
  }

  static void awaitLine(List<String> out, String fragment) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(out).anyMatch(l -> l.contains(fragment)));
  }

  @Test
  void unfriendBlockAndPasswd() throws Exception {
    assertThat(alice.register("alice", "secret1", Gender.UNSPECIFIED, "")).isTrue();
    assertThat(alice.login("alice", "secret1")).isTrue();
    assertThat(
            bob.register("bob", "secret1", Gender.UNSPECIFIED, "") && bob.login("bob", "secret1"))
        .isTrue();
    alice.handle("/add bob");
    awaitLine(bobOut, "friend request from alice");
    bob.handle("/accept alice");
    awaitLine(aliceOut, "bob");
    await().atMost(Duration.ofSeconds(10)).until(() -> alice.friendNames().contains("bob"));
    alice.handle("/unfriend bob");
    assertThat(aliceOut).contains("bob is no longer your friend");
    awaitLine(bobOut, "alice is no longer your friend");
    assertThat(bob.friendNames()).doesNotContain("alice");
    alice.handle("/block bob");
    assertThat(aliceOut).anyMatch(l -> l.startsWith("bob is blocked"));
    alice.handle("/blocked");
    assertThat(aliceOut).contains("blocked: bob");
    alice.handle("/unblock bob");
    alice.handle("/blocked");
    assertThat(aliceOut).contains("you have blocked nobody");

    alice.handle("/passwd");
    assertThat(aliceOut).contains("error: /passwd needs a terminal");
    Deque<String> answers = new ArrayDeque<>(List.of("secret1", "n3w-secret", "n3w-secret"));
    alice.secretsFrom(prompt -> answers.removeFirst());
    alice.handle("/passwd");
    assertThat(aliceOut).contains("password changed; your other devices must log in again");
    ChatSession again = session(new CopyOnWriteArrayList<>(), "c");
    try {
      assertThat(again.login("alice", "secret1")).isFalse();
      assertThat(again.login("alice", "n3w-secret")).isTrue();
    } finally {
      again.close();
    }
  }

  @Test
  void deleteAccountAsksTheNameAndThePasswordThenEndsTheChat() throws Exception {
    aliceAndBobAreFriends();
    assertThat(alice.handle("/delete-account")).isTrue();
    assertThat(aliceOut).contains("error: /delete-account needs a terminal");

    Deque<String> lines = new ArrayDeque<>(List.of("alicia", "alice", "alice"));
    Deque<String> secrets = new ArrayDeque<>(List.of("wrong-pw", "secret1"));
    List<String> prompts = new CopyOnWriteArrayList<>();
    alice.promptsFrom(
        prompt -> {
          prompts.add(prompt);
          return lines.removeFirst();
        },
        prompt -> {
          prompts.add(prompt);
          return secrets.removeFirst();
        });
    // A name that is not the user's own: nothing is asked further, nothing deleted.
    assertThat(alice.handle("/delete-account")).isTrue();
    assertThat(aliceOut).contains("not deleted");
    assertThat(prompts).containsExactly("type alice to confirm: ");
    // A wrong password: refused by the server, the chat goes on.
    assertThat(alice.handle("/delete-account")).isTrue();
    assertThat(aliceOut).contains("error: wrong password");
    assertThat(alice.client().state()).isEqualTo(ImpsClient.State.LOGGED_IN);
    aliceOut.clear();
    assertThat(alice.handle("/delete-account")).isFalse();
    assertThat(prompts)
        .containsExactly(
            "type alice to confirm: ",
            "type alice to confirm: ",
            "password: ",
            "type alice to confirm: ",
            "password: ");
    assertThat(aliceOut.get(0)).startsWith("this deletes the account alice and everything of it");
    assertThat(aliceOut).contains("account alice deleted");
    awaitLine(bobOut, "alice is no longer your friend");
    // The connection the server closed is not reported as lost.
    Thread.sleep(300);
    assertThat(aliceOut).noneMatch(l -> l.contains("connection lost"));
    ChatSession again = session(new CopyOnWriteArrayList<>(), "c");
    try {
      assertThat(again.login("alice", "secret1")).isFalse();
    } finally {
      again.close();
    }
  }

  @Test
  void distancesAreFromThePositionSharedBeforeThisSessionUntilANewOne() throws Exception {
    aliceAndBobAreFriends();
    alice.handle("/share 23.14,113.26");
    bob.handle("/share 23.13,113.26");
    bob.close();
    List<String> out = new CopyOnWriteArrayList<>();
    ChatSession bobAgain = session(out, "b2");
    try {
      assertThat(bobAgain.login("bob", "secret1")).isTrue();
      bobAgain.handle("/friends");
      assertThat(out).anyMatch(l -> l.startsWith("alice  ") && l.endsWith(", 1.1 km N of you"));
      bobAgain.handle("/share 23.15,113.26");
      bobAgain.handle("/where alice");
      assertThat(out).anyMatch(l -> l.contains("1.1 km S of you"));
    } finally {
      bobAgain.close();
    }
  }

  @Test
  void twoUsersBefriendChatAndSeePresence() throws Exception {
    assertThat(alice.register("alice", "secret1", Gender.UNSPECIFIED, "")).isTrue();
    assertThat(alice.register("alice", "secret1", Gender.UNSPECIFIED, "")).isFalse();
    assertThat(aliceOut).contains("error: the user name alice is already taken");
    assertThat(alice.login("alice", "wrong-pw")).isFalse();
    assertThat(aliceOut).contains("error: wrong user name or password");
    assertThat(alice.login("alice", "secret1")).isTrue();
    assertThat(
            bob.register("bob", "secret1", Gender.UNSPECIFIED, "") && bob.login("bob", "secret1"))
        .isTrue();

    alice.handle("hello?");
    assertThat(aliceOut).anyMatch(l -> l.startsWith("no conversation yet"));
    alice.handle("/add bob");
    assertThat(aliceOut).contains("friend request sent to bob");
    awaitLine(bobOut, "friend request from alice (/accept alice or /reject alice)");
    assertThat(bob.pendingRequests()).containsExactly("alice");
    bob.handle("/accept alice");
    awaitLine(aliceOut, "you and bob are now friends");
    assertThat(alice.friendNames()).containsExactly("bob");

    alice.handle("/msg BOB hi bob");
    assertThat(alice.prompt()).isEqualTo("[bob]> ");
    awaitLine(bobOut, "alice: hi bob");
    alice.handle("how are you?");
    awaitLine(bobOut, "alice: how are you?");
    bob.handle("/msg alice fine");
    awaitLine(aliceOut, "bob: fine");

    bob.handle("/status invisible");
    assertThat(bobOut).contains("you are now invisible");
    awaitLine(aliceOut, "bob is now offline");
    bob.handle("/status online");
    awaitLine(aliceOut, "bob is now online");
    bob.handle("/status away");
    assertThat(bobOut).contains("usage: /status online|invisible");

    bob.client()
        .heartbeat(
            List.of(new imps.protocol.message.LocationFix("2026-11-28 12:00:00", "23.13,113.26")))
        .join();
    alice.handle("/where bob");
    assertThat(aliceOut).contains("bob  online  at 23.13,113.26 (2026-11-28 12:00:00)");
    alice.handle("/friends");
    alice.handle("/where carol");
    assertThat(aliceOut).contains("error: carol is not your friend (ask with /add carol)");

    Path clip = dir.resolve("clip.ogg");
    Files.write(clip, new byte[] {9, 8, 7});
    alice.handle("/voice bob " + clip);
    assertThat(aliceOut).contains("voice clip sent to bob (3 bytes)");
    awaitLine(bobOut, "alice sent a voice clip (3 bytes), saved to ");
    try (var files = Files.list(dir.resolve("b"))) {
      assertThat(Files.readAllBytes(files.findFirst().orElseThrow())).containsExactly(9, 8, 7);
    }

    alice.handle("/msg nobody hi");
    assertThat(aliceOut).contains("error: there is no user named nobody");
    alice.handle("/reject nobody");
    assertThat(aliceOut).contains("error: there is no pending friend request from nobody");
    alice.handle("/frobnicate");
    assertThat(aliceOut).contains("unknown command /frobnicate (see /help)");
    alice.handle("/help");
    assertThat(aliceOut).anyMatch(l -> l.startsWith("/quit"));

    assertThat(bob.handle("/quit")).isFalse();
    bob.close();
    awaitLine(aliceOut, "bob is now offline");
  }

  // ---------------------------------------------------------------------------------------------
  // First-run polish (issue 10)
  // ---------------------------------------------------------------------------------------------

  /** Answers the login prompts from a script; every prompt shown is recorded as "? PROMPT". */
  static final class Script implements ChatLogin.Prompter {
    final Deque<String> answers;
    final List<String> out;

    Script(List<String> out, String... answers) {
      this.out = out;
      this.answers = new ArrayDeque<>(Arrays.asList(answers));
    }

    @Override
    public String line(String prompt) {
      out.add("? " + prompt);
      if (answers.isEmpty()) {
        throw new IllegalStateException("the script ended at the prompt " + prompt);
      }
      return answers.removeFirst();
    }

    @Override
    public String secret(String prompt) {
      return line(prompt);
    }
  }

  int login(
      ChatSession session, List<String> out, String user, boolean register, String... script) {
    return new ChatLogin(session, new Script(out, script), Map.of(), out::add).run(user, register);
  }

  void registerUser(String user, String password) {
    try (ImpsClient c =
        new ImpsClient(
            ClientOptions.builder().port(server.port()).build(), new ImpsListener() {})) {
      c.connect().join();
      assertThat(c.register(user, password, Gender.UNSPECIFIED, "").join()).isTrue();
    }
  }

  /** alice and bob, logged in and friends. */
  void aliceAndBobAreFriends() throws Exception {
    registerUser("alice", "secret1");
    registerUser("bob", "secret1");
    assertThat(alice.login("alice", "secret1") && bob.login("bob", "secret1")).isTrue();
    alice.handle("/add bob");
    awaitLine(bobOut, "friend request from alice");
    bob.handle("/accept alice");
    awaitLine(aliceOut, "you and bob are now friends");
  }

  @Test
  void loginChecksFieldsRetriesAndOffersRegistrationWithoutLosingTheWay() {
    registerUser("carol", "secret1");
    List<String> out = new CopyOnWriteArrayList<>();
    ChatSession carol = session(out, "c");
    try {
      int code =
          login(
              carol,
              out,
              null,
              false,
              "bob smith", // invalid name: said at once, asked again
              "carol",
              "wrong-1", // wrong password: carol exists, but the server does not say so
              "y", // register carol with it? the registration finds out
              "wrong-1", // the password typed once more, to be sure of it
              "not-an-email", // asked again
              "",
              "secret1"); // back to the password: right this time
      assertThat(code).isEqualTo(ExitCodes.OK);
      assertThat(out)
          .containsSubsequence(
              "? User name: ",
              "error: " + InputRules.NAME_RULE,
              "? User name: ",
              "? Password: ",
              "error: wrong user name or password",
              "? No account carol with this password; register carol with it? [y/N] ",
              "? Repeat password: ",
              "? Email (optional): ",
              "error: " + InputRules.EMAIL_RULE,
              "? Email (optional): ",
              "error: the user name carol is already taken",
              "error: carol exists, so the password was wrong; try again",
              "? Password: ",
              "logged in as carol. Type /help for commands.");
      // The password typed at the first prompt is the one offered: no new one is asked for.
      assertThat(out).doesNotContain("? New password: ");
    } finally {
      carol.close();
    }
  }

  @Test
  void aNewNameIsRegisteredWithThePasswordTypedAtLogin() {
    List<String> out = new CopyOnWriteArrayList<>();
    try (ChatSession s = session(out, "d")) {
      assertThat(login(s, out, "dora", false, "doorbell1", "y", "doorbell1", ""))
          .isEqualTo(ExitCodes.OK);
      assertThat(out)
          .containsSubsequence(
              "? Password: ",
              "error: wrong user name or password",
              "? No account dora with this password; register dora with it? [y/N] ",
              "? Repeat password: ",
              "? Email (optional): ",
              "registered dora",
              "logged in as dora. Type /help for commands.")
          .doesNotContain("? New password: ");
    }
    // Typed differently the second time, or too short: a new one is asked for, checked as typed.
    out.clear();
    try (ChatSession s = session(out, "e")) {
      int code =
          login(
              s,
              out,
              "dorian",
              false,
              "typed-one",
              "y",
              "typed-two",
              "12345",
              "12345",
              "newpass1",
              "newpass1",
              "");
      assertThat(code).isEqualTo(ExitCodes.OK);
      assertThat(out)
          .containsSubsequence(
              "? Repeat password: ",
              "error: the passwords differ; choose one",
              "? New password: ",
              "? Repeat password: ",
              "error: a password has 6-128 characters",
              "? New password: ",
              "? Repeat password: ",
              "registered dorian");
    }
    out.clear();
    try (ChatSession s = session(out, "f")) {
      assertThat(login(s, out, "dorothy", false, "short", "y", "newpass1", "newpass1", ""))
          .isEqualTo(ExitCodes.OK);
      assertThat(out)
          .containsSubsequence(
              "error: a password has 6-128 characters; choose one",
              "? New password: ",
              "registered dorothy");
      // Not asked to repeat a password that cannot be one: only the new one is repeated.
      assertThat(out).filteredOn(l -> l.equals("? Repeat password: ")).hasSize(1);
    }
  }

  @Test
  void aDeadServerIsReportedBeforeThePasswordAndWrongPasswordsEndAfterThreeAttempts()
      throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    List<String> out = new CopyOnWriteArrayList<>();
    try (ChatSession nowhere =
        new ChatSession(
            l -> new ImpsClient(ClientOptions.builder().port(closedPort).build(), l),
            out::add,
            dir.resolve("n"))) {
      assertThat(login(nowhere, out, "dave", false)).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(out)
          .containsExactly(
              "error: cannot connect to 127.0.0.1:" + closedPort + ": connection refused");
    }

    registerUser("erin", "secret1");
    out.clear();
    try (ChatSession erin = session(out, "e")) {
      assertThat(login(erin, out, "erin", false, "nope-1", "n", "nope-2", "nope-3"))
          .isEqualTo(ExitCodes.AUTH);
      assertThat(out)
          .containsSubsequence("try again (2 attempts left)", "try again (1 attempt left)");
      assertThat(out).filteredOn(l -> l.equals("? Password: ")).hasSize(3);
    }
  }

  @Test
  void registeringATakenNameAsksForAnotherOne() {
    registerUser("frank", "secret1");
    List<String> out = new CopyOnWriteArrayList<>();
    try (ChatSession s = session(out, "f")) {
      int code =
          login(s, out, "frank", true, "secret9", "secret9", "", "franz", "secret9", "secret9", "");
      assertThat(code).isEqualTo(ExitCodes.OK);
      assertThat(out)
          .containsSubsequence(
              "error: the user name frank is already taken",
              "? User name: ",
              "registered franz",
              "logged in as franz. Type /help for commands.");
    }
  }

  @Test
  void aUserWhoLogsInInvisibleIsToldSo() {
    registerUser("gina", "secret1");
    Path statusFile = dir.resolve("state").resolve("status.properties");
    List<String> out = new CopyOnWriteArrayList<>();
    ChatSettings settings = new ChatSettings(dir.resolve("g"), statusFile, Duration.ofSeconds(5));
    try (ChatSession first =
        new ChatSession(
            l -> new ImpsClient(ClientOptions.builder().port(server.port()).build(), l),
            out::add,
            settings)) {
      assertThat(first.login("gina", "secret1")).isTrue();
      assertThat(out).noneMatch(l -> l.startsWith("you are invisible"));
      first.handle("/status invisible");
    }
    out.clear();
    try (ChatSession again =
        new ChatSession(
            l -> new ImpsClient(ClientOptions.builder().port(server.port()).build(), l),
            out::add,
            settings)) {
      assertThat(again.login("gina", "secret1")).isTrue();
      assertThat(out)
          .containsSubsequence(
              "logged in as gina. Type /help for commands.",
              "you are invisible: friends see you as offline (/status online to show yourself)");
    }
  }

  @Test
  void invisibilityChosenOnAnotherClientIsToldAtLogin() {
    registerUser("hank", "secret1");
    try (ImpsClient phone =
        new ImpsClient(
            ClientOptions.builder().port(server.port()).build(), new ImpsListener() {})) {
      phone.connect().join();
      phone.login("hank", "secret1").join();
      phone.setStatus(Presence.INVISIBLE).join();
    }
    List<String> out = new CopyOnWriteArrayList<>();
    // A fresh machine: no memory of the choice here.
    ChatSettings settings =
        new ChatSettings(
            dir.resolve("h"), dir.resolve("h-state.properties"), Duration.ofSeconds(5));
    try (ChatSession chat =
        new ChatSession(
            l -> new ImpsClient(ClientOptions.builder().port(server.port()).build(), l),
            out::add,
            settings)) {
      assertThat(chat.login("hank", "secret1")).isTrue();
      assertThat(out)
          .contains(
              "you are invisible: friends see you as offline (/status online to show yourself)");
    }
  }

  @Test
  void theGreetingComesBeforeStoredMessages() throws Exception {
    aliceAndBobAreFriends();
    for (int round = 0; round < 3; round++) {
      bob.close();
      for (int i = 1; i <= 3; i++) {
        alice.handle("/msg bob stored " + round + "." + i);
      }
      bobOut.clear();
      bob = session(bobOut, "b");
      assertThat(bob.login("bob", "secret1")).isTrue();
      awaitLine(bobOut, "alice: stored " + round + ".3");
      assertThat(bobOut.get(0)).isEqualTo("logged in as bob. Type /help for commands.");
      String stored = "alice: stored " + round + ".";
      assertThat(bobOut.subList(1, 4)).allMatch(l -> l.contains(stored));
    }
  }

  @Test
  void theReconnectedLineComesBeforeWhatWasStoredMeanwhile() throws Exception {
    bob.close();
    bob =
        new ChatSession(
            l ->
                new ImpsClient(
                    ClientOptions.builder()
                        .port(server.port())
                        .reconnect(
                            ReconnectPolicy.exponential(
                                Duration.ofSeconds(2), Duration.ofSeconds(2)))
                        .build(),
                    l),
            bobOut::add,
            dir.resolve("b"));
    aliceAndBobAreFriends();
    server.stop();
    awaitLine(bobOut, "connection lost; reconnecting...");
    server.restart();
    // While bob's chat waits to reconnect, alice sends him three messages: they are stored.
    alice.close();
    alice = session(aliceOut, "a");
    assertThat(alice.login("alice", "secret1")).isTrue();
    for (int i = 1; i <= 3; i++) {
      alice.handle("/msg bob meanwhile " + i);
    }
    awaitLine(bobOut, "alice: meanwhile 3");
    int reconnected = bobOut.indexOf("reconnected as bob");
    assertThat(reconnected).as(String.join("\n", bobOut)).isNotNegative();
    for (int i = 1; i <= 3; i++) {
      String text = "alice: meanwhile " + i;
      int at = -1;
      for (int n = 0; n < bobOut.size(); n++) {
        if (bobOut.get(n).endsWith(text)) {
          at = n;
        }
      }
      assertThat(at).as(String.join("\n", bobOut)).isGreaterThan(reconnected);
    }
  }

  @Test
  void eachOutgoingMessageShowsItsStateAndShownMessagesAreMarkedRead() throws Exception {
    aliceAndBobAreFriends();
    alice.handle("/msg bob are you there?");
    // bob's chat shows it, which acknowledges it (delivered) and marks it read.
    awaitLine(bobOut, "alice: are you there?");
    awaitLine(aliceOut, "#1 to bob: read");
    assertThat(aliceOut)
        .filteredOn(l -> l.startsWith("#1 "))
        .containsExactly(
            "#1 to bob: sent", "#1 to bob: stored", "#1 to bob: delivered", "#1 to bob: read");

    // To a friend who is away: stored only, until the friend comes back and sees it.
    bob.close();
    awaitLine(aliceOut, "bob is now offline");
    alice.handle("later, then");
    awaitLine(aliceOut, "#2 to bob: stored");
    assertThat(aliceOut).noneMatch(l -> l.startsWith("#2 to bob: delivered"));
    bobOut.clear();
    bob = session(bobOut, "b");
    assertThat(bob.login("bob", "secret1")).isTrue();
    awaitLine(bobOut, "alice: later, then");
    awaitLine(aliceOut, "#2 to bob: read");
    assertThat(aliceOut)
        .filteredOn(l -> l.startsWith("#2 "))
        .containsExactly(
            "#2 to bob: sent", "#2 to bob: stored", "#2 to bob: delivered", "#2 to bob: read");
  }

  /** Messages from alice that reach bob's other client, which shows them but never reads them. */
  void aliceWritesToBobsOtherClient(String... texts) throws Exception {
    bob.close();
    imps.client.Recorder seen = new imps.client.Recorder();
    try (ImpsClient other =
        new ImpsClient(ClientOptions.builder().port(server.port()).build(), seen)) {
      other.connect().join();
      other.login("bob", "secret1").join();
      for (String t : texts) {
        alice.handle("/msg bob " + t);
        assertThat(seen.await(imps.client.ReceivedMessage.class).text()).isEqualTo(t);
      }
      other.logout().join();
    }
    bobOut.clear();
    bob = session(bobOut, "b");
  }

  @Test
  void unreadCountsShowAtLoginAndInFriendsUntilTheConversationIsOpened() throws Exception {
    aliceAndBobAreFriends();
    aliceWritesToBobsOtherClient("one", "two", "three");
    assertThat(bob.login("bob", "secret1")).isTrue();
    assertThat(bobOut).contains("3 unread from alice (/msg alice shows them)");
    bob.handle("/friends");
    assertThat(bobOut).anyMatch(l -> l.startsWith("alice  online") && l.endsWith("  3 unread"));

    // Opening the conversation shows the unread messages and marks them read: alice sees it.
    bobOut.clear();
    bob.handle("/msg alice");
    assertThat(bobOut.get(0)).isEqualTo("3 unread from alice:");
    assertThat(bobOut.subList(1, 4))
        .satisfiesExactly(
            l -> assertThat(l).endsWith("] alice: one"),
            l -> assertThat(l).endsWith("] alice: two"),
            l -> assertThat(l).endsWith("] alice: three"));
    assertThat(bobOut).contains("now talking to alice; plain lines are sent to them");
    awaitLine(aliceOut, "#3 to bob: read");
    assertThat(bob.client().unread().join().byFriend()).isEmpty();
    bobOut.clear();
    bob.handle("/friends");
    assertThat(bobOut).anyMatch(l -> l.startsWith("alice  online"));
    assertThat(bobOut).noneMatch(l -> l.contains("unread"));
  }

  @Test
  void writingInAConversationMarksItRead() throws Exception {
    aliceAndBobAreFriends();
    aliceWritesToBobsOtherClient("are you there?");
    assertThat(bob.login("bob", "secret1")).isTrue();
    assertThat(bobOut).contains("1 unread from alice (/msg alice shows them)");
    bob.handle("/msg alice yes");
    awaitLine(aliceOut, "#1 to bob: read");
    awaitLine(aliceOut, "bob: yes");
    assertThat(bob.client().unread().join().byFriend()).isEmpty();
  }

  @Test
  void showingTheConversationWithHistoryMarksItRead() throws Exception {
    aliceAndBobAreFriends();
    aliceWritesToBobsOtherClient("one", "two");
    assertThat(bob.login("bob", "secret1")).isTrue();
    assertThat(bobOut).contains("2 unread from alice (/msg alice shows them)");
    bob.handle("/history alice 0");
    assertThat(bob.client().unread().join().count("alice")).isEqualTo(2);
    bob.handle("/history alice");
    awaitLine(bobOut, "] alice: two");
    assertThat(bob.client().unread().join().byFriend()).isEmpty();
  }

  @Test
  void messagesShownAtLoginAndLiveAreNotCountedUnread() throws Exception {
    aliceAndBobAreFriends();
    bob.close();
    alice.handle("/msg bob stored 1");
    alice.handle("/msg bob stored 2");
    awaitLine(aliceOut, "#2 to bob: stored");
    bobOut.clear();
    bob = session(bobOut, "b");
    assertThat(bob.login("bob", "secret1")).isTrue();
    awaitLine(bobOut, "alice: stored 2");
    assertThat(bobOut).noneMatch(l -> l.contains("unread"));
    alice.handle("live one");
    awaitLine(bobOut, "alice: live one");
    awaitLine(aliceOut, "#3 to bob: read");
    bob.handle("/friends");
    assertThat(bobOut).noneMatch(l -> l.contains("unread"));
    assertThat(bob.client().unread().join().byFriend()).isEmpty();
  }

  @Test
  void historyShowsTheConversationOldestFirstAndPagesBack() throws Exception {
    aliceAndBobAreFriends();
    for (int i = 1; i <= 3; i++) {
      alice.handle("/msg bob m" + i);
      awaitLine(bobOut, "alice: m" + i);
    }
    bob.handle("/msg alice back");
    awaitLine(aliceOut, "bob: back");
    aliceOut.clear();
    alice.handle("/history bob 2");
    assertThat(aliceOut).hasSize(3);
    assertThat(aliceOut.get(0)).matches("\\[.+\\] me: m3");
    assertThat(aliceOut.get(1)).matches("\\[.+\\] bob: back");
    assertThat(aliceOut.get(2)).isEqualTo("(older messages: /history bob 2)");
    aliceOut.clear();
    alice.handle("/history bob 2");
    assertThat(aliceOut).hasSize(3);
    assertThat(aliceOut.get(0)).endsWith("] me: m1");
    assertThat(aliceOut.get(1)).endsWith("] me: m2");
    assertThat(aliceOut.get(2)).isEqualTo("(start of the conversation)");
    aliceOut.clear();
    alice.handle("/history bob 2");
    assertThat(aliceOut).containsExactly("no older messages");
    alice.handle("/history bob 0");
    assertThat(aliceOut).contains("usage: /history NAME [N]   (N from 1 to 100)");
    alice.handle("/history nobody");
    assertThat(aliceOut).contains("error: there is no user named nobody");
  }

  @Test
  void liveFriendPositionsShowDistanceAndDirection() throws Exception {
    aliceAndBobAreFriends();
    bob.handle("/share 23.13,113.26");
    bob.handle("/live on");
    assertThat(bobOut).contains("friends' live positions on");
    alice.handle("/share 23.14,113.26");
    awaitLine(bobOut, "alice is at 23.14,113.26 (");
    assertThat(bobOut)
        .anyMatch(l -> l.startsWith("alice is at 23.14,113.26") && l.endsWith("N of you"));
    bob.handle("/live maybe");
    assertThat(bobOut).contains("usage: /live on|off");
  }

  @Test
  void trackSummarisesAFriendsFixesOrWritesThemToAFile() throws Exception {
    aliceAndBobAreFriends();
    alice.handle("/share 23.13,113.26");
    alice.handle("/share 23.14,113.26");
    assertThat(aliceOut).contains("shared your position 23.14,113.26 with your friends");
    bobOut.clear();
    bob.handle("/track alice 2000-01-01 now");
    int at = bobOut.indexOf("track of alice: 2 points");
    assertThat(at).as("%s", bobOut).isNotNegative();
    assertThat(bobOut.get(at + 1))
        .matches(
            "  from 23\\.13,113\\.26 \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\) to"
                + " 23\\.14,113\\.26 \\(.+\\), 1\\.1 km along the points");

    // To a file: GPX, or GeoJSON by the name.
    Path gpx = dir.resolve("alice.gpx");
    bob.handle("/track alice 2000-01-01T00:00 2100-01-01T00:00:00Z " + gpx);
    assertThat(bobOut.get(bobOut.size() - 1))
        .isEqualTo("track of alice: 2 points written to " + gpx + " (GPX)");
    assertThat(Files.readString(gpx))
        .startsWith("<?xml")
        .contains("<trkpt lat=\"23.13\" lon=\"113.26\">")
        .contains("<trkpt lat=\"23.14\" lon=\"113.26\">");
    Path json = dir.resolve("alice.geojson");
    alice.handle("/track alice 2000-01-01 now " + json);
    assertThat(aliceOut.get(aliceOut.size() - 1))
        .isEqualTo("track of alice: 2 points written to " + json + " (GEOJSON)");
    assertThat(Files.readString(json)).contains("\"coordinates\":[[113.26,23.13],[113.26,23.14]]");

    // Nothing in the range; refusals.
    bob.handle("/track alice 2001-01-01 2001-01-02");
    assertThat(bobOut.get(bobOut.size() - 1))
        .matches("no fixes of alice between 2001-01-01 00:00:00 and 2001-01-02 00:00:00");
    bob.handle("/track alice yesterday now");
    assertThat(bobOut).contains(TrackView.USAGE);
    bob.handle("/track alice 2000-01-01");
    assertThat(bobOut.get(bobOut.size() - 1)).isEqualTo(TrackView.USAGE);
    bob.handle("/track alice now 2000-01-01");
    assertThat(bobOut).contains("error: FROM is after TO");
    bob.handle("/track");
    assertThat(bobOut).contains("usage: /track NAME FROM TO [FILE]");
    bob.handle("/track nobody 2000-01-01 now");
    assertThat(bobOut).contains("error: nobody is not your friend (send a request with add first)");
  }

  @Test
  void commandsRefuseClearlyAndKeepTheConversation() throws Exception {
    aliceAndBobAreFriends();
    // Accepting printed one line on bob's side, not two.
    Thread.sleep(300);
    assertThat(bobOut)
        .filteredOn(l -> l.contains("friends"))
        .containsExactly("accepted alice's friend request; you are now friends");

    alice.handle("/msg bob hi");
    assertThat(alice.prompt()).isEqualTo("[bob]> ");
    alice.handle("/msg nobody hi");
    assertThat(aliceOut).contains("error: there is no user named nobody");
    assertThat(alice.prompt()).as("a failed /msg keeps the conversation").isEqualTo("[bob]> ");
    alice.handle("/msg nobody");
    assertThat(aliceOut).contains("error: nobody is not your friend (ask with /add nobody)");
    assertThat(alice.prompt()).isEqualTo("[bob]> ");

    alice.handle("/add bob");
    assertThat(aliceOut).contains("you and bob are already friends");
    alice.handle("/add nobody");
    assertThat(aliceOut).contains("error: there is no user named nobody");

    alice.handle("   ");
    assertThat(aliceOut).contains("error: the message is blank (only spaces); nothing was sent");
    alice.handle("x".repeat(4097));
    assertThat(aliceOut).contains("error: the message is longer than 4096 characters");

    for (int size : new int[] {61_441, 65_536, 70_000}) {
      Path big = dir.resolve("v" + size + ".amr");
      Files.write(big, new byte[size]);
      alice.handle("/voice bob " + big);
    }
    assertThat(aliceOut)
        .filteredOn(l -> l.equals("error: the clip is larger than 61440 bytes"))
        .hasSize(3);
    alice.handle("/voice bob clip.amr");
    assertThat(aliceOut).contains("error: cannot read clip.amr: no such file");
    Path empty = Files.createFile(dir.resolve("empty.amr"));
    alice.handle("/voice bob " + empty);
    assertThat(aliceOut).contains("error: cannot send " + empty + ": the file is empty");

    // The chat is still open and working.
    alice.handle("still here");
    awaitLine(bobOut, "alice: still here");
    alice.handle("/help");
    assertThat(aliceOut).anyMatch(l -> l.startsWith("/quit") && l.contains("Ctrl-D"));
  }

  @Test
  void clipsFollowTheLimitTheServerAnnounces() throws Exception {
    // A server that takes clips up to 65000 bytes (its highest setting): the chat follows it
    // without --max-clip-bytes, and refuses anything larger in a line of its own.
    alice.close();
    bob.close();
    server.close();
    server =
        new TestServer(dir.resolve("db65"), b -> b.with(ServerConfig.Key.MAX_AUDIO_BYTES, 65_000));
    alice = session(aliceOut, "a");
    bob = session(bobOut, "b");
    aliceAndBobAreFriends();
    for (int size : new int[] {65_000, 65_001, 65_536, 70_000}) {
      Path clip = dir.resolve("w" + size + ".amr");
      Files.write(clip, new byte[size]);
      alice.handle("/voice bob " + clip);
    }
    assertThat(aliceOut)
        .contains("voice clip sent to bob (65000 bytes)")
        .filteredOn(l -> l.equals("error: the clip is larger than 65000 bytes"))
        .hasSize(3);
    awaitLine(bobOut, "alice sent a voice clip (65000 bytes), saved to ");
    alice.handle("/msg bob still open");
    awaitLine(bobOut, "alice: still open");
  }

  @Test
  void afterLoggedInElsewhereTheChatOffersReconnectAndRefusesPlainly() throws Exception {
    aliceAndBobAreFriends();
    try (ImpsClient other =
        new ImpsClient(
            ClientOptions.builder().port(server.port()).build(), new ImpsListener() {})) {
      other.connect().join();
      other.login("bob", "secret1").join();
      awaitLine(bobOut, "logged in elsewhere; this session was closed. /reconnect");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> bob.client().state() == ImpsClient.State.DISCONNECTED);
      bob.handle("/msg alice hello?");
      assertThat(bobOut)
          .contains(
              "error: not connected; nothing was sent (/reconnect to log in again, /quit to leave)");
      assertThat(bobOut)
          .noneMatch(l -> l.contains("(state"))
          .noneMatch(l -> l.startsWith("connection lost"));
      bob.handle("/reconnect");
      assertThat(bobOut).contains("reconnected as bob");
      bob.handle("/msg alice back");
      awaitLine(aliceOut, "bob: back");
    }
  }

  @Test
  void linesTypedWhileReconnectingAreRefusedPlainly() throws Exception {
    registerUser("hana", "secret1");
    List<String> out = new CopyOnWriteArrayList<>();
    try (ChatSession hana =
        new ChatSession(
            l ->
                new ImpsClient(
                    ClientOptions.builder()
                        .port(server.port())
                        .reconnect(
                            ReconnectPolicy.exponential(
                                Duration.ofMillis(100), Duration.ofMillis(200)))
                        .build(),
                    l),
            out::add,
            dir.resolve("h"))) {
      assertThat(hana.login("hana", "secret1")).isTrue();
      server.stop();
      awaitLine(out, "connection lost; reconnecting...");
      hana.handle("/friends");
      assertThat(out)
          .contains(
              "error: the connection is down and being re-established; nothing was sent (try again"
                  + " once reconnected)");
      server.restart();
      awaitLine(out, "reconnected as hana");
      hana.handle("/friends");
      assertThat(out).contains("no friends yet; ask someone with /add NAME");
    }
  }

  @Test
  void positionsCanBeSharedWalkedAndSeenWithDistance() throws Exception {
    alice.close();
    alice =
        new ChatSession(
            l -> new ImpsClient(ClientOptions.builder().port(server.port()).build(), l),
            aliceOut::add,
            new ChatSettings(dir.resolve("a"), null, Duration.ofMillis(100)));
    aliceAndBobAreFriends();

    alice.handle("/walk");
    assertThat(aliceOut).contains("error: share a starting position first: /share LAT,LON");
    alice.handle("/share 23.13,113.26");
    assertThat(aliceOut).contains("shared your position 23.13,113.26 with your friends");
    alice.handle("/share ninety,0");
    assertThat(aliceOut).anyMatch(l -> l.startsWith("usage: /share LAT,LON"));
    bob.handle("/where alice");
    assertThat(bobOut).anyMatch(l -> l.startsWith("alice  online  at 23.13,113.26 ("));
    bob.handle("/share 23.14, 113.26");
    bob.handle("/where alice");
    assertThat(bobOut)
        .anyMatch(
            l ->
                l.startsWith("alice  online  at 23.13,113.26 (")
                    && l.endsWith(", 1.1 km S of you"));

    alice.handle("/walk 36 90"); // 10 m/s east, a fix every 100 ms
    assertThat(aliceOut)
        .contains(
            "walking from 23.13,113.26 at 36 km/h, bearing 90 degrees: a fix every 0.1 s (/stop to end)");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              bob.handle("/friends");
              assertThat(bobOut.get(bobOut.size() - 1))
                  .startsWith("alice  online  at 23.13,113.26");
              assertThat(bobOut.get(bobOut.size() - 1)).doesNotContain("at 23.13,113.26 (");
            });
    alice.handle("/stop");
    assertThat(aliceOut).anyMatch(l -> l.startsWith("stopped walking at 23.13,113.26"));
    alice.handle("/stop");
    assertThat(aliceOut).contains("not walking (start with /walk)");
  }
}
