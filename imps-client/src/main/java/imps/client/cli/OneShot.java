package imps.client.cli;

import imps.client.ImpsClient;
import imps.client.ImpsClientException;
import imps.client.ImpsListener;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A one-shot command: connect, log in, do one thing, sign out. Expected failures become a message
 * on stderr and an exit code (see {@link ExitCodes}), never a stack trace.
 *
 * <p>Logging in receives whatever the server kept for the user (messages, requests); those are
 * printed to stderr rather than silently lost, since the server counts them as delivered.
 */
abstract class OneShot implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "your user name")
  String user;

  final CliIo io;

  OneShot(CliIo io) {
    this.io = io;
  }

  /** Does the work on a logged-in client; returns the exit code. */
  abstract int run(ImpsClient client) throws Exception;

  /** The user the request concerns, for error messages. */
  String target() {
    return null;
  }

  /** The listener while logged in; by default reports pushes on stderr. */
  ImpsListener listener() {
    return new StderrListener(io);
  }

  @Override
  public Integer call() throws Exception {
    String password = io.password("Password for " + user + ": ");
    try (ImpsClient client =
        new ImpsClient(
            server.clientOptions().heartbeatInterval(java.time.Duration.ZERO).build(),
            listener())) {
      try {
        client.connect().join();
        client.login(user, password).join();
        int code = run(client);
        if (client.state() == ImpsClient.State.LOGGED_IN) {
          // Sign out explicitly so friends see the user leave at once; a failure here changes
          // nothing about what the command did.
          client.logout().exceptionally(t -> null).join();
        }
        return code;
      } catch (java.util.concurrent.CompletionException e) {
        ImpsClientException ie = ImpsClientException.unwrap(e);
        if (ie == null) {
          throw e;
        }
        io.err().println("imps: " + Messages.describe(ie, target()));
        return ExitCodes.of(ie);
      }
    }
  }

  /** Prints pushes that arrive during a one-shot command to stderr. */
  static final class StderrListener implements ImpsListener {
    private final CliIo io;

    StderrListener(CliIo io) {
      this.io = io;
    }

    private void say(String s) {
      synchronized (io.err()) {
        io.err().println("imps: received: " + s);
        io.err().flush();
      }
    }

    @Override
    public void onMessage(MessagePush m) {
      say(EventFormat.message(m));
    }

    @Override
    public void onVoiceClip(AudioPush clip) {
      say(EventFormat.voice(clip, null) + " (not saved; use recv --save-dir)");
    }

    @Override
    public void onFriendRequest(FriendRequestPush r) {
      say(EventFormat.friendRequest(r));
    }

    @Override
    public void onFriendRequestOutcome(AddFriendResponse r) {
      say(EventFormat.outcome(r));
    }

    @Override
    public void onPresence(StatusNotifyPush p) {
      // Presence changes are noise for a one-shot command.
    }

    @Override
    public void onLoggedInElsewhere() {
      io.err().println("imps: logged in elsewhere; this session was closed");
    }
  }
}
