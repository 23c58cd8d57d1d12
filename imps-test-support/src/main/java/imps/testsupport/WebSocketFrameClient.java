package imps.testsupport;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.codec.DecodeError;
import imps.protocol.codec.FrameDecoder;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A blocking test client that speaks IMPS frames over a real WebSocket (the JDK's client): each
 * frame is sent as one binary message, and each binary message received must be exactly one frame.
 * Not thread-safe; one per test connection.
 */
public final class WebSocketFrameClient implements AutoCloseable {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** How the server closed the connection: the WebSocket close status and reason. */
  public record Closed(int status, String reason) {}

  private final WebSocket socket;
  // Decoded frames (ImpsMessage or DecodeError), then a Closed when the server closes.
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

  private WebSocketFrameClient(WebSocket socket) {
    this.socket = socket;
  }

  /** Opens {@code ws://127.0.0.1:PORT/ws}. */
  public static WebSocketFrameClient connect(int port) {
    return connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
  }

  public static WebSocketFrameClient connect(URI uri) {
    return connect(uri, HttpClient.newHttpClient());
  }

  /** Opens a {@code wss://} address, trusting the certificates that {@code tls} trusts. */
  public static WebSocketFrameClient connect(URI uri, SSLContext tls) {
    return connect(uri, HttpClient.newBuilder().sslContext(tls).build());
  }

  private static WebSocketFrameClient connect(URI uri, HttpClient http) {
    Listener listener = new Listener();
    WebSocket ws =
        http.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(uri, listener)
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
    WebSocketFrameClient c = new WebSocketFrameClient(ws);
    listener.client.complete(c);
    return c;
  }

  /** Sends one message as one binary WebSocket message. */
  public WebSocketFrameClient send(ImpsMessage m) {
    return sendRaw(FrameClient.encode(m));
  }

  /** Sends {@code bytes} as one binary WebSocket message, whatever they hold. */
  public WebSocketFrameClient sendRaw(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(10, TimeUnit.SECONDS).join();
    return this;
  }

  /** Sends {@code bytes} as one message in several WebSocket frames (continuations). */
  public WebSocketFrameClient sendFragmented(byte[] bytes, int parts) {
    int step = Math.max(1, (bytes.length + parts - 1) / parts);
    for (int at = 0; at < bytes.length; at += step) {
      int end = Math.min(bytes.length, at + step);
      socket
          .sendBinary(ByteBuffer.wrap(bytes, at, end - at), end == bytes.length)
          .orTimeout(10, TimeUnit.SECONDS)
          .join();
    }
    return this;
  }

  /** Sends a text message (which the server refuses). */
  public WebSocketFrameClient sendText(String text) {
    socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    return this;
  }

  /** The next decoded frame (an ImpsMessage or DecodeError); fails if the connection closes. */
  public Object next() {
    return next(DEFAULT_TIMEOUT);
  }

  public Object next(Duration timeout) {
    Object o;
    try {
      o = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
    if (o == null) {
      throw new AssertionError("no frame within " + timeout);
    }
    if (o instanceof Closed c) {
      received.add(c);
      throw new AssertionError("connection closed by server while waiting for a frame: " + c);
    }
    return o;
  }

  /** The next frame, which must be a message of {@code type}. */
  public <T extends ImpsMessage> T expect(Class<T> type) {
    Object o = next();
    if (!type.isInstance(o)) {
      throw new AssertionError("expected " + type.getSimpleName() + " but got " + o);
    }
    return type.cast(o);
  }

  /** The next frame, which must equal {@code expected}. */
  public void expect(ImpsMessage expected) {
    Object o = next();
    if (!expected.equals(o)) {
      throw new AssertionError("expected " + expected + " but got " + o);
    }
  }

  /** Skips frames until one matches; fails after the timeout. */
  @SuppressWarnings("unchecked")
  public <T extends ImpsMessage> T awaitMatching(Class<T> type, Predicate<T> p) {
    long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Object o = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (type.isInstance(o) && p.test((T) o)) {
        return (T) o;
      }
    }
    throw new AssertionError("no matching " + type.getSimpleName());
  }

  /** Expects {@code S_ERROR_RSP(code, cmd)}. */
  public void expectError(int code, CommandType cmd) {
    expectError(code, cmd.value());
  }

  /** Expects {@code S_ERROR_RSP(code, cmd)} with a raw Cmd byte. */
  public void expectError(int code, int cmd) {
    expect(new ErrorResponse(ErrorCode.of(code), cmd));
  }

  /** Waits until the server closes the connection; returns its close status and reason. */
  public Closed expectClosed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("connection still open after " + timeout);
      }
      Object o;
      try {
        o = received.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
      if (o instanceof Closed c) {
        received.add(c);
        return c;
      }
    }
  }

  /** Closes with status 1000. */
  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").completeOnTimeout(null, 5, TimeUnit.SECONDS);
    }
    socket.abort();
  }

  /** Collects each message's parts, decodes whole messages, records the close. */
  private static final class Listener implements WebSocket.Listener {
    final CompletableFuture<WebSocketFrameClient> client = new CompletableFuture<>();
    private final ByteArrayOutputStream parts = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      parts.writeBytes(chunk);
      if (last) {
        byte[] message = parts.toByteArray();
        parts.reset();
        client.thenAccept(c -> c.received.add(decode(message)));
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      client.thenAccept(
          c ->
              c.received.add(
                  new DecodeError(DecodeError.Kind.FRAMING, 0, "text message from server")));
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      client.thenAccept(c -> c.received.add(new Closed(status, reason)));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      client.thenAccept(c -> c.received.add(new Closed(-1, String.valueOf(error))));
    }

    private static Object decode(byte[] message) {
      if (message.length < 4
          || message[0] != 'O'
          || message[1] != 'K'
          || (((message[2] & 0xFF) << 8) | (message[3] & 0xFF)) != message.length - 4) {
        return new DecodeError(
            DecodeError.Kind.FRAMING,
            0,
            "server message of " + message.length + " bytes is not exactly one frame");
      }
      return FrameDecoder.decodeContent(Unpooled.wrappedBuffer(message, 4, message.length - 4));
    }
  }
}
