package imps.server.transport;

import static imps.server.ImpsServerExtension.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.server.config.ServerConfig;
import imps.testsupport.MessagePrinter;
import imps.testsupport.NetworkNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pulls the plug on a receiving client mid-stream (finding H1): the client runs in its own network
 * namespace, and its end of the veth pair goes down while messages flow to it, so the server's
 * kernel never sees them acknowledged and gets no FIN or RST. The server notices within {@code
 * tcp-user-timeout}, and everything its sender had acknowledged arrives at the next login: exactly
 * once and in order for a client with acknowledged delivery, and with nothing lost (repeats
 * possible, counted) for a legacy client.
 */
class BlackHoleIT {
  private static final int BEFORE = 10;
  private static final int AFTER = 20;

  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b ->
              b.set(ServerConfig.Key.HOST, "0.0.0.0").set(ServerConfig.Key.TCP_USER_TIMEOUT, "3s"));

  private static NetworkNamespace ns;

  @BeforeAll
  static void namespace() throws IOException {
    assumeThat(NetworkNamespace.available()).as("root and ip(8) for network namespaces").isTrue();
    ns = NetworkNamespace.create();
  }

  @AfterAll
  static void removeNamespace() throws IOException {
    if (ns != null) {
      ns.close();
    }
  }

  @Test
  void legacyClientLosesNothingItsKernelDidNotAcknowledge() throws Exception {
    List<String> got = pullThePlug("bl", "legacy", Duration.ZERO);
    System.out.println(
        "BlackHoleIT legacy: repeats=" + (got.size() - new LinkedHashSet<>(got).size()));
    assertThat(new LinkedHashSet<>(got)).containsExactlyElementsOf(expected());
  }

  @Test
  void legacyClientGetsNoRepeatOfWhatItsKernelAcknowledgedBeforeTheDrop() throws Exception {
    // Two checks of TCP_INFO, 250 ms apart, release a mark: 2 s is plenty.
    List<String> got = pullThePlug("bs", "legacy", Duration.ofSeconds(2));
    assertThat(got).containsExactlyElementsOf(expected());
  }

  @Test
  void acknowledgingClientGetsEveryMessageExactlyOnceInOrder() throws Exception {
    List<String> got = pullThePlug("ba", "acks", Duration.ZERO);
    // The app keeps what it stored by sequence number: a repeat carries a number it has seen.
    List<String> kept = new ArrayList<>();
    LinkedHashSet<Long> seqs = new LinkedHashSet<>();
    for (String line : got) {
      String[] p = line.split(" ", 2);
      if (seqs.add(Long.parseLong(p[0]))) {
        kept.add(p[1]);
      }
    }
    assertThat(kept).containsExactlyElementsOf(expected());
    assertThat(new ArrayList<>(seqs)).isSorted();
  }

  private static List<String> expected() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < BEFORE + AFTER; i++) {
      all.add("m" + i);
    }
    return all;
  }

  /**
   * Logs the recipient in from the namespace, sends {@link #BEFORE} messages that it prints, waits
   * {@code settle}, cuts its link, sends {@link #AFTER} more (all acknowledged to the sender),
   * waits until the server has dropped the recipient, and logs it in again from a new process.
   * Returns every message line both processes printed, in order: the text for a legacy client, "seq
   * text" otherwise.
   */
  private List<String> pullThePlug(String prefix, String mode, Duration settle) throws Exception {
    LoggedInFriends f = server.friends(prefix + "a", prefix + "b");
    f.cb().close();
    f.ca().awaitMatching(StatusNotifyPush.class, p -> p.status() == Presence.OFFLINE);

    Printer first = Printer.start(f.b(), mode);
    f.ca().awaitMatching(StatusNotifyPush.class, p -> p.status() == Presence.ONLINE);
    for (int i = 0; i < BEFORE; i++) {
      f.ca().send(new SendMessage(f.a(), f.b(), "m" + i));
      f.ca().expectError(0, CommandType.C_SEND_MSG);
    }
    List<String> got = new ArrayList<>();
    for (int i = 0; i < BEFORE; i++) {
      got.add(first.nextMessage(Duration.ofSeconds(10)));
    }
    Thread.sleep(settle.toMillis());
    ns.linkDown();
    try {
      for (int i = BEFORE; i < BEFORE + AFTER; i++) {
        f.ca().send(new SendMessage(f.a(), f.b(), "m" + i));
        f.ca().expectError(0, CommandType.C_SEND_MSG);
      }
      // No FIN, no RST: only the unacknowledged data tells the server the client is gone.
      long started = System.nanoTime();
      f.ca()
          .awaitMatching(
              StatusNotifyPush.class, p -> p.status() == Presence.OFFLINE, Duration.ofSeconds(20));
      System.out.println(
          "BlackHoleIT "
              + mode
              + ": server dropped the client after "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
              + " ms");
    } finally {
      ns.linkUp();
    }
    first.kill();
    got.addAll(first.messages());

    Printer second = Printer.start(f.b(), mode);
    String last = "m" + (BEFORE + AFTER - 1);
    String line;
    do {
      line = second.nextMessage(Duration.ofSeconds(10));
      got.add(line);
    } while (!line.endsWith(" " + last));
    Thread.sleep(500); // anything more would be a repeat
    got.addAll(second.messages());
    second.kill();
    return mode.equals("legacy") ? got.stream().map(l -> l.split(" ", 2)[1]).toList() : got;
  }

  /** A {@link MessagePrinter} process in the namespace; its lines "seq text". */
  private static final class Printer {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Printer(Process process) {
      this.process = process;
    }

    static Printer start(String user, String mode) throws IOException, InterruptedException {
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      Process p =
          ns.command(
                  List.of(
                      java,
                      "-cp",
                      System.getProperty("java.class.path"),
                      MessagePrinter.class.getName(),
                      ns.hostAddress(),
                      Integer.toString(server.port()),
                      user,
                      PASSWORD,
                      mode))
              .redirectErrorStream(true)
              .start();
      Printer printer = new Printer(p);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  r.lines().forEach(printer.lines::add);
                } catch (IOException e) {
                  // the process ended
                }
              },
              "printer-" + user);
      reader.setDaemon(true);
      reader.start();
      String first = printer.lines.poll(30, TimeUnit.SECONDS);
      assertThat(first).as("printer logged in").isEqualTo("READY");
      return printer;
    }

    /** The next message line, "seq text", without the "MSG " prefix. */
    String nextMessage(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(line).as("a message line within " + timeout).isNotNull();
        if (line.startsWith("MSG ")) {
          return line.substring(4);
        }
      }
    }

    /** The message lines printed and not yet taken. */
    List<String> messages() {
      List<String> out = new ArrayList<>();
      for (String l : lines) {
        if (l.startsWith("MSG ")) {
          out.add(l.substring(4));
        }
      }
      lines.clear();
      return out;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
