package imps.server.transport.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.codec.DecodeError;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClosingHandshakeTest {
  private static int sentCloseStatus(EmbeddedChannel ch) {
    CloseWebSocketFrame close = ch.readOutbound();
    try {
      return close.statusCode();
    } finally {
      close.release();
    }
  }

  @Test
  void theServersCloseWaitsForTheClientsCloseFrameDroppingWhatComesBefore() {
    EmbeddedChannel ch = new EmbeddedChannel(new ClosingHandshake());
    ChannelFuture closed = ch.close();
    assertThat(sentCloseStatus(ch)).isEqualTo(1000);
    assertThat(closed.isDone()).isFalse();
    assertThat(ch.isOpen()).isTrue();

    BinaryWebSocketFrame late = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[10]));
    ch.writeInbound(late);
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(late.refCnt()).isZero();

    CloseWebSocketFrame answer = new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE);
    ch.writeInbound(answer);
    assertThat(answer.refCnt()).isZero();
    assertThat(closed.isSuccess()).isTrue();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void withoutAnAnswerTheServerClosesAfterTheWait() {
    EmbeddedChannel ch = new EmbeddedChannel(new ClosingHandshake());
    ch.freezeTime();
    // Through the pipeline: EmbeddedChannel.close() would cancel the scheduled wait.
    ChannelFuture closed = ch.pipeline().close();
    ch.pipeline().close(); // a second close joins the first
    assertThat(sentCloseStatus(ch)).isEqualTo(1000);
    assertThat((Object) ch.readOutbound()).isNull();
    ch.advanceTimeBy(ClosingHandshake.CLOSE_WAIT.toMillis() - 1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isTrue();
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isFalse();
    assertThat(closed.isSuccess()).as("%s", closed).isTrue();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void anOversizedFrameBecomesAFatalFramingErrorAndClose1009() {
    ClosingHandshake closing = new ClosingHandshake();
    EmbeddedChannel ch = new EmbeddedChannel(closing);
    ch.pipeline()
        .fireExceptionCaught(
            new CorruptedWebSocketFrameException(
                WebSocketCloseStatus.MESSAGE_TOO_BIG, "Max frame length exceeded"));
    DecodeError error = ch.readInbound();
    assertThat(error.isFatal()).isTrue();
    assertThat(error.kind()).isEqualTo(DecodeError.Kind.FRAMING);
    assertThat(error.cmd()).isZero();
    // A later refusal does not change the status.
    closing.closeWith(WebSocketCloseStatus.PROTOCOL_ERROR);
    ch.close();
    assertThat(sentCloseStatus(ch)).isEqualTo(1009);
  }

  @Test
  void anyOtherBrokenFrameIsAProtocolError() {
    EmbeddedChannel ch = new EmbeddedChannel(new ClosingHandshake());
    ch.pipeline()
        .fireExceptionCaught(
            new CorruptedWebSocketFrameException(
                WebSocketCloseStatus.PROTOCOL_ERROR, "frame not masked"));
    assertThat(((DecodeError) ch.readInbound()).isFatal()).isTrue();
    ch.close();
    assertThat(sentCloseStatus(ch)).isEqualTo(1002);
  }

  @Test
  void aCloseTheClientStartedPassesOnAndTheServerThenClosesAtOnce() {
    EmbeddedChannel ch = new EmbeddedChannel(new ClosingHandshake());
    CloseWebSocketFrame fromClient = new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE);
    ch.writeInbound(fromClient);
    CloseWebSocketFrame passed = ch.readInbound();
    assertThat(passed).isSameAs(fromClient);
    passed.release();
    ch.close();
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(ch.isOpen()).isFalse();
  }
}
