package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import imps.client.ClientOptions;
import imps.client.ImpsClient;
import imps.client.TestServer;
import imps.protocol.Gender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    assertThat(aliceOut).contains("carol is not your friend");

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
}
