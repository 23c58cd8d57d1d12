package imps.bench;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.codec.FrameDecoder;
import imps.protocol.codec.FrameEncoder;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.SendMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
  private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger sent = new AtomicInteger();
  private Process server;
  private Path dataDir;

  @Override
  public Integer call() throws Exception {
    dataDir = Files.createTempDirectory("imps-soak");
    if (port == 0) {
      try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
        port = probe.getLocalPort();
      }
    }
    String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    try {
      startServer();
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
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
        kills.incrementAndGet();
        startServer();
        System.out.printf(
            "cycle %d/%d: killed and restarted; %d sent, %d acknowledged, %d delivered%n",
            c, cycles, sent.get(), acknowledged.size(), deliveries.size());
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
      return report();
    } finally {
      if (server != null) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private int report() {
    int duplicated = 0;
    for (int n : deliveries.values()) {
      duplicated += n - 1;
    }
    long lost = acknowledged.stream().filter(k -> !deliveries.containsKey(k)).count();
    long unacknowledgedDelivered =
        deliveries.keySet().stream().filter(k -> !acknowledged.contains(k)).count();
    System.out.println();
    System.out.printf("crash soak: %d kill -9 cycles, %d pairs%n", kills.get(), pairs);
    System.out.printf("  sent                        %8d%n", sent.get());
    System.out.printf("  acknowledged                %8d%n", acknowledged.size());
    System.out.printf("  delivered (distinct)        %8d%n", deliveries.size());
    System.out.printf("  lost (acknowledged, never)  %8d%n", lost);
    System.out.printf("  duplicated (extra copies)   %8d%n", duplicated);
    System.out.printf(
        "  delivered, not acknowledged %8d  (reply cut off by the kill)%n",
        unacknowledgedDelivered);
    return lost == 0 ? 0 : 1;
  }

  // ---------------------------------------------------------------------------------------------
  // The server process

  private void startServer() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher);
    cmd.addAll(
        List.of(
            "server",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--data-dir",
            dataDir.toString(),
            "--set",
            "web.enabled=false",
            "--set",
            "password.memory-kib=1024",
            "--set",
            "password.iterations=1",
            // The soak registers its users from one address.
            "--set",
            "register.per-address=1000000",
            "--set",
            "register.per-minute=1000000"));
    for (String kv : settings) {
      cmd.add("--set");
      cmd.add(kv);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String line;
    while ((line = out.readLine()) != null) {
      if (line.contains("IMPS listening on")) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("server did not start");
      }
    }
    if (line == null) {
      throw new IOException("server exited at start (status " + p.waitFor() + ")");
    }
    // Keep reading its output, so that it never blocks on a full pipe.
    daemon(
        () -> {
          try {
            while (out.readLine() != null) {
              // discarded
            }
          } catch (IOException ignored) {
            // killed
          }
        });
    server = p;
  }

  // ---------------------------------------------------------------------------------------------
  // Clients

  private void setUp(List<String> senders, List<String> recipients) throws IOException {
    try (Link l = Link.open(port)) {
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
      try (Link s = Link.login(port, senders.get(i));
          Link r = Link.login(port, recipients.get(i))) {
        s.send(new AddFriendRequest(senders.get(i), recipients.get(i)));
        s.until(ErrorResponse.class, 10_000);
        r.send(new AddFriendAnswer(senders.get(i), true));
        r.until(AddFriendResponse.class, 10_000);
        s.until(AddFriendResponse.class, 10_000);
      }
    }
  }

  private void send(String sender, String recipient) {
    long pauseNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
    int k = 0;
    while (sending.get()) {
      try (Link l = Link.login(port, sender)) {
        while (sending.get()) {
          String body = sender + "#" + k;
          k++; // never resent: after a cut-off reply the outcome is unknown
          long next = System.nanoTime() + pauseNanos;
          l.send(new SendMessage(sender, recipient, body));
          sent.incrementAndGet();
          ErrorResponse ack = l.until(ErrorResponse.class, 30_000);
          if (ack.code() == ErrorCode.SUCCESS && ack.cmd() == CommandType.C_SEND_MSG.value()) {
            acknowledged.add(body);
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
      try (Link l = Link.login(port, recipient)) {
        while (receiving.get()) {
          ImpsMessage m = l.nextOrNull(200);
          if (m instanceof MessagePush p) {
            deliveries.merge(p.message(), 1, Integer::sum);
          }
        }
      } catch (IOException e) {
        sleepQuietly(100);
      }
    }
  }

  private void drainBacklog(String recipient) throws IOException {
    try (Link l = Link.login(port, recipient)) {
      ImpsMessage m;
      while ((m = l.nextOrNull(1500)) != null) {
        if (m instanceof MessagePush p) {
          deliveries.merge(p.message(), 1, Integer::sum);
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

  /** A blocking connection speaking frames. */
  private static final class Link implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private Link(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    static Link open(int port) throws IOException {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setTcpNoDelay(true);
      return new Link(s);
    }

    static Link login(int port, String name) throws IOException {
      Link l = open(port);
      try {
        l.send(new LoginRequest(name, PASSWORD));
        ImpsMessage r = l.next(10_000);
        if (!(r instanceof LoginResponse)) {
          throw new IOException("login of " + name + " refused: " + r);
        }
        return l;
      } catch (IOException e) {
        l.close();
        throw e;
      }
    }

    void send(ImpsMessage m) throws IOException {
      ByteBuf b = Unpooled.buffer();
      try {
        FrameEncoder.encodeTo(m, b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        out.write(bytes);
        out.flush();
      } finally {
        b.release();
      }
    }

    ImpsMessage next(int timeoutMs) throws IOException {
      ImpsMessage m = nextOrNull(timeoutMs);
      if (m == null) {
        throw new IOException("no frame within " + timeoutMs + " ms");
      }
      return m;
    }

    /** The next frame, or null after {@code timeoutMs} without one; IOException when closed. */
    ImpsMessage nextOrNull(int timeoutMs) throws IOException {
      socket.setSoTimeout(timeoutMs);
      byte[] header = new byte[4];
      try {
        in.readFully(header, 0, 1);
      } catch (SocketTimeoutException e) {
        return null;
      }
      socket.setSoTimeout(10_000);
      in.readFully(header, 1, 3);
      int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
      byte[] content = new byte[length];
      in.readFully(content);
      Object o = FrameDecoder.decodeContent(Unpooled.wrappedBuffer(content));
      if (!(o instanceof ImpsMessage m)) {
        throw new IOException("undecodable frame: " + o);
      }
      return m;
    }

    <T extends ImpsMessage> T until(Class<T> type, int timeoutMs) throws IOException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      while (true) {
        int left = (int) TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new IOException("no " + type.getSimpleName() + " within " + timeoutMs + " ms");
        }
        ImpsMessage m = nextOrNull(left);
        if (type.isInstance(m)) {
          return type.cast(m);
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
