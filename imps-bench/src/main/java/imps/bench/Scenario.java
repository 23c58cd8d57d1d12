package imps.bench;

/**
 * One benchmark scenario. Its command class holds its own options and the {@link BenchOptions}
 * mixin, and hands itself to {@link ScenarioRunner}, which gives {@link #run} the parts it
 * composes: the client, {@link UserSetup}, {@link RunMeter} and the progress line.
 */
interface Scenario {

  /** The scenario's name, as on the command line and in the result. */
  String name();

  /** The fixed prefix of user names with --reuse-users. */
  String reusePrefix();

  /** How many loopback source addresses the client spreads connections over (0: the OS picks). */
  default int sourceAddresses() {
    return 0;
  }

  /**
   * Sets up and measures, filling in {@code r}. Calls {@link RunMeter#markStart} and {@link
   * RunMeter#markEnd} around its measured phase.
   *
   * @throws IllegalArgumentException for options out of range (exit code 2, no result)
   * @throws SetupException when setting up users fails (exit code 3, the result says why)
   */
  void run(RunContext run, Result r) throws Exception;
}
