package imps.client.cli;

import imps.client.ClientOptions;
import imps.client.ImpsClient;
import imps.client.ImpsListener;
import imps.protocol.Gender;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./imps register}: creates an account; does not log in. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Create an account (password from IMPS_PASSWORD or a prompt).")
final class RegisterCommand implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "new user name")
  String user;

  @Option(names = "--email", defaultValue = "", paramLabel = "E", description = "email address")
  String email;

  @Option(
      names = "--gender",
      defaultValue = "unspecified",
      paramLabel = "G",
      description = "unspecified, male or female (or 0, 1, 2)")
  String gender;

  private final CliIo io;

  RegisterCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    Gender g = parseGender(gender);
    if (g == null) {
      io.err().println("imps: --gender must be unspecified, male or female");
      return ExitCodes.USAGE;
    }
    // Fields the client can check are checked before a password is asked for.
    String problem =
        InputRules.nameProblem(user) != null
            ? InputRules.nameProblem(user) + ", not '" + user + "'"
            : InputRules.emailProblem(email);
    if (problem != null) {
      io.err().println("imps: invalid registration: " + problem);
      return ExitCodes.REFUSED;
    }
    ClientOptions options = server.clientOptions().heartbeatInterval(Duration.ZERO).build();
    try (ImpsClient client = new ImpsClient(options, new ImpsListener() {})) {
      return CliErrors.run(
          io,
          user,
          () -> {
            client.connect().join();
            String password = io.passwords().chosen("Password for " + user + ": ");
            if (password == null) {
              io.err().println("imps: the passwords differ");
              return ExitCodes.USAGE;
            }
            if (InputRules.passwordProblem(password) != null) {
              io.err().println("imps: invalid registration: " + InputRules.PASSWORD_RULE);
              return ExitCodes.REFUSED;
            }
            if (client.register(user, password, g, email).join()) {
              io.out().println("registered " + user);
              return ExitCodes.OK;
            }
            io.err().println("imps: the user name " + user + " is already taken");
            return ExitCodes.REFUSED;
          });
    }
  }

  /** The gender a user typed, or {@code null} when it is none of the known words. */
  static Gender parseGender(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "unspecified", "0", "" -> Gender.UNSPECIFIED;
      case "male", "m", "1" -> Gender.MALE;
      case "female", "f", "2" -> Gender.FEMALE;
      default -> null;
    };
  }
}
