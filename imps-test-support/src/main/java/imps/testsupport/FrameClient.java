package imps.testsupport;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.codec.DecodeError;
import imps.protocol.codec.FrameDecoder;
import imps.protocol.codec.FrameEncoder;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A blocking test client that speaks raw frames over a real TCP socket: send any bytes or messages,
 * read decoded frames with a timeout. Not thread-safe; one per test connection.
 */
public final class FrameClient implements AutoCloseable {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] readBuf = new byte[65536];
  private ByteBuf pending = Unpooled.buffer();
  private final List<Object> decoded = new ArrayList<>();

  public FrameClient(String host, int port) throws IOException {
    this(connected(null, host, port));
  }

  /**
   * Speaks frames over a socket the caller connected: one bound to a chosen source address, or an
   * {@link javax.net.ssl.SSLSocket} for the TLS port.
   */
  public FrameClient(Socket connected) throws IOException {
    socket = connected;
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  private static Socket connected(String localHost, String host, int port) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    if (localHost != null) {
      s.bind(new InetSocketAddress(localHost, 0));
    }
    s.connect(new InetSocketAddress(host, port), 5000);
    return s;
  }

  public static FrameClient connect(int port) throws IOException {
    return new FrameClient("127.0.0.1", port);
  }

  /**
   * Connects to 127.0.0.1 from the loopback address {@code localHost} (such as 127.0.0.2), so that
   * the server sees a client address other than 127.0.0.1 (Linux routes all of 127/8 to lo).
   */
  public static FrameClient connectFrom(String localHost, int port) throws IOException {
    return new FrameClient(connected(localHost, "127.0.0.1", port));
  }

  /** Sends one message as a frame. */
  public FrameClient send(ImpsMessage m) throws IOException {
    out.write(encode(m));
    out.flush();
    return this;
  }

  /** The frame of {@code m}, as bytes. */
  public static byte[] encode(ImpsMessage m) {
    ByteBuf b = Unpooled.buffer();
    try {
      FrameEncoder.encodeTo(m, b);
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      return bytes;
    } finally {
      b.release();
    }
  }

  /**
   * The frame of {@code m} with its last byte replaced by {@code value}: a way to send a value that
   * no record can hold (a status of 3, an action of 2) when it is a command's last field.
   */
  public static byte[] withLastByte(ImpsMessage m, int value) {
    byte[] bytes = encode(m);
    bytes[bytes.length - 1] = (byte) value;
    return bytes;
  }

  /** Sends raw bytes. */
  public FrameClient sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** The next decoded frame (an ImpsMessage or DecodeError). */
  public Object next() throws IOException {
    return next(DEFAULT_TIMEOUT);
  }

  public Object next(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (decoded.isEmpty()) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new AssertionError("no frame within " + timeout);
      }
      socket.setSoTimeout((int) Math.max(1, left));
      int n;
      try {
        n = in.read(readBuf);
      } catch (SocketTimeoutException e) {
        continue;
      }
      if (n < 0) {
        throw new AssertionError("connection closed by server while waiting for a frame");
      }
      pending.writeBytes(readBuf, 0, n);
      drainFrames();
    }
    return decoded.remove(0);
  }

  /** The next frame, which must be a message of {@code type}. */
  public <T extends ImpsMessage> T expect(Class<T> type) throws IOException {
    Object o = next();
    if (!type.isInstance(o)) {
      throw new AssertionError("expected " + type.getSimpleName() + " but got " + o);
    }
    return type.cast(o);
  }

  /** The next frame, which must equal {@code expected}. */
  public void expect(ImpsMessage expected) throws IOException {
    Object o = next();
    if (!expected.equals(o)) {
      throw new AssertionError("expected " + expected + " but got " + o);
    }
  }

  /** Skips frames until one matches; fails after the timeout. */
  public <T extends ImpsMessage> T awaitMatching(Class<T> type, Predicate<T> p) throws IOException {
    return awaitMatching(type, p, DEFAULT_TIMEOUT);
  }

  /** Skips frames until one matches; fails after {@code timeout}. */
  @SuppressWarnings("unchecked")
  public <T extends ImpsMessage> T awaitMatching(Class<T> type, Predicate<T> p, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Object o = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (type.isInstance(o) && p.test((T) o)) {
        return (T) o;
      }
    }
    throw new AssertionError("no matching " + type.getSimpleName());
  }

  /** Expects {@code S_ERROR_RSP(code, cmd)}, the code as the spec numbers it. */
  public void expectError(int code, CommandType cmd) throws IOException {
    expectError(code, cmd.value());
  }

  /** Expects {@code S_ERROR_RSP(code, cmd)} with a raw Cmd byte (0, or an unknown command). */
  public void expectError(int code, int cmd) throws IOException {
    ErrorCode c = ErrorCode.of(code);
    if (c == null) {
      throw new IllegalArgumentException("no error code " + code);
    }
    expect(new ErrorResponse(c, cmd));
  }

  /** Asserts nothing arrives for {@code quiet}. */
  public void expectSilence(Duration quiet) throws IOException {
    expectSilenceExcept(quiet, m -> false);
  }

  /**
   * Asserts nothing but what {@code allowed} accepts arrives for {@code quiet}; what it accepts is
   * dropped. For a push that may or may not come, depending on how a race the test does not control
   * ends (a friend's sign-out announced just after this login, say).
   */
  public void expectSilenceExcept(Duration quiet, Predicate<ImpsMessage> allowed)
      throws IOException {
    long deadline = System.nanoTime() + quiet.toNanos();
    decoded.removeIf(o -> o instanceof ImpsMessage m && allowed.test(m));
    while (decoded.isEmpty()) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      int n;
      try {
        n = in.read(readBuf);
      } catch (SocketTimeoutException e) {
        return;
      }
      if (n < 0) {
        return;
      }
      pending.writeBytes(readBuf, 0, n);
      drainFrames();
      decoded.removeIf(o -> o instanceof ImpsMessage m && allowed.test(m));
    }
    throw new AssertionError("expected silence but got " + decoded.get(0));
  }

  /** Waits until the server closes the connection (EOF); fails after the timeout. */
  public void expectClosed(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new AssertionError("connection still open after " + timeout);
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        int n = in.read(readBuf);
        if (n < 0) {
          return;
        }
        pending.writeBytes(readBuf, 0, n);
        drainFrames();
      } catch (SocketTimeoutException e) {
        // keep waiting
      } catch (IOException e) {
        return; // reset counts as closed
      }
    }
  }

  /** The underlying socket (for tests that tune or abuse it). */
  public Socket socket() {
    return socket;
  }

  /** Frames decoded but not yet taken. */
  public List<Object> buffered() {
    return decoded;
  }

  private void drainFrames() {
    while (pending.readableBytes() >= 4) {
      int len = pending.getUnsignedShort(pending.readerIndex() + 2);
      if (pending.readableBytes() < 4 + len) {
        break;
      }
      if (pending.getByte(pending.readerIndex()) != 'O' || len == 0) {
        decoded.add(new DecodeError(DecodeError.Kind.FRAMING, 0, "bad frame from server"));
        pending.clear();
        return;
      }
      pending.skipBytes(4);
      ByteBuf content = pending.readSlice(len);
      decoded.add(FrameDecoder.decodeContent(content));
    }
    pending.discardReadBytes();
  }

  @Override
  public void close() throws IOException {
    pending.release();
    pending = Unpooled.EMPTY_BUFFER;
    socket.close();
  }
}
