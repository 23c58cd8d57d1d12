package imps.protocol.codec;

import static imps.protocol.codec.Frames.concat;
import static imps.protocol.codec.Frames.decode;
import static imps.protocol.codec.Frames.decodeByteByByte;
import static imps.protocol.codec.Frames.hex;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.codec.TestVectorsTest.Vector;
import imps.protocol.message.ImpsMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The test vectors through real Netty pipelines: whole, byte by byte, concatenated, split. */
class FrameChannelTest {

  static List<Vector> vectors() {
    return TestVectorsTest.VECTORS;
  }

  static byte[] allVectorBytes() {
    return concat(vectors().stream().map(Vector::bytes).toArray(byte[][]::new));
  }

  static List<Object> allVectorMessages() {
    return new ArrayList<>(vectors().stream().map(Vector::message).toList());
  }

  @BeforeAll
  static void installLeakCheck() {
    LeakCheck.install();
  }

  @AfterAll
  static void noLeaks() throws InterruptedException {
    LeakCheck.assertNoLeaks();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesAWholeFrame(Vector v) {
    assertThat(decode(v.bytes())).containsExactly(v.message());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesAFrameArrivingOneByteAtATime(Vector v) {
    assertThat(decodeByteByByte(v.bytes())).containsExactly(v.message());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesNothingUntilTheLastByteArrives(Vector v) {
    byte[] bytes = v.bytes();
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
    for (int i = 0; i < bytes.length - 1; i++) {
      assertThat(channel.writeInbound(Frames.buffer(new byte[] {bytes[i]}))).isFalse();
    }
    assertThat(channel.writeInbound(Frames.buffer(new byte[] {bytes[bytes.length - 1]}))).isTrue();
    assertThat((Object) channel.readInbound()).isEqualTo(v.message());
    assertThat(channel.finish()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesTheSameFrameThreeTimesInOneBuffer(Vector v) {
    byte[] b = v.bytes();
    assertThat(decode(concat(b, b, b))).containsExactly(v.message(), v.message(), v.message());
  }

  @Test
  void decodesAllVectorsConcatenatedInOneBuffer() {
    assertThat(decode(allVectorBytes())).containsExactlyElementsOf(allVectorMessages());
  }

  @Test
  void decodesAllVectorsConcatenatedOneByteAtATime() {
    assertThat(decodeByteByByte(allVectorBytes())).containsExactlyElementsOf(allVectorMessages());
  }

  @Test
  void decodesAllVectorsConcatenatedSplitAtEveryPosition() {
    byte[] all = allVectorBytes();
    List<Object> expected = allVectorMessages();
    for (int split = 1; split < all.length; split++) {
      byte[] first = Arrays.copyOfRange(all, 0, split);
      byte[] second = Arrays.copyOfRange(all, split, all.length);
      assertThat(decode(first, second)).as("split at %d", split).isEqualTo(expected);
    }
  }

  @Test
  void anIncompleteFrameAtCloseProducesNothing() {
    byte[] b = vectors().get(0).bytes();
    for (int len = 1; len < b.length; len++) {
      assertThat(decode(Arrays.copyOf(b, len))).as("first %d bytes", len).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encoderInAPipelineWritesTheVectorBytes(Vector v) {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
    assertThat(channel.writeOutbound(v.message())).isTrue();
    ByteBuf out = channel.readOutbound();
    try {
      assertThat(hex(ByteBufUtil.getBytes(out))).isEqualTo(hex(v.bytes()));
    } finally {
      out.release();
    }
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void encoderThenDecoderRoundTripsEveryVectorInOrder() {
    EmbeddedChannel encoder = new EmbeddedChannel(new FrameEncoder());
    EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
    for (Vector v : vectors()) {
      encoder.write(v.message());
    }
    encoder.flush();
    for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
      decoder.writeInbound(b); // the decoder releases it
    }
    List<Object> decoded = new ArrayList<>();
    for (Object o; (o = decoder.readInbound()) != null; ) {
      decoded.add(o);
    }
    assertThat(decoded).containsExactlyElementsOf(allVectorMessages());
    assertThat(encoder.finish()).isFalse();
    assertThat(decoder.finish()).isFalse();
  }

  @Test
  void oneEncoderInstanceIsSharable() {
    FrameEncoder shared = new FrameEncoder();
    assertThat(shared.isSharable()).isTrue();
    EmbeddedChannel a = new EmbeddedChannel(shared);
    EmbeddedChannel b = new EmbeddedChannel(shared);
    ImpsMessage m = vectors().get(0).message();
    a.writeOutbound(m);
    b.writeOutbound(m);
    for (EmbeddedChannel c : List.of(a, b)) {
      ByteBuf out = c.readOutbound();
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(vectors().get(0).bytes());
      out.release();
      assertThat(c.finish()).isFalse();
    }
  }
}
