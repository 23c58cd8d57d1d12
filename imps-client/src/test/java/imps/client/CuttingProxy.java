package imps.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between a client and the server that a test can break: close every connection (the
 * client sees a drop), refuse new ones for a while, or swallow what the server sends (so a reply is
 * lost on the way while the request was carried out). It also records the commands each client
 * connection sent, in order.
 */
final class CuttingProxy implements AutoCloseable {
  private final int target;
  private final ServerSocket listener;
  private final List<Link> links = new CopyOnWriteArrayList<>(); // open
  private final List<Link> allLinks = new CopyOnWriteArrayList<>(); // ever
  private volatile boolean refusing;
  private volatile boolean swallowing;

  /** One client connection: its two sockets and what the client sent. */
  private static final class Link {
    final Socket client;
    final Socket server;
    final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void close() {
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  CuttingProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Closes every connection; new ones are refused (closed at once) while {@code refuse}. */
  void cut(boolean refuse) {
    refusing = refuse;
    for (Link l : links) {
      l.close();
    }
    links.clear();
  }

  /** Accepts and relays new connections again. */
  void open() {
    refusing = false;
  }

  /** While on, what the server sends is read and dropped instead of relayed. */
  void swallowReplies(boolean on) {
    swallowing = on;
  }

  /** The CMDTYPEs the client sent on each connection since the proxy started, oldest first. */
  List<List<Integer>> commandsSent() {
    List<List<Integer>> out = new ArrayList<>();
    for (Link l : allLinks) {
      byte[] b;
      synchronized (l.sent) {
        b = l.sent.toByteArray();
      }
      List<Integer> cmds = new ArrayList<>();
      int i = 0;
      while (i + 4 < b.length) {
        int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
        cmds.add(b[i + 4] & 0xff);
        i += 4 + len;
      }
      out.add(cmds);
    }
    return out;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket c = listener.accept();
        if (refusing) {
          c.close();
          continue;
        }
        Socket s = new Socket(InetAddress.getLoopbackAddress(), target);
        Link l = new Link(c, s);
        links.add(l);
        allLinks.add(l);
        pump(c.getInputStream(), s.getOutputStream(), l, true);
        pump(s.getInputStream(), c.getOutputStream(), l, false);
      } catch (IOException e) {
        // closed, or the server is down: the client sees a closed connection
      }
    }
  }

  private void pump(InputStream in, OutputStream out, Link l, boolean fromClient) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (fromClient) {
                    synchronized (l.sent) {
                      l.sent.write(buf, 0, n);
                    }
                  } else if (swallowing) {
                    continue;
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side closed
              }
              l.close();
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    cut(true);
  }
}
