package imps.bench;

import java.io.PrintStream;
import java.time.Clock;

/**
 * Runs one scenario from start to end: records the environment, opens the client and the progress
 * line, finds the server, names the users, runs the scenario and writes the result.
 *
 * <p>Exit codes: 0 when the run completed, 2 for options out of range (nothing is written), 3 when
 * setting up users failed (the result is written, with a note saying why).
 */
final class ScenarioRunner {
  private final BenchOptions options;
  private final PrintStream out;

  ScenarioRunner(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs {@code scenario} with its parsed options, printing to stdout. */
  static int run(Scenario scenario, BenchOptions options) throws Exception {
    return new ScenarioRunner(options, System.out).run(scenario);
  }

  int run(Scenario scenario) throws Exception {
    Result r = new Result(scenario.name());
    RunMeter.recordEnvironment(r);
    try (Progress progress = new Progress(!options.noProgress && Progress.stdoutIsTerminal(), out);
        BenchClient client =
            new BenchClient(
                options.host,
                options.port(),
                options.ioThreads,
                scenario.sourceAddresses(),
                BenchTls.context(options),
                options.websocket)) {
      RunMeter meter = RunMeter.forServer(options.serverPid, options.port(), r);
      r.setting("host", options.host)
          .setting("port", options.port())
          .setting("tls", options.useTls())
          .setting("websocket", options.websocket);
      String prefix =
          UserSetup.choosePrefix(options.userPrefix, options.reuseUsers, scenario.reusePrefix());
      r.setting("user_prefix", prefix);
      UserSetup users =
          new UserSetup(prefix, options.setupConcurrency, options.timeout(), client, progress);
      meter.markStart();
      scenario.run(new RunContext(options, client, progress, users, meter, out), r);
      if (!meter.ended()) {
        meter.markEnd(r);
      }
      meter.recordServerRss(r);
    } catch (IllegalArgumentException e) {
      out.println("bench: " + e.getMessage());
      return 2;
    } catch (SetupException e) {
      r.note("setup failed: " + e.getMessage());
      writer().finish(r);
      return 3;
    }
    writer().finish(r);
    return 0;
  }

  private ResultWriter writer() {
    return new ResultWriter(
        options.out, options.compare, options.quiet, out, Clock.systemDefaultZone());
  }
}
