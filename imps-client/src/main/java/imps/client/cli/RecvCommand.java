package imps.client.cli;

import imps.client.Account;
import imps.client.ClientOptions;
import imps.client.ImpsClient;
import imps.client.ReconnectPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./imps recv}: prints what arrives, on stdout. With {@code --follow} it stays connected
 * (heartbeats, automatic reconnection with the session token) and prints each message as it
 * arrives; the SDK acknowledges each one once its line is written, so a bot that is stopped or
 * loses its connection gets what it had not printed again next time, and nothing twice.
 */
@Command(
    name = "recv",
    description =
        "Log in and print what arrives (stored messages, clips, requests first), until the wait"
            + " ends, or with --follow until stopped.")
final class RecvCommand extends OneShot {
  @Option(
      names = "--wait",
      defaultValue = "0",
      paramLabel = "SECONDS",
      description = "keep listening this long after the stored events (default: ${DEFAULT-VALUE})")
  int waitSeconds;

  @Option(
      names = {"-f", "--follow"},
      description =
          "stay connected and print each event as it arrives, until interrupted (Ctrl-C) or"
              + " logged in elsewhere; reconnects by itself. Each message is acknowledged once"
              + " printed (for scripts and bots)")
  boolean follow;

  /** Counted down when listening must end; {@link #exitCode} says why. */
  private final CountDownLatch stop = new CountDownLatch(1);

  private final AtomicInteger exitCode = new AtomicInteger(ExitCodes.OK);

  RecvCommand(CliIo io) {
    super(io);
  }

  @Override
  ClientOptions.Builder clientOptions() {
    if (!follow) {
      return super.clientOptions();
    }
    // Heartbeats keep a quiet session alive and detect a dead connection; the SDK's defaults.
    return server.clientOptions().reconnect(ReconnectPolicy.exponential());
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
        end(ExitCodes.AUTH);
      }

      @Override
      public void onDisconnected(Throwable cause, boolean reconnecting) {
        if (follow) {
          io.err().println("imps: connection lost" + (reconnecting ? "; reconnecting" : ""));
        }
      }

      @Override
      public void onReconnected(Account account) {
        io.err().println("imps: reconnected");
      }

      @Override
      public void onReconnectFailed(Throwable cause) {
        io.err().println("imps: could not reconnect: " + cause.getMessage());
        end(ExitCodes.UNAVAILABLE);
      }
    };
  }

  private void end(int code) {
    if (stop.getCount() > 0) {
      exitCode.compareAndSet(ExitCodes.OK, code);
    }
    stop.countDown();
  }

  @Override
  int run(ImpsClient client, PrintingListener events) throws InterruptedException {
    // The server sends the stored backlog right after the login reply and answers requests in
    // order, so once this heartbeat is answered the backlog has been printed (same thread).
    client.heartbeat(List.of()).join();
    if (follow) {
      stop.await();
      return exitCode.get();
    }
    if (stop.await(Math.max(0, waitSeconds), TimeUnit.SECONDS)) {
      return exitCode.get();
    }
    return ExitCodes.OK;
  }
}
