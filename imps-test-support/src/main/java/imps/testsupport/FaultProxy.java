package imps.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that injects network faults between a server and its database (or any
 * TCP service), like toxiproxy's {@code timeout} and {@code reset_peer} toxics, without a daemon:
 *
 * <ul>
 *   <li>{@link #blackHole()}: nothing is forwarded any more, in either direction, on existing
 *       connections and on new ones (which are accepted, as a host behind a partition's first hop
 *       would seem to be, but go nowhere). The bytes stay in the kernel's buffers, as with a real
 *       partition, and flow again after {@link #heal()}.
 *   <li>{@link #resetAfterNextCommit()}: the next server-to-client chunk that contains {@code
 *       COMMIT} (PostgreSQL's CommandComplete of a commit: the transaction is committed) is dropped
 *       and the client's connection is reset (RST), so the client cannot tell whether its commit
 *       happened (it did).
 *   <li>{@link #resetAfterNextReply()}: the same for the next server-to-client chunk, whatever it
 *       holds (e.g. Redis's reply to a command it executed).
 * </ul>
 *
 * Two threads per connection copy bytes; fine for tests.
 */
public final class FaultProxy implements AutoCloseable {
  private static final byte[] COMMIT = "COMMIT".getBytes(StandardCharsets.US_ASCII);

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private final AtomicInteger resets = new AtomicInteger();
  private final AtomicInteger commitsSeen = new AtomicInteger();
  private volatile boolean blackHole;
  private volatile boolean resetArmed;
  private volatile boolean resetNextReply;
  private volatile boolean closed;

  private FaultProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "fault-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  /** A proxy to {@code host:port}, forwarding until told otherwise. */
  public static FaultProxy start(String host, int port) {
    try {
      return new FaultProxy(host, port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fault proxy", e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Stops forwarding anything (see the class comment). */
  public void blackHole() {
    blackHole = true;
  }

  /** Forwards again, including what waited in the buffers. */
  public void heal() {
    synchronized (gate) {
      blackHole = false;
      gate.notifyAll();
    }
  }

  /** Arms a reset of the connection whose next chunk to the client contains COMMIT. */
  public void resetAfterNextCommit() {
    resetArmed = true;
  }

  /** Arms a reset of the connection whose next chunk to the client comes (which is dropped). */
  public void resetAfterNextReply() {
    resetNextReply = true;
  }

  /** Connections reset by {@link #resetAfterNextCommit()} or {@link #resetAfterNextReply()}. */
  public int resets() {
    return resets.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        Thread t = new Thread(() -> connect(client), "fault-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void connect(Socket client) {
    try {
      awaitPassing();
      Socket server = new Socket();
      server.connect(new InetSocketAddress(targetHost, targetPort), 5000);
      sockets.add(server);
      Link link = new Link(client, server);
      Thread up = new Thread(() -> pump(link, true), "fault-proxy-up");
      Thread down = new Thread(() -> pump(link, false), "fault-proxy-down");
      up.setDaemon(true);
      down.setDaemon(true);
      up.start();
      down.start();
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
    }
  }

  /** One proxied connection: the client side and the server side. */
  private static final class Link {
    final Socket client;
    final Socket server;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }
  }

  private void pump(Link link, boolean toServer) {
    Socket from = toServer ? link.client : link.server;
    Socket to = toServer ? link.server : link.client;
    byte[] buf = new byte[16384];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        awaitPassing();
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        awaitPassing();
        if (!toServer && resetNextReply) {
          resetNextReply = false;
          resets.incrementAndGet();
          reset(link.client);
          closeQuietly(link.server);
          return;
        }
        if (!toServer && contains(buf, n, COMMIT)) {
          // The server's CommandComplete "COMMIT": the transaction is committed.
          commitsSeen.incrementAndGet();
          if (resetArmed) {
            resetArmed = false;
            // The client never sees that reply.
            resets.incrementAndGet();
            reset(link.client);
            closeQuietly(link.server);
            return;
          }
        }
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void awaitPassing() throws InterruptedException {
    if (!blackHole) {
      return;
    }
    synchronized (gate) {
      while (blackHole && !closed) {
        gate.wait(100);
      }
    }
  }

  private static boolean contains(byte[] buf, int n, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= n; i++) {
      for (int j = 0; j < what.length; j++) {
        if (buf[i + j] != what[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closing anyway
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() {
    closed = true;
    heal();
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
