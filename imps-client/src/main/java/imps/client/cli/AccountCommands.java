package imps.client.cli;

import imps.client.ImpsClient;
import imps.protocol.Presence;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The account commands of {@link ChatSession}: {@code /status}, {@code /live} and {@code /passwd}.
 * Each waits for the server's reply and prints the outcome; a refusal propagates as the {@link
 * java.util.concurrent.CompletionException} of the request, for the session to report.
 */
final class AccountCommands {
  private final ImpsClient client;
  private final ChatEvents events;
  private final ChatSession.Console console;
  private final Consumer<String> passwordChanged;

  /**
   * @param passwordChanged told the new password once the server has accepted it
   */
  AccountCommands(
      ImpsClient client,
      ChatEvents events,
      ChatSession.Console console,
      Consumer<String> passwordChanged) {
    this.client = client;
    this.events = events;
    this.console = console;
    this.passwordChanged = passwordChanged;
  }

  void status(String arg) {
    Presence p =
        "online".equalsIgnoreCase(arg)
            ? Presence.ONLINE
            : "invisible".equalsIgnoreCase(arg) ? Presence.INVISIBLE : null;
    if (p == null) {
      console.print("usage: /status online|invisible");
      return;
    }
    client.setStatus(p).join();
    events.statusChosen(client.userName(), p);
    console.print("you are now " + p.label());
  }

  void live(String arg) {
    if (!"on".equalsIgnoreCase(arg) && !"off".equalsIgnoreCase(arg)) {
      console.print("usage: /live on|off");
    } else {
      boolean on = "on".equalsIgnoreCase(arg);
      client.liveLocations(on).join();
      console.print(on ? "friends' live positions on" : "friends' live positions off");
    }
  }

  /**
   * {@code /passwd}: asks the current and new password (twice) without echo.
   *
   * @param secrets {@code prompt -> answer} without echo; {@code null} when there is no terminal
   */
  void passwd(Function<String, String> secrets) {
    if (secrets == null) {
      console.print("error: /passwd needs a terminal");
      return;
    }
    String current = secrets.apply("current password: ");
    String next = secrets.apply("new password: ");
    if (!next.equals(secrets.apply("new password again: "))) {
      console.print("error: the new passwords differ; nothing changed");
      return;
    }
    client.changePassword(current, next).join();
    passwordChanged.accept(next);
    console.print("password changed; your other devices must log in again");
  }
}
