package imps.client.cli;

import imps.client.Account;
import imps.client.ClientOptions;
import imps.client.ImpsClient;
import imps.client.Position;
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

  @Option(
      names = "--live",
      description =
          "also print friends' new positions as they move (at most one line per friend per the"
              + " server's location.live-interval), with distance and direction from your own last"
              + " shared position")
  boolean live;

  private volatile ImpsClient client; // for asking for live positions again after a reconnect

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
        if (live) {
          // Live positions are asked for per connection. Never joined here, on the event thread.
          client
              .liveLocations(true)
              .exceptionally(
                  t -> {
                    io.err()
                        .println("imps: friends' live positions not resumed: " + t.getMessage());
                    return null;
                  });
        }
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
    if (live) {
      this.client = client;
      Position me = OwnPosition.lastShared(client);
      events.me(me);
      client.liveLocations(true).join();
      io.err()
          .println(
              "imps: friends' live positions on"
                  + (me == null
                      ? " (you have shared no position: shown without distance)"
                      : ", with distance and direction from " + me + " (your last shared one)"));
    }
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
