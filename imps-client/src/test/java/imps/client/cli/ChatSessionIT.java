package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import imps.client.ClientOptions;
import imps.client.ClientsOnServer;
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
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat command layer driven by scripted lines, against a real server: the class's shared one,
 * with user names of each test's own; a test that stops the server or needs other settings starts
 * one of its own ({@link #ownServer}).
 */
class ChatSessionIT {
  @RegisterExtension static final ClientsOnServer env = new ClientsOnServer();

  /** This test's files: the chats' save directories, clips, tracks. */
  @TempDir Path dir;

  /** The port the sessions made from now on connect to: the shared server's, or {@link #own}. */
  int port = env.port();

  TestServer own;
  final String a = env.name("alice");
  final String b = env.name("bob");
  final List<String> aliceOut = new CopyOnWriteArrayList<>();
  final List<String> bobOut = new CopyOnWriteArrayList<>();
  ChatSession alice;
  ChatSession bob;

  ChatSession session(List<String> out, String saveDir) {
    return new ChatSession(
        l -> new ImpsClient(ClientOptions.builder().port(port).build(), l),
        out::add,
        dir.resolve(saveDir));
  }

  @BeforeEach
  void setUp() {
    alice = session(aliceOut, "a");
    bob = session(bobOut, "b");
  }

  @AfterEach
  void tearDown() {
    alice.close();
    bob.close();
    if (own != null) {
      own.close();
    }
  }

  /**
   * Starts a server of this test's own on the test settings and then {@code settings}, with its
   * data in this test's directory, and makes alice's and bob's sessions again on it; the sessions
   * made afterwards connect to it as well.
   */
  TestServer ownServer(Consumer<ServerConfig.Builder> settings) {
    alice.close();
    bob.close();
    own = new TestServer(dir.resolve("db"), settings);
    port = own.port();
    alice = session(aliceOut, "a");
    bob = session(bobOut, "b");
    return own;
  }

  static void awaitLine(List<String> out, String fragment) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(out).anyMatch(l -> l.contains(fragment)));
  }

  @Test
  void unfriendBlockAndPasswd() throws Exception {
    assertThat(alice.register(a, "secret1", Gender.UNSPECIFIED, "")).isTrue();
    assertThat(alice.login(a, "secret1")).isTrue();
    assertThat(bob.register(b, "secret1", Gender.UNSPECIFIED, "") && bob.login(b, "secret1"))
        .isTrue();
    alice.handle("/add " + b);
    awaitLine(bobOut, "friend request from " + a);
    bob.handle("/accept " + a);
    awaitLine(aliceOut, b);
    await().atMost(Duration.ofSeconds(10)).until(() -> alice.friendNames().contains(b));
    alice.handle("/unfriend " + b);
    assertThat(aliceOut).contains(b + " is no longer your friend");
    awaitLine(bobOut, a + " is no longer your friend");
    assertThat(bob.friendNames()).doesNotContain(a);
    alice.handle("/block " + b);
    assertThat(aliceOut).anyMatch(l -> l.startsWith(b + " is blocked"));
    alice.handle("/blocked");
    assertThat(aliceOut).contains("blocked: " + b);
    alice.handle("/unblock " + b);
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
      assertThat(again.login(a, "secret1")).isFalse();
      assertThat(again.login(a, "n3w-secret")).isTrue();
    } finally {
      again.close();
    }
  }

  @Test
  void deleteAccountAsksTheNameAndThePasswordThenEndsTheChat() throws Exception {
    aliceAndBobAreFriends();
    assertThat(alice.handle("/delete-account")).isTrue();
    assertThat(aliceOut).contains("error: /delete-account needs a terminal");

    Deque<String> lines = new ArrayDeque<>(List.of("alicia", a, a));
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
    assertThat(prompts).containsExactly("type " + a + " to confirm: ");
    // A wrong password: refused by the server, the chat goes on.
    assertThat(alice.handle("/delete-account")).isTrue();
    assertThat(aliceOut).contains("error: wrong password");
    assertThat(alice.client().state()).isEqualTo(ImpsClient.State.LOGGED_IN);
    aliceOut.clear();
    assertThat(alice.handle("/delete-account")).isFalse();
    assertThat(prompts)
        .containsExactly(
            "type " + a + " to confirm: ",
            "type " + a + " to confirm: ",
            "password: ",
            "type " + a + " to confirm: ",
            "password: ");
    assertThat(aliceOut.get(0))
        .startsWith("this deletes the account " + a + " and everything of it");
    assertThat(aliceOut).contains("account " + a + " deleted");
    awaitLine(bobOut, a + " is no longer your friend");
    // The connection the server closed is not reported as lost.
    Thread.sleep(300);
    assertThat(aliceOut).noneMatch(l -> l.contains("connection lost"));
    ChatSession again = session(new CopyOnWriteArrayList<>(), "c");
    try {
      assertThat(again.login(a, "secret1")).isFalse();
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
      assertThat(bobAgain.login(b, "secret1")).isTrue();
      bobAgain.handle("/friends");
      assertThat(out).anyMatch(l -> l.startsWith(a + "  ") && l.endsWith(", 1.1 km N of you"));
      bobAgain.handle("/share 23.15,113.26");
      bobAgain.handle("/where " + a);
      assertThat(out).anyMatch(l -> l.contains("1.1 km S of you"));
    } finally {
      bobAgain.close();
    }
  }

  @Test
  void twoUsersBefriendChatAndSeePresence() throws Exception {
    assertThat(alice.register(a, "secret1", Gender.UNSPECIFIED, "")).isTrue();
    assertThat(alice.register(a, "secret1", Gender.UNSPECIFIED, "")).isFalse();
    assertThat(aliceOut).contains("error: the user name " + a + " is already taken");
    assertThat(alice.login(a, "wrong-pw")).isFalse();
    assertThat(aliceOut).contains("error: wrong user name or password");
    assertThat(alice.login(a, "secret1")).isTrue();
    assertThat(bob.register(b, "secret1", Gender.UNSPECIFIED, "") && bob.login(b, "secret1"))
        .isTrue();

    alice.handle("hello?");
    assertThat(aliceOut).anyMatch(l -> l.startsWith("no conversation yet"));
    alice.handle("/add " + b);
    assertThat(aliceOut).contains("friend request sent to " + b);
    awaitLine(bobOut, "friend request from " + a + " (/accept " + a + " or /reject " + a + ")");
    assertThat(bob.pendingRequests()).containsExactly(a);
    bob.handle("/accept " + a);
    awaitLine(aliceOut, "you and " + b + " are now friends");
    assertThat(alice.friendNames()).containsExactly(b);

    alice.handle("/msg " + b.toUpperCase() + " hi " + b);
    assertThat(alice.prompt()).isEqualTo("[" + b + "]> ");
    awaitLine(bobOut, a + ": hi " + b);
    alice.handle("how are you?");
    awaitLine(bobOut, a + ": how are you?");
    bob.handle("/msg " + a + " fine");
    awaitLine(aliceOut, b + ": fine");

    bob.handle("/status invisible");
    assertThat(bobOut).contains("you are now invisible");
    awaitLine(aliceOut, b + " is now offline");
    bob.handle("/status online");
    awaitLine(aliceOut, b + " is now online");
    bob.handle("/status away");
    assertThat(bobOut).contains("usage: /status online|invisible");

    bob.client()
        .heartbeat(
            List.of(new imps.protocol.message.LocationFix("2026-11-28 12:00:00", "23.13,113.26")))
        .join();
    alice.handle("/where " + b);
    assertThat(aliceOut).contains(b + "  online  at 23.13,113.26 (2026-11-28 12:00:00)");
    alice.handle("/friends");
    alice.handle("/where carol");
    assertThat(aliceOut).contains("error: carol is not your friend (ask with /add carol)");

    Path clip = dir.resolve("clip.ogg");
    Files.write(clip, new byte[] {9, 8, 7});
    alice.handle("/voice " + b + " " + clip);
    assertThat(aliceOut).contains("voice clip sent to " + b + " (3 bytes)");
    awaitLine(bobOut, a + " sent a voice clip (3 bytes), saved to ");
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
    awaitLine(aliceOut, b + " is now offline");
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
        new ImpsClient(ClientOptions.builder().port(port).build(), new ImpsListener() {})) {
      c.connect().join();
      assertThat(c.register(user, password, Gender.UNSPECIFIED, "").join()).isTrue();
    }
  }

  /** alice and bob, logged in and friends. */
  void aliceAndBobAreFriends() throws Exception {
    registerUser(a, "secret1");
    registerUser(b, "secret1");
    assertThat(alice.login(a, "secret1") && bob.login(b, "secret1")).isTrue();
    alice.handle("/add " + b);
    awaitLine(bobOut, "friend request from " + a);
    bob.handle("/accept " + a);
    awaitLine(aliceOut, "you and " + b + " are now friends");
  }

  @Test
  void loginChecksFieldsRetriesAndOffersRegistrationWithoutLosingTheWay() {
    String carol = env.name("carol");
    registerUser(carol, "secret1");
    List<String> out = new CopyOnWriteArrayList<>();
    ChatSession s = session(out, "c");
    try {
      int code =
          login(
              s,
              out,
              null,
              false,
              "bob smith", // invalid name: said at once, asked again
              carol,
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
              "? No account "
                  + carol
                  + " with this password; register "
                  + carol
                  + " with it? [y/N] ",
              "? Repeat password: ",
              "? Email (optional): ",
              "error: " + InputRules.EMAIL_RULE,
              "? Email (optional): ",
              "error: the user name " + carol + " is already taken",
              "error: " + carol + " exists, so the password was wrong; try again",
              "? Password: ",
              "logged in as " + carol + ". Type /help for commands.");
      // The password typed at the first prompt is the one offered: no new one is asked for.
      assertThat(out).doesNotContain("? New password: ");
    } finally {
      s.close();
    }
  }

  @Test
  void aNewNameIsRegisteredWithThePasswordTypedAtLogin() {
    String dora = env.name("dora");
    String dorian = env.name("dorian");
    String dorothy = env.name("dorothy");
    List<String> out = new CopyOnWriteArrayList<>();
    try (ChatSession s = session(out, "d")) {
      assertThat(login(s, out, dora, false, "doorbell1", "y", "doorbell1", ""))
          .isEqualTo(ExitCodes.OK);
      assertThat(out)
          .containsSubsequence(
              "? Password: ",
              "error: wrong user name or password",
              "? No account " + dora + " with this password; register " + dora + " with it? [y/N] ",
              "? Repeat password: ",
              "? Email (optional): ",
              "registered " + dora,
              "logged in as " + dora + ". Type /help for commands.")
          .doesNotContain("? New password: ");
    }
    // Typed differently the second time, or too short: a new one is asked for, checked as typed.
    out.clear();
    try (ChatSession s = session(out, "e")) {
      int code =
          login(
              s,
              out,
              dorian,
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
              "registered " + dorian);
    }
    out.clear();
    try (ChatSession s = session(out, "f")) {
      assertThat(login(s, out, dorothy, false, "short", "y", "newpass1", "newpass1", ""))
          .isEqualTo(ExitCodes.OK);
      assertThat(out)
          .containsSubsequence(
              "error: a password has 6-128 characters; choose one",
              "? New password: ",
              "registered " + dorothy);
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

    String erin = env.name("erin");
    registerUser(erin, "secret1");
    out.clear();
    try (ChatSession s = session(out, "e")) {
      assertThat(login(s, out, erin, false, "nope-1", "n", "nope-2", "nope-3"))
          .isEqualTo(ExitCodes.AUTH);
      assertThat(out)
          .containsSubsequence("try again (2 attempts left)", "try again (1 attempt left)");
      assertThat(out).filteredOn(l -> l.equals("? Password: ")).hasSize(3);
    }
  }

  @Test
  void registeringATakenNameAsksForAnotherOne() {
    String frank = env.name("frank");
    String franz = env.name("franz");
    registerUser(frank, "secret1");
    List<String> out = new CopyOnWriteArrayList<>();
    try (ChatSession s = session(out, "f")) {
      int code =
          login(s, out, frank, true, "secret9", "secret9", "", franz, "secret9", "secret9", "");
      assertThat(code).isEqualTo(ExitCodes.OK);
      assertThat(out)
          .containsSubsequence(
              "error: the user name " + frank + " is already taken",
              "? User name: ",
              "registered " + franz,
              "logged in as " + franz + ". Type /help for commands.");
    }
  }

  @Test
  void aUserWhoLogsInInvisibleIsToldSo() {
    String gina = env.name("gina");
    registerUser(gina, "secret1");
    Path statusFile = dir.resolve("state").resolve("status.properties");
    List<String> out = new CopyOnWriteArrayList<>();
    ChatSettings settings = new ChatSettings(dir.resolve("g"), statusFile, Duration.ofSeconds(5));
    try (ChatSession first =
        new ChatSession(
            l -> new ImpsClient(ClientOptions.builder().port(port).build(), l),
            out::add,
            settings)) {
      assertThat(first.login(gina, "secret1")).isTrue();
      assertThat(out).noneMatch(l -> l.startsWith("you are invisible"));
      first.handle("/status invisible");
    }
    out.clear();
    try (ChatSession again =
        new ChatSession(
            l -> new ImpsClient(ClientOptions.builder().port(port).build(), l),
            out::add,
            settings)) {
      assertThat(again.login(gina, "secret1")).isTrue();
      assertThat(out)
          .containsSubsequence(
              "logged in as " + gina + ". Type /help for commands.",
              "you are invisible: friends see you as offline (/status online to show yourself)");
    }
  }

  @Test
  void invisibilityChosenOnAnotherClientIsToldAtLogin() {
    String hank = env.name("hank");
    registerUser(hank, "secret1");
    try (ImpsClient phone =
        new ImpsClient(ClientOptions.builder().port(port).build(), new ImpsListener() {})) {
      phone.connect().join();
      phone.login(hank, "secret1").join();
      phone.setStatus(Presence.INVISIBLE).join();
    }
    List<String> out = new CopyOnWriteArrayList<>();
    // A fresh machine: no memory of the choice here.
    ChatSettings settings =
        new ChatSettings(
            dir.resolve("h"), dir.resolve("h-state.properties"), Duration.ofSeconds(5));
    try (ChatSession chat =
        new ChatSession(
            l -> new ImpsClient(ClientOptions.builder().port(port).build(), l),
            out::add,
            settings)) {
      assertThat(chat.login(hank, "secret1")).isTrue();
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
        alice.handle("/msg " + b + " stored " + round + "." + i);
      }
      bobOut.clear();
      bob = session(bobOut, "b");
      assertThat(bob.login(b, "secret1")).isTrue();
      awaitLine(bobOut, a + ": stored " + round + ".3");
      assertThat(bobOut.get(0)).isEqualTo("logged in as " + b + ". Type /help for commands.");
      String stored = a + ": stored " + round + ".";
      assertThat(bobOut.subList(1, 4)).allMatch(l -> l.contains(stored));
    }
  }

  @Test
  void theReconnectedLineComesBeforeWhatWasStoredMeanwhile() throws Exception {
    TestServer server = ownServer(c -> {});
    bob.close();
    bob =
        new ChatSession(
            l ->
                new ImpsClient(
                    ClientOptions.builder()
                        .port(port)
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
    assertThat(alice.login(a, "secret1")).isTrue();
    for (int i = 1; i <= 3; i++) {
      alice.handle("/msg " + b + " meanwhile " + i);
    }
    awaitLine(bobOut, a + ": meanwhile 3");
    int reconnected = bobOut.indexOf("reconnected as " + b);
    assertThat(reconnected).as(String.join("\n", bobOut)).isNotNegative();
    for (int i = 1; i <= 3; i++) {
      String text = a + ": meanwhile " + i;
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
    alice.handle("/msg " + b + " are you there?");
    // bob's chat shows it, which acknowledges it (delivered) and marks it read.
    awaitLine(bobOut, a + ": are you there?");
    awaitLine(aliceOut, "#1 to " + b + ": read");
    assertThat(aliceOut)
        .filteredOn(l -> l.startsWith("#1 "))
        .containsExactly(
            "#1 to " + b + ": sent",
            "#1 to " + b + ": stored",
            "#1 to " + b + ": delivered",
            "#1 to " + b + ": read");

    // To a friend who is away: stored only, until the friend comes back and sees it.
    bob.close();
    awaitLine(aliceOut, b + " is now offline");
    alice.handle("later, then");
    awaitLine(aliceOut, "#2 to " + b + ": stored");
    assertThat(aliceOut).noneMatch(l -> l.startsWith("#2 to " + b + ": delivered"));
    bobOut.clear();
    bob = session(bobOut, "b");
    assertThat(bob.login(b, "secret1")).isTrue();
    awaitLine(bobOut, a + ": later, then");
    awaitLine(aliceOut, "#2 to " + b + ": read");
    assertThat(aliceOut)
        .filteredOn(l -> l.startsWith("#2 "))
        .containsExactly(
            "#2 to " + b + ": sent",
            "#2 to " + b + ": stored",
            "#2 to " + b + ": delivered",
            "#2 to " + b + ": read");
  }

  /** Messages from alice that reach bob's other client, which shows them but never reads them. */
  void aliceWritesToBobsOtherClient(String... texts) throws Exception {
    bob.close();
    imps.client.Recorder seen = new imps.client.Recorder();
    try (ImpsClient other = new ImpsClient(ClientOptions.builder().port(port).build(), seen)) {
      other.connect().join();
      other.login(b, "secret1").join();
      for (String t : texts) {
        alice.handle("/msg " + b + " " + t);
        assertThat(seen.await(imps.client.ReceivedMessage.class).text()).isEqualTo(t);
      }
      // The client acknowledges an item after its listener returned: a logout sent at once can
      // overtake the acknowledgements, and the messages then come again at bob's next login.
      // Alice's chat shows them delivered once they are acknowledged.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  aliceOut.stream().filter(l -> l.endsWith(" to " + b + ": delivered")).count()
                      == texts.length);
      other.logout().join();
    }
    bobOut.clear();
    bob = session(bobOut, "b");
  }

  @Test
  void unreadCountsShowAtLoginAndInFriendsUntilTheConversationIsOpened() throws Exception {
    aliceAndBobAreFriends();
    aliceWritesToBobsOtherClient("one", "two", "three");
    assertThat(bob.login(b, "secret1")).isTrue();
    assertThat(bobOut).contains("3 unread from " + a + " (/msg " + a + " shows them)");
    bob.handle("/friends");
    assertThat(bobOut).anyMatch(l -> l.startsWith(a + "  online") && l.endsWith("  3 unread"));

    // Opening the conversation shows the unread messages and marks them read: alice sees it.
    bobOut.clear();
    bob.handle("/msg " + a);
    assertThat(bobOut.get(0)).isEqualTo("3 unread from " + a + ":");
    assertThat(bobOut.subList(1, 4))
        .satisfiesExactly(
            l -> assertThat(l).endsWith("] " + a + ": one"),
            l -> assertThat(l).endsWith("] " + a + ": two"),
            l -> assertThat(l).endsWith("] " + a + ": three"));
    assertThat(bobOut).contains("now talking to " + a + "; plain lines are sent to them");
    awaitLine(aliceOut, "#3 to " + b + ": read");
    assertThat(bob.client().unread().join().byFriend()).isEmpty();
    bobOut.clear();
    bob.handle("/friends");
    assertThat(bobOut).anyMatch(l -> l.startsWith(a + "  online"));
    assertThat(bobOut).noneMatch(l -> l.contains("unread"));
  }

  @Test
  void writingInAConversationMarksItRead() throws Exception {
    aliceAndBobAreFriends();
    aliceWritesToBobsOtherClient("are you there?");
    assertThat(bob.login(b, "secret1")).isTrue();
    assertThat(bobOut).contains("1 unread from " + a + " (/msg " + a + " shows them)");
    bob.handle("/msg " + a + " yes");
    awaitLine(aliceOut, "#1 to " + b + ": read");
    awaitLine(aliceOut, b + ": yes");
    assertThat(bob.client().unread().join().byFriend()).isEmpty();
  }

  @Test
  void showingTheConversationWithHistoryMarksItRead() throws Exception {
    aliceAndBobAreFriends();
    aliceWritesToBobsOtherClient("one", "two");
    assertThat(bob.login(b, "secret1")).isTrue();
    assertThat(bobOut).contains("2 unread from " + a + " (/msg " + a + " shows them)");
    bob.handle("/history " + a + " 0");
    assertThat(bob.client().unread().join().count(a)).isEqualTo(2);
    bob.handle("/history " + a);
    awaitLine(bobOut, "] " + a + ": two");
    assertThat(bob.client().unread().join().byFriend()).isEmpty();
  }

  @Test
  void messagesShownAtLoginAndLiveAreNotCountedUnread() throws Exception {
    aliceAndBobAreFriends();
    bob.close();
    alice.handle("/msg " + b + " stored 1");
    alice.handle("/msg " + b + " stored 2");
    awaitLine(aliceOut, "#2 to " + b + ": stored");
    bobOut.clear();
    bob = session(bobOut, "b");
    assertThat(bob.login(b, "secret1")).isTrue();
    awaitLine(bobOut, a + ": stored 2");
    assertThat(bobOut).noneMatch(l -> l.contains("unread"));
    alice.handle("live one");
    awaitLine(bobOut, a + ": live one");
    awaitLine(aliceOut, "#3 to " + b + ": read");
    bob.handle("/friends");
    assertThat(bobOut).noneMatch(l -> l.contains("unread"));
    assertThat(bob.client().unread().join().byFriend()).isEmpty();
  }

  @Test
  void historyShowsTheConversationOldestFirstAndPagesBack() throws Exception {
    aliceAndBobAreFriends();
    for (int i = 1; i <= 3; i++) {
      alice.handle("/msg " + b + " m" + i);
      awaitLine(bobOut, a + ": m" + i);
    }
    bob.handle("/msg " + a + " back");
    awaitLine(aliceOut, b + ": back");
    aliceOut.clear();
    alice.handle("/history " + b + " 2");
    assertThat(aliceOut).hasSize(3);
    assertThat(aliceOut.get(0)).matches("\\[.+\\] me: m3");
    assertThat(aliceOut.get(1)).matches("\\[.+\\] " + b + ": back");
    assertThat(aliceOut.get(2)).isEqualTo("(older messages: /history " + b + " 2)");
    aliceOut.clear();
    alice.handle("/history " + b + " 2");
    assertThat(aliceOut).hasSize(3);
    assertThat(aliceOut.get(0)).endsWith("] me: m1");
    assertThat(aliceOut.get(1)).endsWith("] me: m2");
    assertThat(aliceOut.get(2)).isEqualTo("(start of the conversation)");
    aliceOut.clear();
    alice.handle("/history " + b + " 2");
    assertThat(aliceOut).containsExactly("no older messages");
    alice.handle("/history " + b + " 0");
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
    awaitLine(bobOut, a + " is at 23.14,113.26 (");
    assertThat(bobOut)
        .anyMatch(l -> l.startsWith(a + " is at 23.14,113.26") && l.endsWith("N of you"));
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
    bob.handle("/track " + a + " 2000-01-01 now");
    int at = bobOut.indexOf("track of " + a + ": 2 points");
    assertThat(at).as("%s", bobOut).isNotNegative();
    assertThat(bobOut.get(at + 1))
        .matches(
            "  from 23\\.13,113\\.26 \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\) to"
                + " 23\\.14,113\\.26 \\(.+\\), 1\\.1 km along the points");

    // To a file: GPX, or GeoJSON by the name.
    Path gpx = dir.resolve(a + ".gpx");
    bob.handle("/track " + a + " 2000-01-01T00:00 2100-01-01T00:00:00Z " + gpx);
    assertThat(bobOut.get(bobOut.size() - 1))
        .isEqualTo("track of " + a + ": 2 points written to " + gpx + " (GPX)");
    assertThat(Files.readString(gpx))
        .startsWith("<?xml")
        .contains("<trkpt lat=\"23.13\" lon=\"113.26\">")
        .contains("<trkpt lat=\"23.14\" lon=\"113.26\">");
    Path json = dir.resolve(a + ".geojson");
    alice.handle("/track " + a + " 2000-01-01 now " + json);
    assertThat(aliceOut.get(aliceOut.size() - 1))
        .isEqualTo("track of " + a + ": 2 points written to " + json + " (GEOJSON)");
    assertThat(Files.readString(json)).contains("\"coordinates\":[[113.26,23.13],[113.26,23.14]]");

    // Nothing in the range; refusals.
    bob.handle("/track " + a + " 2001-01-01 2001-01-02");
    assertThat(bobOut.get(bobOut.size() - 1))
        .matches("no fixes of " + a + " between 2001-01-01 00:00:00 and 2001-01-02 00:00:00");
    bob.handle("/track " + a + " yesterday now");
    assertThat(bobOut).contains(TrackView.USAGE);
    bob.handle("/track " + a + " 2000-01-01");
    assertThat(bobOut.get(bobOut.size() - 1)).isEqualTo(TrackView.USAGE);
    bob.handle("/track " + a + " now 2000-01-01");
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
        .containsExactly("accepted " + a + "'s friend request; you are now friends");

    alice.handle("/msg " + b + " hi");
    assertThat(alice.prompt()).isEqualTo("[" + b + "]> ");
    alice.handle("/msg nobody hi");
    assertThat(aliceOut).contains("error: there is no user named nobody");
    assertThat(alice.prompt())
        .as("a failed /msg keeps the conversation")
        .isEqualTo("[" + b + "]> ");
    alice.handle("/msg nobody");
    assertThat(aliceOut).contains("error: nobody is not your friend (ask with /add nobody)");
    assertThat(alice.prompt()).isEqualTo("[" + b + "]> ");

    alice.handle("/add " + b);
    assertThat(aliceOut).contains("you and " + b + " are already friends");
    alice.handle("/add nobody");
    assertThat(aliceOut).contains("error: there is no user named nobody");

    alice.handle("   ");
    assertThat(aliceOut).contains("error: the message is blank (only spaces); nothing was sent");
    alice.handle("x".repeat(4097));
    assertThat(aliceOut).contains("error: the message is longer than 4096 characters");

    for (int size : new int[] {61_441, 65_536, 70_000}) {
      Path big = dir.resolve("v" + size + ".amr");
      Files.write(big, new byte[size]);
      alice.handle("/voice " + b + " " + big);
    }
    assertThat(aliceOut)
        .filteredOn(l -> l.equals("error: the clip is larger than 61440 bytes"))
        .hasSize(3);
    alice.handle("/voice " + b + " clip.amr");
    assertThat(aliceOut).contains("error: cannot read clip.amr: no such file");
    Path empty = Files.createFile(dir.resolve("empty.amr"));
    alice.handle("/voice " + b + " " + empty);
    assertThat(aliceOut).contains("error: cannot send " + empty + ": the file is empty");

    // The chat is still open and working.
    alice.handle("still here");
    awaitLine(bobOut, a + ": still here");
    alice.handle("/help");
    assertThat(aliceOut).anyMatch(l -> l.startsWith("/quit") && l.contains("Ctrl-D"));
  }

  @Test
  void clipsFollowTheLimitTheServerAnnounces() throws Exception {
    // A server that takes clips up to 65000 bytes (its highest setting): the chat follows it
    // without --max-clip-bytes, and refuses anything larger in a line of its own.
    ownServer(c -> c.with(ServerConfig.Key.MAX_AUDIO_BYTES, 65_000));
    aliceAndBobAreFriends();
    for (int size : new int[] {65_000, 65_001, 65_536, 70_000}) {
      Path clip = dir.resolve("w" + size + ".amr");
      Files.write(clip, new byte[size]);
      alice.handle("/voice " + b + " " + clip);
    }
    assertThat(aliceOut)
        .contains("voice clip sent to " + b + " (65000 bytes)")
        .filteredOn(l -> l.equals("error: the clip is larger than 65000 bytes"))
        .hasSize(3);
    awaitLine(bobOut, a + " sent a voice clip (65000 bytes), saved to ");
    alice.handle("/msg " + b + " still open");
    awaitLine(bobOut, a + ": still open");
  }

  @Test
  void afterLoggedInElsewhereTheChatOffersReconnectAndRefusesPlainly() throws Exception {
    aliceAndBobAreFriends();
    try (ImpsClient other =
        new ImpsClient(ClientOptions.builder().port(port).build(), new ImpsListener() {})) {
      other.connect().join();
      other.login(b, "secret1").join();
      awaitLine(bobOut, "logged in elsewhere; this session was closed. /reconnect");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> bob.client().state() == ImpsClient.State.DISCONNECTED);
      bob.handle("/msg " + a + " hello?");
      assertThat(bobOut)
          .contains(
              "error: not connected; nothing was sent (/reconnect to log in again, /quit to leave)");
      assertThat(bobOut)
          .noneMatch(l -> l.contains("(state"))
          .noneMatch(l -> l.startsWith("connection lost"));
      bob.handle("/reconnect");
      assertThat(bobOut).contains("reconnected as " + b);
      bob.handle("/msg " + a + " back");
      awaitLine(aliceOut, b + ": back");
    }
  }

  @Test
  void linesTypedWhileReconnectingAreRefusedPlainly() throws Exception {
    TestServer server = ownServer(c -> {});
    String hana = env.name("hana");
    registerUser(hana, "secret1");
    List<String> out = new CopyOnWriteArrayList<>();
    try (ChatSession s =
        new ChatSession(
            l ->
                new ImpsClient(
                    ClientOptions.builder()
                        .port(port)
                        .reconnect(
                            ReconnectPolicy.exponential(
                                Duration.ofMillis(100), Duration.ofMillis(200)))
                        .build(),
                    l),
            out::add,
            dir.resolve("h"))) {
      assertThat(s.login(hana, "secret1")).isTrue();
      server.stop();
      awaitLine(out, "connection lost; reconnecting...");
      s.handle("/friends");
      assertThat(out)
          .contains(
              "error: the connection is down and being re-established; nothing was sent (try again"
                  + " once reconnected)");
      server.restart();
      awaitLine(out, "reconnected as " + hana);
      s.handle("/friends");
      assertThat(out).contains("no friends yet; ask someone with /add NAME");
    }
  }

  @Test
  void positionsCanBeSharedWalkedAndSeenWithDistance() throws Exception {
    alice.close();
    alice =
        new ChatSession(
            l -> new ImpsClient(ClientOptions.builder().port(port).build(), l),
            aliceOut::add,
            new ChatSettings(dir.resolve("a"), null, Duration.ofMillis(100)));
    aliceAndBobAreFriends();

    alice.handle("/walk");
    assertThat(aliceOut).contains("error: share a starting position first: /share LAT,LON");
    alice.handle("/share 23.13,113.26");
    assertThat(aliceOut).contains("shared your position 23.13,113.26 with your friends");
    alice.handle("/share ninety,0");
    assertThat(aliceOut).anyMatch(l -> l.startsWith("usage: /share LAT,LON"));
    bob.handle("/where " + a);
    assertThat(bobOut).anyMatch(l -> l.startsWith(a + "  online  at 23.13,113.26 ("));
    bob.handle("/share 23.14, 113.26");
    bob.handle("/where " + a);
    assertThat(bobOut)
        .anyMatch(
            l ->
                l.startsWith(a + "  online  at 23.13,113.26 (") && l.endsWith(", 1.1 km S of you"));

    alice.handle("/walk 36 90"); // 10 m/s east, a fix every 100 ms
    assertThat(aliceOut)
        .contains(
            "walking from 23.13,113.26 at 36 km/h, bearing 90 degrees: a fix every 0.1 s (/stop to end)");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              bob.handle("/friends");
              assertThat(bobOut.get(bobOut.size() - 1)).startsWith(a + "  online  at 23.13,113.26");
              assertThat(bobOut.get(bobOut.size() - 1)).doesNotContain("at 23.13,113.26 (");
            });
    alice.handle("/stop");
    assertThat(aliceOut).anyMatch(l -> l.startsWith("stopped walking at 23.13,113.26"));
    alice.handle("/stop");
    assertThat(aliceOut).contains("not walking (start with /walk)");
  }
}
