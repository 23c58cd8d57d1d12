package imps.server.transport.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.codec.DecodeError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

class WebSocketFrameAdapterTest {
  private static final byte[] HEARTBEAT_RSP = {'O', 'K', 0, 1, 4};

  private static BinaryWebSocketFrame binary(byte... bytes) {
    return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes));
  }

  private static EmbeddedChannel adapter() {
    ClosingHandshake closing = new ClosingHandshake();
    return new EmbeddedChannel(closing, new WebSocketFrameAdapter(closing));
  }

  private static int closeStatus(EmbeddedChannel ch) {
    ch.close();
    CloseWebSocketFrame close = ch.readOutbound();
    try {
      return close.statusCode();
    } finally {
      close.release();
    }
  }

  @Test
  void aMessageOfExactlyOneFrameGoesOnAsItsBytes() {
    EmbeddedChannel ch = adapter();
    ch.writeInbound(binary(HEARTBEAT_RSP));
    ByteBuf in = ch.readInbound();
    try {
      byte[] got = new byte[in.readableBytes()];
      in.readBytes(got);
      assertThat(got).isEqualTo(HEARTBEAT_RSP);
    } finally {
      in.release();
    }
    assertThat(closeStatus(ch)).isEqualTo(1000);
  }

  @Test
  void problemsNameWhatIsWrongWithAMessage() {
    assertThat(WebSocketFrameAdapter.problem(Unpooled.wrappedBuffer(HEARTBEAT_RSP))).isNull();
    assertThat(WebSocketFrameAdapter.problem(Unpooled.wrappedBuffer(new byte[] {'O', 'K', 0})))
        .isEqualTo("message shorter than a frame header");
    assertThat(
            WebSocketFrameAdapter.problem(Unpooled.wrappedBuffer(new byte[] {'O', 'X', 0, 1, 4})))
        .isEqualTo("bad frame tag");
    assertThat(WebSocketFrameAdapter.problem(Unpooled.wrappedBuffer(new byte[] {'O', 'K', 0, 0})))
        .isEqualTo("Content-Length 0");
    assertThat(
            WebSocketFrameAdapter.problem(Unpooled.wrappedBuffer(new byte[] {'O', 'K', 0, 2, 4})))
        .isEqualTo("frame split across messages");
    assertThat(
            WebSocketFrameAdapter.problem(
                Unpooled.wrappedBuffer(new byte[] {'O', 'K', 0, 1, 4, 'O', 'K', 0, 1, 4})))
        .isEqualTo("more than one frame in a message");
  }

  @Test
  void aViolationBecomesAFatalDecodeErrorAndLaterMessagesAreDropped() {
    EmbeddedChannel ch = adapter();
    ch.writeInbound(binary(new byte[] {'O', 'K', 0, 1, 4, 'O', 'K', 0, 1, 4}));
    DecodeError error = ch.readInbound();
    assertThat(error.isFatal()).isTrue();
    assertThat(error.cmd()).isZero();
    assertThat(error.reason()).isEqualTo("more than one frame in a message");

    BinaryWebSocketFrame later = binary(HEARTBEAT_RSP);
    ch.writeInbound(later);
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(later.refCnt()).isZero();
    assertThat(closeStatus(ch)).isEqualTo(1002);
  }

  @Test
  void aTextMessageIsRefusedWithUnsupportedData() {
    EmbeddedChannel ch = adapter();
    ch.writeInbound(new TextWebSocketFrame("OK"));
    assertThat(((DecodeError) ch.readInbound()).reason()).isEqualTo("binary messages only");
    assertThat(closeStatus(ch)).isEqualTo(1003);
  }

  @Test
  void anOversizedFragmentedMessageIsRefusedAsTooBig() {
    EmbeddedChannel ch = adapter();
    ch.pipeline().fireExceptionCaught(new TooLongFrameException("too long"));
    assertThat(((DecodeError) ch.readInbound()).isFatal()).isTrue();
    assertThat(closeStatus(ch)).isEqualTo(1009);
  }

  @Test
  void eachOutboundFrameBecomesOneBinaryMessage() {
    EmbeddedChannel ch = adapter();
    ch.writeOutbound(Unpooled.wrappedBuffer(HEARTBEAT_RSP));
    BinaryWebSocketFrame out = ch.readOutbound();
    try {
      assertThat(out.content().readableBytes()).isEqualTo(HEARTBEAT_RSP.length);
    } finally {
      out.release();
    }
  }
}
