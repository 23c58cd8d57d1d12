package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import imps.client.ClientsOnServer;
import imps.client.ImpsClient;
import imps.client.Recorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end: two real terminal clients ({@code ImpsCli chat}, each its own JVM) in tmux
 * pseudo-terminals, typing at each other through a real server. Needs the Debian package {@code
 * tmux}; skipped when it is missing.
 */
class ChatTmuxIT {
  @RegisterExtension static final ClientsOnServer env = new ClientsOnServer();
  static final String PW = ClientsOnServer.PW;
  Tmux tmux;

  @AfterEach
  void tearDown() throws Exception {
    if (tmux != null) {
      tmux.kill();
    }
  }

  String tmux(String... args) throws IOException, InterruptedException {
    return tmux.run(args);
  }

  String awaitText(String session, String text) throws Exception {
    return tmux.awaitText(session, text);
  }

  void type(String session, String text) throws Exception {
    tmux.type(session, text);
  }

  void key(String session, String key) throws Exception {
    tmux.key(session, key);
  }

  /** Starts a chat; bob's saves clips where they go by default (below XDG_DATA_HOME). */
  void startChat(String session, String user) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "chat",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(env.port()),
                "--user",
                user));
    if (!user.equals("bob")) {
      args.addAll(List.of("--save-dir", env.directory().resolve(user).toString()));
    }
    tmux.startCli(session, args);
  }

  @Test
  void twoUsersTalkInRealTerminals() throws Exception {
    assumeTrue(Tmux.available(), "tmux is not installed");
    tmux = new Tmux(env.directory().resolve("tmux.sock"));
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = env.client(ra, false);
    ImpsClient b = env.client(rb, false);
    ClientsOnServer.befriend(a, ra, b, rb, "alice", "bob");
    a.logout().join();
    b.logout().join();

    startChat("alice", "alice");
    startChat("bob", "bob");
    for (String u : List.of("alice", "bob")) {
      awaitText(u, "Password:");
      type(u, PW);
      key(u, "Enter");
      String s = awaitText(u, "logged in as " + u);
      assertThat(s).as("password not echoed").doesNotContain(PW);
    }

    // Tab completion of a command, then of a friend name.
    type("alice", "/wh");
    key("alice", "Tab");
    type("alice", "b");
    key("alice", "Tab");
    awaitText("alice", "> /where bob");
    key("alice", "Enter");
    awaitText("alice", "bob  online");

    type("alice", "/msg bob hello from alice");
    key("alice", "Enter");
    awaitText("bob", "alice: hello from alice");
    awaitText("alice", "[bob]> ");

    // bob is halfway through a line when a message arrives: it is printed above the prompt and
    // the half-typed line survives.
    type("bob", "/msg alice half");
    type("alice", "second line, no command");
    key("alice", "Enter");
    String bobScreen = awaitText("bob", "alice: second line, no command");
    assertThat(bobScreen.strip()).endsWith("> /msg alice half");
    type("bob", "way there");
    key("bob", "Enter");
    awaitText("alice", "bob: halfway there");

    // A clip over the server's limit is refused in a line of its own; the chat stays open.
    Path big = env.directory().resolve("big.amr");
    Files.write(big, new byte[70_000]);
    type("alice", "/voice bob " + big);
    key("alice", "Enter");
    awaitText("alice", "error: the clip is larger than 61440 bytes");
    // A clip that fits is saved on bob's side in the default directory, never the current one.
    Path small = env.directory().resolve("small.amr");
    Files.write(small, new byte[] {1, 2, 3});
    type("alice", "/voice bob " + small);
    key("alice", "Enter");
    awaitText("alice", "voice clip sent to bob (3 bytes)");
    Path clips = tmux.dataHome().resolve("imps").resolve("clips");
    awaitText("bob", "alice sent a voice clip (3 bytes), saved to " + clips.resolve("alice-"));
    try (var saved = Files.list(clips)) {
      assertThat(saved.toList())
          .singleElement()
          .satisfies(f -> assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3));
    }

    type("alice", "/help");
    key("alice", "Enter");
    awaitText("alice", "(or Ctrl-D; Ctrl-C clears the line)");
    type("alice", "still open");
    key("alice", "Enter");
    awaitText("bob", "alice: still open");

    // Ctrl-C at a question of /delete-account cancels the command, not the chat.
    type("alice", "/delete-account");
    key("alice", "Enter");
    awaitText("alice", "type alice to confirm: ");
    key("alice", "C-c");
    awaitText("alice", "cancelled; nothing was changed");
    type("alice", "after cancel");
    key("alice", "Enter");
    awaitText("bob", "alice: after cancel");

    type("bob", "/quit");
    key("bob", "Enter");
    awaitText("alice", "bob is now offline");
    type("alice", "/quit");
    key("alice", "Enter");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (tmux("list-sessions").contains("alice:") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(tmux("list-sessions")).doesNotContain("alice:").doesNotContain("bob:");
  }
}
