package imps.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./imps bench SCENARIO [options]}: the IMPS load generator. */
@Command(
    name = "imps bench",
    mixinStandardHelpOptions = true,
    description = {
      "Load generator for an IMPS server on this machine (loopback only).",
      "Each scenario sets up its own users (unique names, or fixed ones with --reuse-users),",
      "prints a table, writes a JSON result file and can --compare with an earlier one."
    },
    subcommands = {
      ChatScenario.class,
      ConnectionsScenario.class,
      HistoryScenario.class,
      LiveLocationsScenario.class,
      LoginStormScenario.class,
      OfflineBacklogScenario.class,
      PresenceScenario.class,
      SoakScenario.class
    })
public final class BenchMain implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs the tool with {@code args} and returns its exit code (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new BenchMain()).execute(args);
  }

  public static void main(String[] args) {
    int code = execute(args);
    System.exit(code);
  }
}
