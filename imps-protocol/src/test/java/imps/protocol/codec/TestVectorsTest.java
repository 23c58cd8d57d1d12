package imps.protocol.codec;

import static imps.protocol.codec.Frames.content;
import static imps.protocol.codec.Frames.decodeOne;
import static imps.protocol.codec.Frames.encode;
import static imps.protocol.codec.Frames.hex;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StatusNotifyRequest;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every frame of {@code /work/shared/imps-test-vectors.md} (built by an independent
 * implementation): the encoder must produce exactly these bytes, the decoder must read them back to
 * an equal record. The hex is copied verbatim from that file.
 */
class TestVectorsTest {

  /** One vector: its heading in the vectors file, the frame, and the fields it carries. */
  record Vector(String name, String hex, ImpsMessage message) {
    byte[] bytes() {
      return Frames.hex(hex);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final String EMOJI_MESSAGE = "hi 你好 😀";

  static final List<Vector> VECTORS =
      List.of(
          new Vector(
              "C_LOGIN_REQ (1)",
              """
              4f 4b 00 11 01 00 05 61 6c 69 63 65 00 07 73 65
              63 72 65 74 31""",
              new LoginRequest("alice", "secret1")),
          new Vector(
              "S_LOGIN_RSP (2)",
              """
              4f 4b 00 18 02 00 05 61 6c 69 63 65 02 00 0d 61
              40 65 78 61 6d 70 6c 65 2e 6f 72 67""",
              new LoginResponse("alice", Gender.FEMALE, "a@example.org")),
          new Vector(
              "C_HEARTBEAT_REQ (3)",
              """
              4f 4b 00 54 03 00 05 61 6c 69 63 65 00 00 00 02
              00 13 32 30 32 36 2d 31 31 2d 32 38 20 31 32 3a
              30 30 3a 30 30 00 0c 32 33 2e 31 33 2c 31 31 33
              2e 32 36 00 13 32 30 32 36 2d 31 31 2d 32 38 20
              31 32 3a 30 30 3a 33 30 00 0e 32 33 2e 31 33 31
              2c 31 31 33 2e 32 36 32""",
              new HeartbeatRequest(
                  "alice",
                  List.of(
                      new LocationFix("2026-11-28 12:00:00", "23.13,113.26"),
                      new LocationFix("2026-11-28 12:00:30", "23.131,113.262")))),
          new Vector(
              "C_HEARTBEAT_REQ (3), no fixes",
              """
              4f 4b 00 0c 03 00 05 61 6c 69 63 65 00 00 00 00""",
              new HeartbeatRequest("alice", List.of())),
          new Vector(
              "S_HEARTBEAT_RSP (4)",
              """
              4f 4b 00 01 04""",
              HeartbeatResponse.INSTANCE),
          new Vector(
              "C_FRIENDLIST_REFURBISH_REQ (5)",
              """
              4f 4b 00 08 05 00 05 61 6c 69 63 65""",
              new FriendListRequest("alice")),
          new Vector(
              "S_FRIENDLIST_REFURBISH_RSP (6)",
              """
              4f 4b 00 39 06 00 02 00 03 62 6f 62 02 00 13 32
              30 32 36 2d 31 31 2d 32 38 20 31 32 3a 30 30 3a
              30 30 00 0c 32 33 2e 31 33 2c 31 31 33 2e 32 36
              00 06 e6 9d 8e e9 9b b7 00 00 00 00 00""",
              new FriendListResponse(
                  List.of(
                      new FriendInfo("bob", Presence.ONLINE, "2026-11-28 12:00:00", "23.13,113.26"),
                      new FriendInfo("李雷", Presence.OFFLINE, "", "")))),
          new Vector(
              "C_ADDFRIEND_REQ (7)",
              """
              4f 4b 00 0d 07 00 05 61 6c 69 63 65 00 03 62 6f
              62""",
              new AddFriendRequest("alice", "bob")),
          new Vector(
              "C_ADDFRIEND_RSP (8)",
              """
              4f 4b 00 09 08 00 05 61 6c 69 63 65 01""",
              new AddFriendAnswer("alice", true)),
          new Vector(
              "S_ADDFRIEND_REQ (9)",
              """
              4f 4b 00 08 09 00 05 61 6c 69 63 65""",
              new FriendRequestPush("alice")),
          new Vector(
              "S_ADDFRIEND_RSP (10), accepted",
              """
              4f 4b 00 2b 0a 01 00 03 62 6f 62 02 00 13 32 30
              32 36 2d 31 31 2d 32 38 20 31 32 3a 30 30 3a 30
              30 00 0c 32 33 2e 31 33 2c 31 31 33 2e 32 36""",
              new AddFriendResponse(
                  AddFriendResponse.Result.ACCEPTED,
                  "bob",
                  Presence.ONLINE,
                  "2026-11-28 12:00:00",
                  "23.13,113.26")),
          new Vector(
              "S_ADDFRIEND_RSP (10), no such user",
              """
              4f 4b 00 0a 0a ff 00 06 6e 6f 62 6f 64 79""",
              AddFriendResponse.noSuchUser("nobody")),
          new Vector(
              "C_SEND_MSG (11)",
              """
              4f 4b 00 1f 0b 00 05 61 6c 69 63 65 00 03 62 6f
              62 00 10 68 69 20 e4 bd a0 e5 a5 bd 20 ed a0 bd
              ed b8 80""",
              new SendMessage("alice", "bob", EMOJI_MESSAGE)),
          new Vector(
              "S_SEND_MSG (12)",
              """
              4f 4b 00 2f 0c 00 05 61 6c 69 63 65 00 10 68 69
              20 e4 bd a0 e5 a5 bd 20 ed a0 bd ed b8 80 00 13
              32 30 32 36 2d 31 31 2d 32 38 20 31 32 3a 30 30
              3a 30 31""",
              new MessagePush("alice", EMOJI_MESSAGE, "2026-11-28 12:00:01")),
          new Vector(
              "C_STATUS_NOTIFY (13)",
              """
              4f 4b 00 09 0d 00 05 61 6c 69 63 65 01""",
              new StatusNotifyRequest("alice", Presence.INVISIBLE)),
          new Vector(
              "S_STATUS_NOTIFY (14)",
              """
              4f 4b 00 07 0e 00 03 62 6f 62 00""",
              new StatusNotifyPush("bob", Presence.OFFLINE)),
          new Vector(
              "C_REGISTER (15)",
              """
              4f 4b 00 21 0f 00 05 61 6c 69 63 65 00 07 73 65
              63 72 65 74 31 02 00 0d 61 40 65 78 61 6d 70 6c
              65 2e 6f 72 67""",
              new RegisterRequest("alice", "secret1", Gender.FEMALE, "a@example.org")),
          new Vector(
              "S_REGISTER (16)",
              """
              4f 4b 00 02 10 01""",
              new RegisterResponse(true)),
          new Vector(
              "S_ERROR_RSP (17), ack of C_SEND_MSG",
              """
              4f 4b 00 03 11 00 0b""",
              ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG)),
          new Vector(
              "S_ERROR_RSP (17), logged in elsewhere",
              """
              4f 4b 00 03 11 07 00""",
              ErrorResponse.unsolicited(ErrorCode.LOGGED_IN_ELSEWHERE)),
          new Vector(
              "C_AUDIO_REQ (18)",
              """
              4f 4b 00 23 12 00 03 62 6f 62 00 00 00 04 01 02
              03 04 00 13 32 30 32 36 2d 31 31 2d 32 38 20 31
              32 3a 30 30 3a 30 32""",
              new AudioRequest(
                  "bob", ClipBytes.copyOf(new byte[] {1, 2, 3, 4}), "2026-11-28 12:00:02")),
          new Vector(
              "S_AUDIO_RSP (19)",
              """
              4f 4b 00 25 13 00 05 61 6c 69 63 65 00 00 00 04
              01 02 03 04 00 13 32 30 32 36 2d 31 31 2d 32 38
              20 31 32 3a 30 30 3a 30 32""",
              new AudioPush(
                  "alice", ClipBytes.copyOf(new byte[] {1, 2, 3, 4}), "2026-11-28 12:00:02")));

  static List<Vector> vectors() {
    return VECTORS;
  }

  @BeforeAll
  static void installLeakCheck() {
    LeakCheck.install();
  }

  @AfterAll
  static void noLeaks() throws InterruptedException {
    LeakCheck.assertNoLeaks();
  }

  @Test
  void allTwentyTwoVectorsCoverEveryCommandOfTheSheet() {
    assertThat(VECTORS).hasSize(22);
    assertThat(VECTORS.stream().map(v -> v.message().commandType()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(
            java.util.Arrays.stream(CommandType.values()).filter(t -> !t.isExtension()).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vectorIsAWellFormedFrame(Vector v) {
    byte[] b = v.bytes();
    assertThat(b[0]).isEqualTo((byte) 'O');
    assertThat(b[1]).isEqualTo((byte) 'K');
    assertThat(((b[2] & 0xFF) << 8) | (b[3] & 0xFF)).isEqualTo(b.length - 4);
    assertThat(b[4] & 0xFF).isEqualTo(v.message().commandType().value());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encoderProducesExactlyTheVectorBytes(Vector v) {
    assertThat(hex(encode(v.message()))).isEqualTo(hex(v.bytes()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decoderReadsTheVectorBackToAnEqualRecord(Vector v) {
    assertThat(decodeOne(v.bytes())).isEqualTo(v.message());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodeContentReadsTheVectorContent(Vector v) {
    // Heap buffer around a plain array: nothing to release.
    assertThat(FrameDecoder.decodeContent(Unpooled.wrappedBuffer(content(v.bytes()))))
        .isEqualTo(v.message());
  }

  @Test
  void emojiIsSentAsASurrogatePairOfThreeByteSequences() {
    Vector send = VECTORS.get(12);
    assertThat(send.message()).isInstanceOf(SendMessage.class);
    assertThat(send.hex().replaceAll("\\s+", " ")).contains("ed a0 bd ed b8 80");
    assertThat(((SendMessage) decodeOne(send.bytes())).message()).isEqualTo(EMOJI_MESSAGE);
  }
}
