package imps.client.cli;

import imps.client.ClientOptions;
import imps.client.ImpsClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Sending for {@link ChatSession}: texts (typed lines and {@code /msg}) and voice clips ({@code
 * /voice}). A text to a friend does not wait for the server: its state follows in lines of its own
 * ({@link OutgoingMessages}); anything else waits for the verdict and says it.
 */
final class TextSending {
  private final ImpsClient client;
  private final ChatEvents events;
  private final ChatSession.Console console;
  private final BooleanSupplier offline;
  private final BiConsumer<CompletionException, String> report;
  private final Function<String, String> canonical;

  /**
   * @param offline whether the server cannot be asked now (then it has said so)
   * @param report prints a failed request ({@code error, target})
   * @param canonical a friend's name as registered, when known
   */
  TextSending(
      ImpsClient client,
      ChatEvents events,
      ChatSession.Console console,
      BooleanSupplier offline,
      BiConsumer<CompletionException, String> report,
      Function<String, String> canonical) {
    this.client = client;
    this.events = events;
    this.console = console;
    this.offline = offline;
    this.report = report;
    this.canonical = canonical;
  }

  /** Sends a text; returns whether it went out. */
  boolean send(String to, String text) {
    String problem = InputRules.messageProblem(text);
    if (problem != null) {
      console.print("error: " + problem);
      return false;
    }
    if (offline.getAsBoolean()) {
      return false;
    }
    if (events.friend(to).isEmpty()) {
      events.friends(client.friends().join());
    }
    if (events.friend(to).isEmpty()) {
      // Not a friend (as far as this client knows): wait for the server's verdict and say it.
      try {
        client.sendMessage(to, text).join();
        return true;
      } catch (CompletionException e) {
        report.accept(e, to);
        return false;
      }
    }
    // To a friend: the state of the message follows in lines of its own (sent, stored, delivered,
    // read), and the chat does not wait; a send the connection lost goes again after the
    // reconnection.
    String name = canonical.apply(to);
    CompletableFuture<Long> sending = client.sendMessage(name, text);
    if (sending.isCompletedExceptionally()) {
      // Refused before it went out (longer than the client's limit, for example).
      try {
        sending.join();
      } catch (CompletionException e) {
        report.accept(e, name);
      }
      return false;
    }
    OutgoingMessages outgoing = events.outgoing();
    int number = outgoing.sent(name);
    sending.whenComplete(
        (id, err) -> {
          if (err == null) {
            outgoing.stored(number, id);
          } else {
            outgoing.failed(number);
            CliErrors.Failure f = CliErrors.of(err, name);
            console.print(
                "error: #"
                    + number
                    + " to "
                    + name
                    + " was not stored: "
                    + (f != null ? f.message() : String.valueOf(err.getMessage())));
          }
        });
    return true;
  }

  /** {@code /voice}: reads the clip and waits until the server has stored it. */
  void voice(String to, Path file) {
    byte[] clip;
    try {
      clip = Clips.read(file, ClientOptions.MAX_AUDIO_BYTES_LIMIT);
    } catch (IOException e) {
      console.print("error: cannot read " + file + ": " + Clips.problem(e));
      return;
    }
    if (clip.length == 0) {
      console.print("error: cannot send " + file + ": the file is empty");
      return;
    }
    client.sendVoice(to, clip).join();
    console.print("voice clip sent to " + to + " (" + clip.length + " bytes)");
  }
}
