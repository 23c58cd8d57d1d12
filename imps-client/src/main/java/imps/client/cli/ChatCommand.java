package imps.client.cli;

import imps.client.ClientOptions;
import imps.client.ImpsClient;
import imps.client.ReconnectPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./imps chat}: the interactive terminal client, on JLine. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Interactive chat in the terminal.",
    footerHeading = "%n",
    footer = {
      Clips.HELP_1,
      Clips.HELP_2,
      "The status last chosen with /status is remembered, to remind you at login",
      "when you are invisible, in $XDG_STATE_HOME/imps/status.properties",
      "  (~/.local/state/imps/status.properties when unset)."
    })
final class ChatCommand implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Option(names = "--user", paramLabel = "NAME", description = "user name (asked when absent)")
  String user;

  @Option(names = "--register", description = "create the account first")
  boolean register;

  @Option(
      names = "--save-dir",
      paramLabel = "DIR",
      description = "where received voice clips are saved (default: below)")
  Path saveDir;

  @Option(
      names = "--max-clip-bytes",
      defaultValue = "" + ClientOptions.DEFAULT_MAX_AUDIO_BYTES,
      paramLabel = "N",
      description =
          "the largest clip for a server that does not announce its max-audio-bytes"
              + " (an older one); larger clips are refused before sending"
              + " (default: ${DEFAULT-VALUE})")
  int maxClipBytes;

  private final CliIo io;

  ChatCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    if (maxClipBytes < 1 || maxClipBytes > ClientOptions.MAX_AUDIO_BYTES_LIMIT) {
      io.err().println("imps: --max-clip-bytes must be 1.." + ClientOptions.MAX_AUDIO_BYTES_LIMIT);
      return ExitCodes.USAGE;
    }
    ClientOptions options =
        server
            .clientOptions()
            .reconnect(ReconnectPolicy.exponential())
            .maxAudioBytes(maxClipBytes)
            .build();
    ChatSettings settings =
        new ChatSettings(
            saveDir != null ? saveDir : Clips.defaultDir(io.env()),
            StatusMemory.defaultFile(io.env()),
            Duration.ofSeconds(5));
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      ChatCompleter completer = new ChatCompleter();
      LineReader reader =
          LineReaderBuilder.builder()
              .terminal(terminal)
              .appName("imps")
              .completer(completer)
              .variable(LineReader.HISTORY_SIZE, 500)
              .build();
      try (ChatSession session =
          new ChatSession(
              listener -> new ImpsClient(options, listener), reader::printAbove, settings)) {
        completer.session = session;
        ChatLogin.Prompter prompter =
            new ChatLogin.Prompter() {
              @Override
              public String line(String prompt) {
                return reader.readLine(prompt);
              }

              @Override
              public String secret(String prompt) {
                // NULL_MASK: nothing at all is echoed, not even the length.
                return reader.readLine(prompt, LineReaderImpl.NULL_MASK);
              }
            };
        session.promptsFrom(prompter::line, prompter::secret);
        int code =
            new ChatLogin(session, prompter, io.env(), reader::printAbove).run(user, register);
        if (code != ExitCodes.OK) {
          return code;
        }
        while (true) {
          String line;
          try {
            line = reader.readLine(session.prompt());
          } catch (UserInterruptException e) {
            continue; // Ctrl-C clears the line; /quit or Ctrl-D leaves
          } catch (EndOfFileException e) {
            break;
          }
          boolean goOn;
          try {
            goOn = session.handle(line);
          } catch (UserInterruptException | EndOfFileException e) {
            // Ctrl-C or Ctrl-D at a question of a command (/passwd, /delete-account) ends the
            // command before it sent anything, not the chat.
            reader.printAbove("cancelled; nothing was changed");
            continue;
          }
          if (!goOn) {
            break;
          }
        }
      }
      return ExitCodes.OK;
    } catch (UserInterruptException | EndOfFileException e) {
      return ExitCodes.FAILURE; // left during the login prompts
    }
  }
}
