package imps.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import imps.protocol.message.ImpsMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Coverage-guided fuzzing of the wire format (Jazzer). Without {@code JAZZER_FUZZ} set, each target
 * runs once per seed in {@code ProtocolFuzzTestInputs/<target>/} (the frames of the test vectors,
 * plus every crash ever found): a short regression run inside {@code mvn verify}. With {@code
 * JAZZER_FUZZ=1} Jazzer mutates them for as long as it is told (docs/SECURITY.md, "Fuzzing").
 *
 * <p>What must hold for any bytes: the decoder never throws and yields only messages and {@link
 * DecodeError}s; every message it yields encodes back to a frame that decodes to an equal message.
 */
class ProtocolFuzzTest {

  /** Any byte stream, split into frames by the server's decoder (heartbeat limit 256 fixes). */
  @FuzzTest(maxDuration = "1h")
  void frameDecoder(byte[] stream) {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(256));
    try {
      // Twice over: in one piece, and byte by byte, which must decode the same.
      ch.writeInbound(Unpooled.wrappedBuffer(stream));
      java.util.List<Object> whole = drain(ch);
      EmbeddedChannel split = new EmbeddedChannel(new FrameDecoder(256));
      try {
        for (byte b : stream) {
          split.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(drain(split)).isEqualTo(whole);
      } finally {
        split.finishAndReleaseAll();
      }
      for (Object o : whole) {
        assertThat(o).isInstanceOfAny(ImpsMessage.class, DecodeError.class);
        if (o instanceof ImpsMessage m) {
          assertRoundTrip(m);
        }
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /** Any frame content (CMDTYPE then fields), through the codec of its command. */
  @FuzzTest(maxDuration = "1h")
  void commandCodecs(byte[] content) {
    if (content.length == 0) {
      return; // a frame has at least its CMDTYPE (Content-Length 0 is a framing error)
    }
    ByteBuf buf = Unpooled.wrappedBuffer(content);
    Object o = FrameDecoder.decodeContent(buf);
    assertThat(o).isInstanceOfAny(ImpsMessage.class, DecodeError.class);
    if (o instanceof ImpsMessage m) {
      assertRoundTrip(m);
    }
  }

  private static java.util.List<Object> drain(EmbeddedChannel ch) {
    java.util.List<Object> out = new java.util.ArrayList<>();
    Object o;
    while ((o = ch.readInbound()) != null) {
      out.add(o);
    }
    return out;
  }

  private static void assertRoundTrip(ImpsMessage m) {
    ByteBuf frame = Unpooled.buffer();
    try {
      FrameEncoder.encodeTo(m, frame);
      frame.skipBytes(4);
      assertThat(FrameDecoder.decodeContent(frame)).isEqualTo(m);
    } finally {
      frame.release();
    }
  }
}
