package imps.client.cli;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.completer.FileNameCompleter;

/** Tab completion in the chat: commands, friend names, requesters, status values and file names. */
final class ChatCompleter implements Completer {
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
            case "/msg", "/voice", "/where", "/unfriend", "/block", "/track" -> s.friendNames();
            case "/accept", "/reject" -> s.pendingRequests();
            case "/status" -> List.of("online", "invisible");
            default -> List.of();
          };
      names.forEach(n -> candidates.add(new Candidate(n)));
    } else if ((index == 2 && cmd.equals("/voice")) || (index == 4 && cmd.equals("/track"))) {
      files.complete(reader, line, candidates);
    }
  }
}
