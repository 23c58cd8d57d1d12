package imps.client.cli;

import java.util.Map;

/**
 * Where passwords come from: {@code IMPS_PASSWORD} when it is set, otherwise a prompt without echo;
 * never a flag, which would land in shell history and process lists. The one place for this rule,
 * used by the one-shot commands and the chat.
 */
final class Passwords {
  static final String ENV = "IMPS_PASSWORD";

  /** Where a password change ({@code ./imps passwd}) takes the new password from. */
  static final String NEW_ENV = "IMPS_NEW_PASSWORD";

  private final Map<String, String> env;
  private final CliIo.SecretPrompt prompt;

  Passwords(Map<String, String> env, CliIo.SecretPrompt prompt) {
    this.env = env;
    this.prompt = prompt;
  }

  /** Whether the password comes from {@code IMPS_PASSWORD} (then asking again gives the same). */
  boolean fromEnvironment() {
    String v = env.get(ENV);
    return v != null && !v.isEmpty();
  }

  /**
   * The password of an existing account.
   *
   * @throws NoPasswordException when there is neither {@code IMPS_PASSWORD} nor a terminal
   */
  String existing(String promptText) {
    return fromEnvironment() ? env.get(ENV) : ask(promptText);
  }

  /**
   * A new password: {@code IMPS_PASSWORD}, or typed twice.
   *
   * @return the password, or {@code null} when the two typed ones differ
   * @throws NoPasswordException when there is neither {@code IMPS_PASSWORD} nor a terminal
   */
  String chosen(String promptText) {
    if (fromEnvironment()) {
      return env.get(ENV);
    }
    String first = ask(promptText);
    String again = ask("Repeat password: ");
    return first.equals(again) ? first : null;
  }

  /**
   * Whether the user types {@code typed} again at the prompt {@code Repeat password: } (to be sure
   * of a password typed once, before an account is made with it).
   *
   * @throws NoPasswordException when there is no terminal
   */
  boolean repeats(String typed) {
    return typed.equals(ask("Repeat password: "));
  }

  /**
   * The new password of a password change: {@code IMPS_NEW_PASSWORD}, or typed twice.
   *
   * @return the password, or {@code null} when the two typed ones differ
   * @throws NoPasswordException when there is neither {@code IMPS_NEW_PASSWORD} nor a terminal
   */
  String replacement(String promptText) {
    String v = env.get(NEW_ENV);
    if (v != null && !v.isEmpty()) {
      return v;
    }
    String first = ask(promptText, NEW_ENV);
    String again = ask("Repeat new password: ", NEW_ENV);
    return first.equals(again) ? first : null;
  }

  private String ask(String promptText) {
    return ask(promptText, ENV);
  }

  private String ask(String promptText, String envName) {
    char[] typed = prompt.read(promptText);
    if (typed == null) {
      throw new NoPasswordException(envName);
    }
    return new String(typed);
  }

  /** Neither {@code IMPS_PASSWORD} nor a terminal to ask on. */
  static final class NoPasswordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoPasswordException(String envName) {
      super("no password: set " + envName + " or run in a terminal to be asked");
    }
  }
}
