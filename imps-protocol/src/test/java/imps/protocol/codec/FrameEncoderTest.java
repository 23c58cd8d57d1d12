package imps.protocol.codec;

import static imps.protocol.codec.Frames.UNTRACKED;
import static imps.protocol.codec.Frames.decodeOneUntracked;
import static imps.protocol.codec.Frames.encode;
import static imps.protocol.codec.Frames.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.Presence;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The encoder: exact frames up to the 65535-byte limit, and a clean refusal beyond it. */
class FrameEncoderTest {

  /** 1 (CMDTYPE) + 2 (count) + 65532 = 65535: the largest S_ADDFRIEND_REQ. */
  private static final String LONGEST_NAME = "a".repeat(65532);

  @BeforeAll
  static void installLeakCheck() {
    LeakCheck.install();
  }

  @AfterAll
  static void noLeaks() throws InterruptedException {
    LeakCheck.assertNoLeaks();
  }

  /** Messages whose content exceeds 65535 bytes, in different ways. */
  static Stream<ImpsMessage> oversized() {
    String k30 = "x".repeat(30_000);
    return Stream.of(
        // One byte over, only because of the CMDTYPE and count.
        new FriendRequestPush(LONGEST_NAME + "a"),
        // One UTF field alone longer than a UTF count can say.
        new MessagePush("a", "b".repeat(65_536), ""),
        new MessagePush("a", "中".repeat(21_846), ""),
        new MessagePush("a", "\0".repeat(32_768), ""),
        // Every field fits, the sum does not.
        new SendMessage(k30, k30, k30),
        new LoginRequest("中".repeat(21_845), "p"),
        new AudioRequest("bob", ClipBytes.copyOf(new byte[65_536]), ""),
        new AudioPush("bob", ClipBytes.copyOf(new byte[65_530]), "2026-11-28 12:00:02"),
        new HeartbeatRequest("a", Collections.nCopies(16_384, new LocationFix("", ""))),
        new FriendListResponse(
            Collections.nCopies(9_363, new FriendInfo("", Presence.OFFLINE, "", ""))),
        new FriendListResponse(
            Collections.nCopies(70_000, new FriendInfo("", Presence.OFFLINE, "", ""))));
  }

  @Test
  void contentOfExactly65535BytesIsEncoded() {
    ImpsMessage m = new FriendRequestPush(LONGEST_NAME);
    byte[] frame = encode(m, UNTRACKED);
    assertThat(frame).hasSize(4 + 65_535);
    assertThat(hex(Arrays.copyOf(frame, 7))).isEqualTo("4f 4b ff ff 09 ff fc");
    assertThat(decodeOneUntracked(frame)).isEqualTo(m);
  }

  @Test
  void largestFriendListAndHeartbeatThatFitAreEncoded() {
    // 1 + 2 + 9362 * 7 = 65537 would not fit; 9361 entries take 65530.
    ImpsMessage friends =
        new FriendListResponse(
            Collections.nCopies(9_361, new FriendInfo("", Presence.OFFLINE, "", "")));
    assertThat(encode(friends, UNTRACKED)).hasSize(4 + 65_530);
    // 1 + 3 + 4 + 16382 * 4 = 65536 would not fit; 16381 fixes take 65532.
    ImpsMessage heartbeat =
        new HeartbeatRequest("a", Collections.nCopies(16_381, new LocationFix("", "")));
    byte[] frame = encode(heartbeat, UNTRACKED);
    assertThat(frame).hasSize(4 + 65_532);
    assertThat(decodeOneUntracked(frame)).isEqualTo(heartbeat);
  }

  @ParameterizedTest
  @MethodSource("oversized")
  void encodeToRefusesAndWritesNothing(ImpsMessage m) {
    ByteBuf out = UNTRACKED.buffer();
    try {
      out.writeBytes(hex("4f 4b 00 01 04"));
      assertThatThrownBy(() -> FrameEncoder.encodeTo(m, out)).isInstanceOf(EncoderException.class);
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(hex("4f 4b 00 01 04"));
      // The buffer is still good for the next frame.
      FrameEncoder.encodeTo(HeartbeatResponse.INSTANCE, out);
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(hex("4f 4b 00 01 04 4f 4b 00 01 04"));
    } finally {
      out.release();
    }
  }

  @ParameterizedTest
  @MethodSource("oversized")
  void encodeRefusesAndReleasesItsBuffer(ImpsMessage m) {
    RecordingAllocator alloc = new RecordingAllocator();
    assertThatThrownBy(() -> FrameEncoder.encode(m, alloc)).isInstanceOf(EncoderException.class);
    assertThat(alloc.created).isNotEmpty().allSatisfy(b -> assertThat(b.refCnt()).isZero());
  }

  @Test
  void encodeHandsOverItsBufferOnSuccess() {
    RecordingAllocator alloc = new RecordingAllocator();
    ByteBuf out = FrameEncoder.encode(HeartbeatResponse.INSTANCE, alloc);
    assertThat(alloc.created).containsExactly(out);
    assertThat(out.refCnt()).isOne();
    assertThat(out.release()).isTrue();
  }

  /** Hands out plain heap buffers, untracked, and remembers them to check their release. */
  static final class RecordingAllocator extends AbstractByteBufAllocator {
    final List<ByteBuf> created = new ArrayList<>();

    RecordingAllocator() {
      super(false);
    }

    @Override
    public ByteBuf buffer() {
      return newHeapBuffer(256, Integer.MAX_VALUE);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
      created.add(b);
      return b;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }

  @ParameterizedTest
  @MethodSource("oversized")
  void pipelineRefusesAndWritesNothing(ImpsMessage m) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(UNTRACKED);
    channel.pipeline().addLast(new FrameEncoder());
    assertThatThrownBy(() -> channel.writeOutbound(m)).isInstanceOf(EncoderException.class);
    assertThat((Object) channel.readOutbound()).isNull();
    // The channel stays usable.
    assertThat(channel.writeOutbound(HeartbeatResponse.INSTANCE)).isTrue();
    ByteBuf out = channel.readOutbound();
    try {
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(hex("4f 4b 00 01 04"));
    } finally {
      out.release();
    }
    assertThat(channel.finish()).isFalse();
  }

  /** A null where the record requires a string is a caller bug; it must not corrupt the stream. */
  static Stream<ImpsMessage> withNullFields() {
    return Stream.of(
        new LoginRequest(null, "secret1"),
        new AddFriendResponse(AddFriendResponse.Result.ACCEPTED, null, Presence.ONLINE, "", ""),
        new AddFriendResponse(AddFriendResponse.Result.ACCEPTED, "bob", Presence.ONLINE, null, ""),
        new MessagePush("alice", "hi", null));
  }

  @ParameterizedTest
  @MethodSource("withNullFields")
  void nullFieldIsRefusedAndWritesNothing(ImpsMessage m) {
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
    try {
      out.writeBytes(hex("4f 4b 00 01 04"));
      assertThatThrownBy(() -> FrameEncoder.encodeTo(m, out)).isInstanceOf(EncoderException.class);
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(hex("4f 4b 00 01 04"));
    } finally {
      out.release();
    }
    EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
    assertThatThrownBy(() -> channel.writeOutbound(m)).isInstanceOf(EncoderException.class);
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void addFriendResponseWithoutNameIsTheLegacyTwoByteFrame() {
    assertThat(
            hex(
                encode(
                    new AddFriendResponse(
                        AddFriendResponse.Result.REFUSED, null, Presence.OFFLINE, "", ""))))
        .isEqualTo("4f 4b 00 02 0a 00");
    assertThat(
            hex(
                encode(
                    new AddFriendResponse(
                        AddFriendResponse.Result.NO_SUCH_USER, null, Presence.OFFLINE, "", ""))))
        .isEqualTo("4f 4b 00 02 0a ff");
    assertThat(hex(encode(AddFriendResponse.refused("b")))).isEqualTo("4f 4b 00 05 0a 00 00 01 62");
  }

  @Test
  void encodesSeveralFramesBackToBackIntoOneBuffer() {
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
    try {
      for (ImpsMessage m : List.of(HeartbeatResponse.INSTANCE, new FriendRequestPush("a"))) {
        FrameEncoder.encodeTo(m, out);
      }
      assertThat(hex(ByteBufUtil.getBytes(out)))
          .isEqualTo("4f 4b 00 01 04 4f 4b 00 04 09 00 01 61");
    } finally {
      out.release();
    }
  }
}
