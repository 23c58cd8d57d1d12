package imps.client.cli;

import imps.client.ConversationPage;
import imps.client.HistoryItem;
import imps.client.ImpsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./imps history FRIEND [-n N] [--before ID | --after ID] [--clips DIR]}: one page of the
 * conversation with one user ({@code C_HISTORY}), both directions, one line per message or clip
 * headed by its number, to page on from. By default the newest N, newest first; {@code --before ID}
 * the N numbered below ID, newest first; {@code --after ID} the N above it, oldest first (from the
 * start with {@code --after 0}). Clips are shown by size, or with {@code --clips DIR} also written
 * there as {@code SENDER-ID.bin}. Where to go on is said on stderr, so that stdout holds only the
 * conversation.
 */
@Command(
    name = "history",
    footer = {
      "Each line: #ID [time] who: text, who being 'me' or FRIEND. stderr says how to",
      "page on (--before ID or --after ID). Clips are shown by size; with --clips DIR",
      "they are also written there as SENDER-ID.bin.",
      Clips.HELP_1,
      Clips.HELP_2
    },
    description =
        "Show a page of your conversation with FRIEND (both directions): the newest messages,"
            + " older ones (--before), or newer ones from a point (--after).")
final class HistoryCommand extends OneNameCommand {
  @Option(
      names = {"-n", "--count"},
      defaultValue = "" + HistoryView.DEFAULT_COUNT,
      paramLabel = "N",
      description =
          "at most N messages (1.." + HistoryView.MAX_COUNT + ", default: ${DEFAULT-VALUE})")
  int count;

  @Option(
      names = "--before",
      paramLabel = "ID",
      description = "the messages numbered below ID, newest first (default: from the newest)")
  Long before;

  @Option(
      names = "--after",
      paramLabel = "ID",
      description = "the messages numbered above ID, oldest first (0: from the start)")
  Long after;

  @Option(
      names = "--clips",
      paramLabel = "DIR",
      description = "write each clip of the page to DIR as SENDER-ID.bin")
  Path clipsDir;

  HistoryCommand(CliIo io) {
    super(io);
  }

  @Parameters(paramLabel = "FRIEND", description = "the other user of the conversation")
  void peer(String peer) {
    name = peer;
  }

  @Override
  Integer check() {
    if (count < 1 || count > HistoryView.MAX_COUNT) {
      io.err().println("imps: -n must be 1.." + HistoryView.MAX_COUNT);
      return ExitCodes.USAGE;
    }
    if (before != null && after != null) {
      io.err().println("imps: give --before or --after, not both");
      return ExitCodes.USAGE;
    }
    if ((before != null && before < 1) || (after != null && after < 0)) {
      io.err().println("imps: --before must be 1 or more, --after 0 or more");
      return ExitCodes.USAGE;
    }
    if (clipsDir != null) {
      // Before logging in, so that a bad directory costs no session.
      try {
        Files.createDirectories(clipsDir);
      } catch (IOException e) {
        io.err().println("imps: cannot create " + clipsDir + ": " + Clips.problem(e));
        return ExitCodes.FAILURE;
      }
    }
    return null;
  }

  @Override
  int run(ImpsClient client, PrintingListener events) {
    boolean forward = after != null;
    long from = forward ? after : before != null ? before : 0;
    ConversationPage page = client.history(name, from, forward, count).join();
    for (HistoryItem item : page.items()) {
      String line = "#" + item.id() + " " + HistoryView.line(page.peer(), item);
      if (item.isClip() && clipsDir != null) {
        Path file =
            clipsDir.resolve(
                fileName(item.outgoing() ? client.userName() : page.peer(), item.id()));
        try {
          Files.write(file, item.clip().toByteArray());
        } catch (IOException e) {
          io.out().flush();
          io.err().println("imps: cannot write " + file + ": " + Clips.problem(e));
          return ExitCodes.FAILURE;
        }
        line += " saved as " + file;
      }
      io.out().println(line);
    }
    io.out().flush();
    io.err().println("imps: " + whereNext(page, forward, from));
    return ExitCodes.OK;
  }

  /** What stderr says after the page: how to go on, or that there is nothing further. */
  static String whereNext(ConversationPage page, boolean forward, long from) {
    if (page.items().isEmpty()) {
      if (from == 0) {
        return "no messages with " + page.peer();
      }
      return forward ? "no newer messages" : "no older messages";
    }
    if (page.more()) {
      return (forward ? "newer messages: --after " : "older messages: --before ") + page.lastId();
    }
    return forward
        ? "that is the newest message (later ones: --after " + page.lastId() + ")"
        : "start of the conversation";
  }

  /** A clip's file: the sender reduced to safe file-name characters, and the message number. */
  static String fileName(String sender, long id) {
    return sender.replaceAll("[^\\p{L}\\p{N}_-]", "_") + "-" + id + ".bin";
  }
}
