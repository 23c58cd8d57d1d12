import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on the loopback that holds every chunk it reads for a fixed time before passing it
 * on, in each direction: a database "DELAY_US away" for benchmarks on one machine, where the
 * kernel has no netem. Two threads per connection and direction; it costs CPU of its own (about
 * 10-15 % of a core for the runs in docs/BENCHMARKS.md), so quote it with its figures.
 *
 * <p>Run: {@code java docs/bench/DelayProxy.java LISTEN_PORT HOST PORT DELAY_US}, e.g. {@code java
 * docs/bench/DelayProxy.java 15432 127.0.0.1 5432 250} (0.5 ms per round trip), then point
 * {@code postgres.url} at port 15432.
 */
public class DelayProxy {
  record Chunk(long due, byte[] data) {}

  public static void main(String[] args) throws Exception {
    int listen = Integer.parseInt(args[0]);
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    long delayNs = Long.parseLong(args[3]) * 1000;
    try (ServerSocket server = new ServerSocket(listen, 128, InetAddress.getLoopbackAddress())) {
      while (true) {
        Socket client = server.accept();
        Socket upstream = new Socket(host, port);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        pipe(client, upstream, delayNs);
        pipe(upstream, client, delayNs);
      }
    }
  }

  /** Copies {@code from} to {@code to}, each chunk {@code delayNs} after it was read. */
  static void pipe(Socket from, Socket to, long delayNs) {
    LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream()) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                  byte[] data = new byte[n];
                  System.arraycopy(buf, 0, data, 0, n);
                  queue.put(new Chunk(System.nanoTime() + delayNs, data));
                }
              } catch (IOException | InterruptedException e) {
                // the connection ended
              }
              queue.add(new Chunk(0, null));
            });
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream out = to.getOutputStream()) {
                while (true) {
                  Chunk c = queue.take();
                  if (c.data() == null) {
                    break;
                  }
                  long wait;
                  while ((wait = c.due() - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  out.write(c.data());
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // the connection ended
              }
              try {
                from.close();
                to.close();
              } catch (IOException e) {
                // closing anyway
              }
            });
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }
}
