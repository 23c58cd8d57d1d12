package imps.bench;

import imps.protocol.codec.FrameDecoder;
import imps.protocol.codec.FrameEncoder;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A blocking connection to 127.0.0.1 speaking frames, one thread at a time: for the crash soak,
 * whose server goes away under it (every failure is an {@link IOException}).
 */
final class BlockingLink implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private BlockingLink(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects (at most 2 s), with Nagle off. */
  static BlockingLink open(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    s.setTcpNoDelay(true);
    return new BlockingLink(s);
  }

  /** Connects and logs in; an IOException (closed) unless S_LOGIN_RSP comes within 10 s. */
  static BlockingLink login(int port, String name, String password) throws IOException {
    BlockingLink l = open(port);
    try {
      l.send(new LoginRequest(name, password));
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

  /** The next frame; an IOException when none comes within {@code timeoutMs}. */
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

  /** Skips frames until one of {@code type}; an IOException when none within {@code timeoutMs}. */
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
