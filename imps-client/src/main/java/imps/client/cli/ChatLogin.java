package imps.client.cli;

import imps.client.ImpsClientException;
import imps.client.ImpsRefusedException;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The chat's way in: the user name, then the connection (so that a dead server is reported before a
 * password is typed), then the password with a few attempts, or a registration.
 *
 * <p>A wrong password and an unknown name get the same answer from the server (so that names cannot
 * be probed), and nothing tells whether a name is free short of registering it. So after the first
 * failure the user may register the name with the password just typed (typed once more, to be sure
 * of it): if the server then says the name is taken, the password was wrong, and the user tries
 * again, having been asked for nothing but the repeat and the optional email. Every field is
 * checked as it is typed, and asked again when invalid.
 */
final class ChatLogin {
  /** Password attempts before giving up (exit 4). */
  static final int PASSWORD_ATTEMPTS = 3;

  /** Reads what the user types; ends the login (an exception) when the input ends. */
  interface Prompter {
    String line(String prompt);

    /** A secret, not echoed. */
    String secret(String prompt);
  }

  private final ChatSession session;
  private final Prompter prompter;
  private final Passwords passwords;
  private final ChatSession.Console console;

  /**
   * @param env the environment ({@code IMPS_PASSWORD})
   */
  ChatLogin(
      ChatSession session,
      Prompter prompter,
      Map<String, String> env,
      ChatSession.Console console) {
    this.session = session;
    this.prompter = prompter;
    this.passwords = new Passwords(env, p -> prompter.secret(p).toCharArray());
    this.console = console;
  }

  /**
   * Runs the login.
   *
   * @param givenUser the name from {@code --user}, or {@code null} to ask
   * @param register whether to register the name first
   * @return {@link ExitCodes#OK} when logged in, otherwise the exit code to leave with
   */
  int run(String givenUser, boolean register) {
    String name = askName(givenUser);
    if (!session.connect()) {
      return exitCode();
    }
    if (register) {
      return registerNew(name);
    }
    for (int attempt = 1; attempt <= PASSWORD_ATTEMPTS; attempt++) {
      String password = passwords.existing("Password: ");
      if (session.login(name, password)) {
        return ExitCodes.OK;
      }
      if (!wrongPassword() || passwords.fromEnvironment()) {
        return exitCode();
      }
      if (attempt == 1
          && yes(
              "No account "
                  + name
                  + " with this password; register "
                  + name
                  + " with it? [y/N] ")) {
        Registration r = register(name, password);
        if (r == Registration.DONE) {
          return ExitCodes.OK;
        }
        if (r == Registration.FAILED) {
          return exitCode();
        }
        console.print("error: " + name + " exists, so the password was wrong; try again");
      } else if (attempt < PASSWORD_ATTEMPTS) {
        int left = PASSWORD_ATTEMPTS - attempt;
        console.print("try again (" + left + (left == 1 ? " attempt" : " attempts") + " left)");
      }
    }
    return ExitCodes.AUTH;
  }

  /** {@code --register}: a new account; a taken name is asked again. */
  private int registerNew(String name) {
    while (true) {
      Registration r = register(name, null);
      if (r == Registration.DONE) {
        return ExitCodes.OK;
      }
      if (r == Registration.FAILED) {
        return exitCode();
      }
      name = askName(null);
    }
  }

  private enum Registration {
    DONE,
    TAKEN,
    FAILED
  }

  /**
   * Registers {@code name} and logs in: with {@code typed} (the password typed at login) when the
   * user types it again and it is a valid one, else with a new password asked for; and an email.
   */
  private Registration register(String name, String typed) {
    String password = typed != null ? confirmed(typed) : null;
    if (password == null) {
      password = newPassword();
    }
    if (password == null) {
      return Registration.FAILED;
    }
    String email = askValid("Email (optional): ", InputRules::emailProblem);
    if (session.register(name, password, Gender.UNSPECIFIED, email)) {
      return session.login(name, password) ? Registration.DONE : Registration.FAILED;
    }
    return session.lastError() == null ? Registration.TAKEN : Registration.FAILED;
  }

  /** {@code typed}, when it is a valid password and typed again alike; else {@code null}. */
  private String confirmed(String typed) {
    String problem = InputRules.passwordProblem(typed);
    if (problem != null) {
      console.print("error: " + problem + "; choose one");
      return null;
    }
    if (passwords.repeats(typed)) {
      return typed;
    }
    console.print("error: the passwords differ; choose one");
    return null;
  }

  /** A valid new password, or {@code null} when {@code IMPS_PASSWORD} holds an invalid one. */
  private String newPassword() {
    while (true) {
      String password = passwords.chosen("New password: ");
      if (password == null) {
        console.print("error: the passwords differ; choose again");
        continue;
      }
      String problem = InputRules.passwordProblem(password);
      if (problem == null) {
        return password;
      }
      if (passwords.fromEnvironment()) {
        console.print("error: " + Passwords.ENV + ": " + problem);
        return null;
      }
      console.print("error: " + problem);
    }
  }

  private String askName(String given) {
    String name = given;
    while (true) {
      if (name == null) {
        name = prompter.line("User name: ").strip();
      }
      String problem = InputRules.nameProblem(name);
      if (problem == null) {
        return name;
      }
      if (!name.isEmpty()) {
        console.print("error: " + problem);
      }
      name = null;
    }
  }

  private String askValid(String prompt, Function<String, String> problemOf) {
    while (true) {
      String value = prompter.line(prompt).strip();
      String problem = problemOf.apply(value);
      if (problem == null) {
        return value;
      }
      console.print("error: " + problem);
    }
  }

  private boolean yes(String question) {
    return prompter.line(question).strip().toLowerCase(Locale.ROOT).startsWith("y");
  }

  private boolean wrongPassword() {
    return session.lastError() instanceof ImpsRefusedException e
        && e.errorCode() == ErrorCode.BAD_CREDENTIALS;
  }

  private int exitCode() {
    ImpsClientException e = session.lastError();
    return e != null ? ExitCodes.of(e) : ExitCodes.REFUSED;
  }
}
