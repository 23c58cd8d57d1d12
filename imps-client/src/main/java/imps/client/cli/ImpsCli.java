package imps.client.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./imps
 * chat|register|add|accept|reject|friends|send|voice|share|track|history|unfriend|block|unblock|blocked|passwd|delete-account|recv}.
 * The launcher passes the subcommand as the first argument.
 */
@Command(
    name = "imps",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "IMPS terminal client.",
    subcommands = {
      ChatCommand.class,
      RegisterCommand.class,
      OneShotCommands.Add.class,
      OneShotCommands.Accept.class,
      OneShotCommands.Reject.class,
      OneShotCommands.Friends.class,
      OneShotCommands.Send.class,
      OneShotCommands.Voice.class,
      OneShotCommands.Share.class,
      TrackCommand.class,
      HistoryCommand.class,
      SocialCommands.Unfriend.class,
      SocialCommands.Block.class,
      SocialCommands.Unblock.class,
      SocialCommands.Blocked.class,
      SocialCommands.Passwd.class,
      SocialCommands.DeleteAccount.class,
      RecvCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:unexpected failure",
      "2:bad usage, or no password (set IMPS_PASSWORD or use a terminal)",
      "3:server unreachable, connection lost or no reply in time",
      "4:wrong user name or password, or logged in elsewhere",
      "5:refused (name taken, no such user, not friends, no pending request, invalid value,"
          + " clip too large, blank message)",
      "6:temporary (too many requests, server error); try again"
    })
public final class ImpsCli {

  private ImpsCli() {}

  public static void main(String[] args) {
    // The CLI's own logging setup (quiet unless IMPS_LOG_LEVEL is set); the SDK jar itself ships
    // no logback.xml so that applications keep control of theirs.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "imps-client-logback.xml");
    }
    System.exit(run(args, CliIo.system()));
  }

  /** Runs one command line with the given I/O; returns the exit code. */
  public static int run(String[] args, CliIo io) {
    CommandLine cl =
        new CommandLine(ImpsCli.class, new Factory(io))
            .setOut(io.out())
            .setErr(io.err())
            .setExecutionExceptionHandler(
                (e, commandLine, parsed) -> {
                  if (e instanceof Passwords.NoPasswordException) {
                    io.err().println("imps: " + e.getMessage());
                    return ExitCodes.USAGE;
                  }
                  io.err().println("imps: unexpected error: " + e);
                  if (io.env().get("IMPS_DEBUG") != null) {
                    e.printStackTrace(io.err());
                  } else {
                    io.err().println("imps: (set IMPS_DEBUG=1 for details)");
                  }
                  return ExitCodes.FAILURE;
                });
    int code = cl.execute(args);
    io.out().flush();
    io.err().flush();
    return code;
  }

  /** Creates commands by constructor injection of the I/O. */
  private record Factory(CliIo io) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        var ctor = cls.getDeclaredConstructor(CliIo.class);
        ctor.setAccessible(true);
        return ctor.newInstance(io);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
