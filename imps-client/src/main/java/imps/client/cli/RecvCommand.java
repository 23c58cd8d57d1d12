package imps.client.cli;

import imps.client.ImpsClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./imps recv}: prints what arrives, on stdout. */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    footerHeading = "%n",
    footer = {Clips.HELP_1, Clips.HELP_2},
    name = "recv",
    description =
        "Log in and print what arrives (stored messages, clips, requests first), until the wait"
            + " ends.")
final class RecvCommand extends OneShot {
  @Option(
      names = "--wait",
      defaultValue = "0",
      paramLabel = "SECONDS",
      description = "keep listening this long after the stored events (default: ${DEFAULT-VALUE})")
  int waitSeconds;

  private final CountDownLatch kicked = new CountDownLatch(1);

  RecvCommand(CliIo io) {
    super(io);
  }

  @Override
  PrintingListener listener(Path clipDir) {
    return new PrintingListener(
        line -> {
          io.out().println(line);
          io.out().flush();
        },
        clipDir) {
      @Override
      public void onLoggedInElsewhere() {
        io.err().println("imps: logged in elsewhere; stopped listening");
        kicked.countDown();
      }
    };
  }

  @Override
  int run(ImpsClient client, PrintingListener events) throws InterruptedException {
    // The server sends the stored backlog right after the login reply and answers requests in
    // order, so once this heartbeat is answered the backlog has been printed (same thread).
    client.heartbeat(List.of()).join();
    if (kicked.await(Math.max(0, waitSeconds), TimeUnit.SECONDS)) {
      return ExitCodes.AUTH;
    }
    return ExitCodes.OK;
  }
}
