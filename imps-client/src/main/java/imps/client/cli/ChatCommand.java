package imps.client.cli;

import imps.client.ImpsClient;
import imps.client.ImpsException;
import imps.client.ReconnectPolicy;
import imps.protocol.ErrorCode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.completer.FileNameCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./imps chat}: the interactive terminal client, on JLine. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = "Interactive chat in the terminal.")
final class ChatCommand implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Option(names = "--user", paramLabel = "NAME", description = "user name (asked when absent)")
  String user;

  @Option(names = "--register", description = "create the account first")
  boolean register;

  @Option(
      names = "--save-dir",
      defaultValue = ".",
      paramLabel = "DIR",
      description = "where received voice clips are saved (default: current directory)")
  Path saveDir;

  private final CliIo io;

  ChatCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
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
              listener ->
                  new ImpsClient(
                      server.clientOptions().reconnect(ReconnectPolicy.exponential()).build(),
                      listener),
              reader::printAbove,
              saveDir)) {
        completer.session = session;
        if (!logIn(reader, session)) {
          return session.lastError() != null
              ? ExitCodes.of(session.lastError())
              : ExitCodes.REFUSED;
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
          if (!session.handle(line)) {
            break;
          }
        }
      }
      return ExitCodes.OK;
    } catch (UserInterruptException | EndOfFileException e) {
      return ExitCodes.FAILURE; // left during the login prompts
    }
  }

  private boolean logIn(LineReader reader, ChatSession session) {
    String name = user;
    while (name == null || name.isBlank()) {
      name = reader.readLine("User name: ").strip();
    }
    if (register) {
      return registerThenLogin(reader, session, name);
    }
    String password = password(reader, "Password: ");
    if (session.login(name, password)) {
      return true;
    }
    if (session.lastError() instanceof ImpsException e
        && e.errorCode() == ErrorCode.BAD_CREDENTIALS
        && reader
            .readLine("Register a new account named " + name + "? [y/N] ")
            .strip()
            .toLowerCase(java.util.Locale.ROOT)
            .startsWith("y")) {
      return registerThenLogin(reader, session, name);
    }
    return false;
  }

  private boolean registerThenLogin(LineReader reader, ChatSession session, String name) {
    String password = password(reader, "New password: ");
    if (io.env().get("IMPS_PASSWORD") == null
        && !password.equals(reader.readLine("Repeat password: ", LineReaderImpl.NULL_MASK))) {
      reader.printAbove("the passwords differ");
      return false;
    }
    String email = reader.readLine("Email (optional): ").strip();
    return session.register(name, password, imps.protocol.Gender.UNSPECIFIED, email)
        && session.login(name, password);
  }

  private String password(LineReader reader, String prompt) {
    String fromEnv = io.env().get("IMPS_PASSWORD");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    // NULL_MASK: nothing at all is echoed, not even the length.
    return reader.readLine(prompt, LineReaderImpl.NULL_MASK);
  }

  /** Completes commands, friend names, requesters, status values and file names. */
  static final class ChatCompleter implements Completer {
    volatile ChatSession session;
    private final FileNameCompleter files = new FileNameCompleter();

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
      List<String> words = line.words();
      int index = line.wordIndex();
      if (index == 0) {
        if (line.word().startsWith("/") || line.word().isEmpty()) {
          ChatSession.COMMANDS.keySet().forEach(c -> candidates.add(new Candidate(c)));
        }
        return;
      }
      ChatSession s = session;
      if (s == null) {
        return;
      }
      String cmd = words.get(0);
      if (index == 1) {
        List<String> names =
            switch (cmd) {
              case "/msg", "/voice", "/where" -> s.friendNames();
              case "/accept", "/reject" -> s.pendingRequests();
              case "/status" -> List.of("online", "invisible");
              default -> List.of();
            };
        names.forEach(n -> candidates.add(new Candidate(n)));
      } else if (index == 2 && cmd.equals("/voice")) {
        files.complete(reader, line, candidates);
      }
    }
  }
}
