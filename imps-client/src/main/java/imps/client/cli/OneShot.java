package imps.client.cli;

import imps.client.ClientOptions;
import imps.client.ImpsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A one-shot command: connect, log in, do one thing, sign out. Expected failures become a message
 * on stderr and an exit code ({@link CliErrors}), never a stack trace.
 *
 * <p>Logging in receives whatever the server kept for the user (messages, clips, requests); those
 * are printed to stderr (clips saved) rather than silently lost, since the server counts them as
 * delivered.
 *
 * <p>The {@code @Command} attributes here (help and version options, the footer about saved clips)
 * are inherited by every subclass, which names itself and may replace the footer.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    footerHeading = "%n",
    footer = {Clips.HELP_1, Clips.HELP_2})
abstract class OneShot implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "your user name")
  String user;

  @Option(
      names = "--save-dir",
      paramLabel = "DIR",
      description = "where received voice clips are saved (default: below)")
  Path saveDir;

  final CliIo io;

  OneShot(CliIo io) {
    this.io = io;
  }

  /** Does the work on a logged-in client; returns the exit code. */
  abstract int run(ImpsClient client, PrintingListener events) throws Exception;

  /** The user the request concerns, for error messages. */
  String target() {
    return null;
  }

  /** Checks the arguments before connecting; returns an exit code to stop with, or {@code null}. */
  Integer check() {
    return null;
  }

  /** The client's settings; no heartbeats, the command is over long before one would be due. */
  ClientOptions.Builder clientOptions() {
    return server.clientOptions().heartbeatInterval(Duration.ZERO);
  }

  /** The listener while logged in; by default prints pushes to stderr. */
  PrintingListener listener(Path clipDir) {
    return new PrintingListener(line -> io.err().println("imps: " + line), clipDir);
  }

  /** Where received clips go. */
  final Path clipDir() {
    return saveDir != null ? saveDir : Clips.defaultDir(io.env());
  }

  @Override
  public Integer call() throws Exception {
    Integer stop = check();
    if (stop != null) {
      return stop;
    }
    PrintingListener events = listener(clipDir());
    try (ImpsClient client = new ImpsClient(clientOptions().build(), events)) {
      return CliErrors.run(
          io,
          target(),
          () -> {
            // Connect first, so that a dead server is reported before a password is asked for.
            client.connect().join();
            client.login(user, io.passwords().existing("Password for " + user + ": ")).join();
            int code = run(client, events);
            if (client.state() == ImpsClient.State.LOGGED_IN) {
              // Sign out explicitly so friends see the user leave at once; a failure here
              // changes nothing about what the command did.
              client.logout().exceptionally(t -> null).join();
            }
            return code;
          });
    }
  }
}
