package imps.bench;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.MessagePush;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.SendMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code soak}: crash soak. Starts a server process ({@code ./imps server} on a fixed port and a
 * data directory of its own), keeps steady chat load on it (each sender sends numbered messages to
 * its friend, one at a time, waiting for each acknowledgement), and {@code --cycles} times kills it
 * with SIGKILL and starts it again. Clients reconnect and log in again; messages whose
 * acknowledgement was cut off are not resent (their outcome is unknown). At the end every recipient
 * logs in once more for its backlog, and the run reports acknowledged, delivered, lost
 * (acknowledged, never delivered) and duplicated (delivered more than once) messages. Exit status 1
 * when anything acknowledged was lost.
 *
 * <p>The server process is a {@link ServerProcess}; clients speak through {@link BlockingLink}s;
 * the counts and the report are a {@link SoakLedger}'s.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = "Crash soak: kill -9 and restart a server process under chat load, count losses.")
public final class SoakScenario implements Callable<Integer> {
  private static final String PASSWORD = "soak-pass1";

  @Option(names = "--cycles", defaultValue = "20", description = "Kill/restart cycles.")
  int cycles;

  @Option(names = "--pairs", defaultValue = "8", description = "Sender/recipient pairs.")
  int pairs;

  @Option(
      names = "--rate",
      defaultValue = "20",
      description = "Messages per second per sender at most (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--cycle-ms",
      defaultValue = "3000",
      description = "Load between a restart and the next kill, in ms (default ${DEFAULT-VALUE}).")
  long cycleMs;

  @Option(
      names = "--port",
      defaultValue = "0",
      description = "Port of the server process; 0 (default): a free one, kept across restarts.")
  int port;

  @Option(names = "--imps", defaultValue = "./imps", description = "The IMPS launcher.")
  String launcher;

  @Option(
      names = "--set",
      description = "A server setting (key=value), passed on as --set; repeatable.")
  List<String> settings = new ArrayList<>();

  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final AtomicInteger kills = new AtomicInteger();
  private final SoakLedger ledger = new SoakLedger();

  @Override
  public Integer call() throws Exception {
    try (ServerProcess server = new ServerProcess(launcher, port, settings)) {
      port = server.port();
      String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
      server.start();
      List<String> senders = new ArrayList<>();
      List<String> recipients = new ArrayList<>();
      for (int i = 0; i < pairs; i++) {
        senders.add("soaks" + run + "x" + i);
        recipients.add("soakr" + run + "x" + i);
      }
      setUp(senders, recipients);

      List<Thread> threads = new ArrayList<>();
      AtomicBoolean receiving = new AtomicBoolean(true);
      for (int i = 0; i < pairs; i++) {
        String s = senders.get(i);
        String r = recipients.get(i);
        threads.add(daemon(() -> receive(r, receiving)));
        threads.add(daemon(() -> send(s, r)));
      }
      for (int c = 1; c <= cycles; c++) {
        Thread.sleep(cycleMs);
        server.kill(); // SIGKILL
        kills.incrementAndGet();
        server.start();
        System.out.printf("cycle %d/%d: killed and restarted; %s%n", c, cycles, ledger.progress());
      }
      Thread.sleep(cycleMs);
      sending.set(false);
      Thread.sleep(3000); // the last replies and pushes
      receiving.set(false);
      for (Thread t : threads) {
        t.join(15_000);
      }
      // Whatever is still stored comes with one more login of each recipient.
      for (String r : recipients) {
        drainBacklog(r);
      }
      return ledger.report(System.out, kills.get(), pairs);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Clients

  private void setUp(List<String> senders, List<String> recipients) throws IOException {
    try (BlockingLink l = BlockingLink.open(port)) {
      List<String> all = new ArrayList<>(senders);
      all.addAll(recipients);
      for (String n : all) {
        l.send(new RegisterRequest(n, PASSWORD, Gender.UNSPECIFIED, ""));
        ImpsMessage r = l.next(10_000);
        if (!(r instanceof imps.protocol.message.RegisterResponse ok) || !ok.registered()) {
          throw new IOException("registration of " + n + " refused: " + r);
        }
      }
    }
    for (int i = 0; i < senders.size(); i++) {
      try (BlockingLink s = login(senders.get(i));
          BlockingLink r = login(recipients.get(i))) {
        s.send(new AddFriendRequest(senders.get(i), recipients.get(i)));
        s.until(ErrorResponse.class, 10_000);
        r.send(new AddFriendAnswer(senders.get(i), true));
        r.until(AddFriendResponse.class, 10_000);
        s.until(AddFriendResponse.class, 10_000);
      }
    }
  }

  private BlockingLink login(String name) throws IOException {
    return BlockingLink.login(port, name, PASSWORD);
  }

  private void send(String sender, String recipient) {
    long pauseNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
    int k = 0;
    while (sending.get()) {
      try (BlockingLink l = login(sender)) {
        while (sending.get()) {
          String body = sender + "#" + k;
          k++; // never resent: after a cut-off reply the outcome is unknown
          long next = System.nanoTime() + pauseNanos;
          l.send(new SendMessage(sender, recipient, body));
          ledger.sent();
          ErrorResponse ack = l.until(ErrorResponse.class, 30_000);
          if (ack.code() == ErrorCode.SUCCESS && ack.cmd() == CommandType.C_SEND_MSG.value()) {
            ledger.acknowledged(body);
          }
          long wait = next - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
      } catch (IOException e) {
        sleepQuietly(100); // the server is down: try again
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void receive(String recipient, AtomicBoolean receiving) {
    while (receiving.get()) {
      try (BlockingLink l = login(recipient)) {
        while (receiving.get()) {
          ImpsMessage m = l.nextOrNull(200);
          if (m instanceof MessagePush p) {
            ledger.delivered(p.message());
          }
        }
      } catch (IOException e) {
        sleepQuietly(100);
      }
    }
  }

  private void drainBacklog(String recipient) throws IOException {
    try (BlockingLink l = login(recipient)) {
      ImpsMessage m;
      while ((m = l.nextOrNull(1500)) != null) {
        if (m instanceof MessagePush p) {
          ledger.delivered(p.message());
        }
      }
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "soak");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
