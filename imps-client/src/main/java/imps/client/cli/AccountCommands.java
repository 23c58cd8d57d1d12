package imps.client.cli;

import imps.client.ImpsClient;
import imps.protocol.Presence;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The account commands of {@link ChatSession}: {@code /status}, {@code /live}, {@code /passwd} and
 * {@code /delete-account}. Each waits for the server's reply and prints the outcome; a refusal
 * propagates as the {@link java.util.concurrent.CompletionException} of the request, for the
 * session to report.
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

  /**
   * {@code /delete-account}: says what is lost, asks the user to type their name to confirm, then
   * the current password without echo, and deletes the account.
   *
   * @param lines {@code prompt -> answer}, echoed; {@code null} when there is no terminal
   * @param secrets {@code prompt -> answer} without echo; {@code null} when there is no terminal
   * @return whether the account was deleted (the server has closed the connection: the chat ends)
   */
  boolean deleteAccount(Function<String, String> lines, Function<String, String> secrets) {
    if (lines == null || secrets == null) {
      console.print("error: /delete-account needs a terminal");
      return false;
    }
    String me = client.userName();
    console.print(
        "this deletes the account "
            + me
            + " and everything of it (messages, clips, locations, friendships, requests,"
            + " blocks) for good; your friends see you go");
    String typed = lines.apply("type " + me + " to confirm: ");
    if (typed == null || !typed.strip().equals(me)) {
      console.print("not deleted");
      return false;
    }
    String password = secrets.apply("password: ");
    // The server closes the connection once the account is gone: that drop is not news.
    events.leaving();
    try {
      client.deleteAccount(password).join();
    } catch (CompletionException e) {
      events.staying();
      throw e;
    }
    console.print("account " + me + " deleted");
    return true;
  }
}
