package imps.bench;

import java.io.PrintStream;

/** The parts a scenario composes while it runs; all are open until {@link Scenario#run} returns. */
record RunContext(
    BenchOptions options,
    BenchClient client,
    Progress progress,
    UserSetup users,
    RunMeter meter,
    PrintStream out) {}
