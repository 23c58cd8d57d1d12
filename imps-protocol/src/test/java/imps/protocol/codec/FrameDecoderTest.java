package imps.protocol.codec;

import static imps.protocol.codec.Frames.concat;
import static imps.protocol.codec.Frames.content;
import static imps.protocol.codec.Frames.decode;
import static imps.protocol.codec.Frames.decodeByteByByte;
import static imps.protocol.codec.Frames.decodeError;
import static imps.protocol.codec.Frames.decodeOne;
import static imps.protocol.codec.Frames.frame;
import static imps.protocol.codec.Frames.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import imps.protocol.codec.DecodeError.Kind;
import imps.protocol.codec.TestVectorsTest.Vector;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LocationFix;
import imps.protocol.message.MessagePush;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed and legacy input: the decoder reports a typed {@link DecodeError}, never throws. */
class FrameDecoderTest {

  private static final byte[] HEARTBEAT_RSP = hex("4f 4b 00 01 04");
  private static final byte[] FRIENDLIST_REQ = hex("4f 4b 00 08 05 00 05 61 6c 69 63 65");

  static List<Vector> vectors() {
    return TestVectorsTest.VECTORS;
  }

  @BeforeAll
  static void installLeakCheck() {
    LeakCheck.install();
  }

  @AfterAll
  static void noLeaks() throws InterruptedException {
    LeakCheck.assertNoLeaks();
  }

  private static void assertFraming(Object out) {
    assertThat(out).isInstanceOf(DecodeError.class);
    DecodeError e = (DecodeError) out;
    assertThat(e.kind()).isEqualTo(Kind.FRAMING);
    assertThat(e.cmd()).isZero();
    assertThat(e.isFatal()).isTrue();
  }

  private static void assertMalformed(byte[] frame, CommandType cmd) {
    assertMalformed(frame, cmd.value());
  }

  private static void assertMalformed(byte[] frame, int cmd) {
    DecodeError e = decodeError(frame);
    assertThat(e.kind()).as("%s", e).isEqualTo(Kind.MALFORMED_FIELDS);
    assertThat(e.cmd()).isEqualTo(cmd);
    assertThat(e.isFatal()).isFalse();
    assertThat(e.reason()).isNotBlank();
  }

  // ---- framing -------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"00", "4b", "6f", "ff", "58 4b"})
  void badFirstByteIsAFramingErrorAndEverythingAfterIsDiscarded(String first) {
    byte[] garbage = hex(first);
    List<Object> out = decode(concat(garbage, HEARTBEAT_RSP), HEARTBEAT_RSP, FRIENDLIST_REQ);
    assertThat(out).hasSize(1);
    assertFraming(out.get(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"00", "4f", "6b", "ff"})
  void badSecondByteIsAFramingErrorAndEverythingAfterIsDiscarded(String second) {
    byte[] bad = concat(hex("4f"), hex(second), hex("00 01 04"));
    List<Object> out = decode(concat(bad, HEARTBEAT_RSP), HEARTBEAT_RSP);
    assertThat(out).hasSize(1);
    assertFraming(out.get(0));
  }

  @Test
  void badTagIsReportedAsSoonAsItsByteArrives() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
    assertThat(channel.writeInbound(Frames.buffer(hex("4f")))).isFalse();
    assertThat(channel.writeInbound(Frames.buffer(hex("58")))).isTrue();
    assertFraming(channel.readInbound());
    // Later bytes, even valid frames, are swallowed.
    assertThat(channel.writeInbound(Frames.buffer(HEARTBEAT_RSP))).isFalse();
    assertThat(channel.finish()).isFalse();

    EmbeddedChannel first = new EmbeddedChannel(new FrameDecoder());
    assertThat(first.writeInbound(Frames.buffer(hex("47")))).isTrue();
    assertFraming(first.readInbound());
    assertThat(first.finish()).isFalse();
  }

  @Test
  void badTagByteByByteGivesOneFramingError() {
    List<Object> out = decodeByteByByte(concat(hex("4f 4c 00 01 04"), HEARTBEAT_RSP));
    assertThat(out).hasSize(1);
    assertFraming(out.get(0));
  }

  @Test
  void framesBeforeABadTagAreStillDecoded() {
    List<Object> out = decode(concat(HEARTBEAT_RSP, FRIENDLIST_REQ, hex("de ad"), HEARTBEAT_RSP));
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).isEqualTo(HeartbeatResponse.INSTANCE);
    assertThat(out.get(1)).isEqualTo(new FriendListRequest("alice"));
    assertFraming(out.get(2));
  }

  @Test
  void frameWhoseLengthIsTooShortDesynchronisesIntoAFramingError() {
    // Content-Length 1 for a 12-byte frame: the next "frame" starts at 00 05 ...
    byte[] lying = hex("4f 4b 00 01 05 00 05 61 6c 69 63 65");
    List<Object> out = decode(lying);
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isInstanceOf(DecodeError.class);
    assertThat(((DecodeError) out.get(0)).kind()).isEqualTo(Kind.MALFORMED_FIELDS);
    assertFraming(out.get(1));
  }

  @Test
  void contentLengthZeroIsAFramingErrorAndEverythingAfterIsDiscarded() {
    List<Object> out = decode(concat(hex("4f 4b 00 00"), HEARTBEAT_RSP), HEARTBEAT_RSP);
    assertThat(out).hasSize(1);
    assertFraming(out.get(0));

    List<Object> byteByByte = decodeByteByByte(concat(hex("4f 4b 00 00"), HEARTBEAT_RSP));
    assertThat(byteByByte).hasSize(1);
    assertFraming(byteByByte.get(0));
  }

  @Test
  void maximumContentLengthWaitsForTheWholeFrame() {
    byte[] content = new byte[0xFFFF];
    content[0] = (byte) CommandType.S_HEARTBEAT_RSP.value(); // trailing bytes are ignored
    byte[] frame = frame(content);
    assertThat(frame).hasSize(4 + 0xFFFF);
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
    assertThat(channel.writeInbound(Frames.buffer(Arrays.copyOf(frame, frame.length - 1))))
        .isFalse();
    assertThat(channel.writeInbound(Frames.buffer(new byte[] {0}))).isTrue();
    assertThat((Object) channel.readInbound()).isEqualTo(HeartbeatResponse.INSTANCE);
    assertThat(channel.finish()).isFalse();
  }

  // ---- unknown commands ----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {0, 20, 21, 31, 46, 63, 127, 128, 255})
  void unknownCommandIsReportedWithItsNumberAndTheStreamGoesOn(int cmd) {
    List<Object> out = decode(concat(frame(cmd, "00 05 61 6c 69 63 65"), HEARTBEAT_RSP));
    assertThat(out).hasSize(2);
    DecodeError e = (DecodeError) out.get(0);
    assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_COMMAND);
    assertThat(e.cmd()).isEqualTo(cmd);
    assertThat(e.isFatal()).isFalse();
    assertThat(out.get(1)).isEqualTo(HeartbeatResponse.INSTANCE);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 20, 100, 255})
  void unknownCommandWithNoFields(int cmd) {
    DecodeError e = decodeError(frame(new byte[] {(byte) cmd}));
    assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_COMMAND);
    assertThat(e.cmd()).isEqualTo(cmd);
  }

  // ---- malformed fields ----------------------------------------------------------------------

  /**
   * Every vector cut short at every point inside its fields (with Content-Length adjusted, so the
   * frame is well delimited) is malformed, except where the spec lets a legacy frame end early.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void everyTruncationOfTheFieldsIsMalformed(Vector v) {
    byte[] content = content(v.bytes());
    CommandType cmd = v.message().commandType();
    for (int len = 1; len < content.length; len++) {
      byte[] cut = frame(Arrays.copyOf(content, len));
      boolean legacyEnd =
          len == 2
              && (cmd == CommandType.S_ERROR_RSP
                  || cmd == CommandType.S_ADDFRIEND_RSP && content[1] != 1);
      if (legacyEnd) {
        assertThat(decodeOne(cut)).isInstanceOf(ImpsMessage.class);
      } else {
        DecodeError e = decodeError(cut);
        assertThat(e.kind())
            .as("%s cut to %d content bytes", v, len)
            .isEqualTo(Kind.MALFORMED_FIELDS);
        assertThat(e.cmd()).isEqualTo(cmd.value());
      }
    }
  }

  @Test
  void malformedFrameKeepsTheStreamInSync() {
    byte[] bad = frame(CommandType.C_FRIENDLIST_REFURBISH_REQ, "00 09 61 6c 69 63 65");
    List<Object> out = decode(concat(bad, HEARTBEAT_RSP, bad, FRIENDLIST_REQ));
    assertThat(out).hasSize(4);
    assertThat(((DecodeError) out.get(0)).kind()).isEqualTo(Kind.MALFORMED_FIELDS);
    assertThat(out.get(1)).isEqualTo(HeartbeatResponse.INSTANCE);
    assertThat(((DecodeError) out.get(2)).kind()).isEqualTo(Kind.MALFORMED_FIELDS);
    assertThat(out.get(3)).isEqualTo(new FriendListRequest("alice"));
  }

  @Test
  void utfLengthRunningPastTheEndIsMalformed() {
    assertMalformed(frame(CommandType.C_FRIENDLIST_REFURBISH_REQ, "00 06 61 6c 69 63 65"), 5);
    assertMalformed(frame(CommandType.C_FRIENDLIST_REFURBISH_REQ, "ff ff 61"), 5);
    assertMalformed(frame(CommandType.C_FRIENDLIST_REFURBISH_REQ, "00"), 5);
    assertMalformed(frame(CommandType.C_LOGIN_REQ, "00 01 61 00 02 62"), 1);
    // The message's UTF count covers the Datetime field's bytes too, and then some.
    assertMalformed(
        frame(CommandType.S_SEND_MSG, "00 01 61 00 09 68 69 00 03 32 30 32"),
        CommandType.S_SEND_MSG);
  }

  @ParameterizedTest
  @EnumSource(names = {"C_AUDIO_REQ", "S_AUDIO_RSP"})
  void byteArrayNegativeCountIsMalformed(CommandType cmd) {
    for (String count : List.of("ff ff ff ff", "80 00 00 00", "ff ff ff 00")) {
      assertMalformed(frame(cmd, "00 01 61 " + count + " 01 02 03 04 00 00"), cmd);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"C_AUDIO_REQ", "S_AUDIO_RSP"})
  void byteArrayCountBeyondTheRemainingBytesIsMalformed(CommandType cmd) {
    // 6 bytes remain after the count: 01 02 03 04 00 00.
    for (String count : List.of("00 00 00 07", "00 01 00 00", "7f ff ff ff")) {
      assertMalformed(frame(cmd, "00 01 61 " + count + " 01 02 03 04 00 00"), cmd);
    }
    // Count equal to the remaining bytes is a valid Byte[], but then Datetime is missing.
    assertMalformed(frame(cmd, "00 01 61 00 00 00 06 01 02 03 04 00 00"), cmd);
  }

  @Test
  void byteArrayOfZeroAndOfAllRemainingBytesAreValid() {
    assertThat(decodeOne(frame(CommandType.C_AUDIO_REQ, "00 01 61 00 00 00 00 00 00")))
        .isEqualTo(new AudioRequest("a", ClipBytes.copyOf(new byte[0]), ""));
    assertThat(decodeOne(frame(CommandType.S_AUDIO_RSP, "00 01 61 00 00 00 03 09 08 07 00 00")))
        .isEqualTo(new AudioPush("a", ClipBytes.copyOf(new byte[] {9, 8, 7}), ""));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ff ff ff ff", "80 00 00 00", "7f ff ff ff", "00 10 00 00", "00 00 00 01"})
  void heartbeatDataSetSizeNegativeOrTooLargeIsMalformedWithoutAllocating(String count) {
    byte[] frame = frame(CommandType.C_HEARTBEAT_REQ, "00 01 61 " + count + " 00 00");
    assertTimeoutPreemptively(
        Duration.ofSeconds(5), () -> assertMalformed(frame, CommandType.C_HEARTBEAT_REQ));
  }

  @Test
  void heartbeatDataSetSizeMatchingTheFixesIsValid() {
    assertThat(decodeOne(frame(CommandType.C_HEARTBEAT_REQ, "00 01 61 00 00 00 01 00 00 00 00")))
        .isEqualTo(new HeartbeatRequest("a", List.of(new LocationFix("", ""))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ff ff", "80 00", "00 02"})
  void friendListSizeTooLargeIsMalformed(String count) {
    byte[] frame = frame(CommandType.S_FRIENDLIST_REFURBISH_RSP, count + " 00 00 00 00 00 00 00");
    assertMalformed(frame, CommandType.S_FRIENDLIST_REFURBISH_RSP);
  }

  @Test
  void friendListOfOneEmptyEntryIsValid() {
    assertThat(
            decodeOne(frame(CommandType.S_FRIENDLIST_REFURBISH_RSP, "00 01 00 00 02 00 00 00 00")))
        .isEqualTo(new FriendListResponse(List.of(new FriendInfo("", Presence.ONLINE, "", ""))));
  }

  /** Enumerated one-byte fields take only their defined values; anything else is error 8. */
  @ParameterizedTest
  @ValueSource(ints = {3, 5, 127, 128, 255})
  void undefinedValuesOfEnumeratedFieldsAreMalformed(int v) {
    String b = String.format("%02x", v);
    assertMalformed(
        frame(CommandType.S_FRIENDLIST_REFURBISH_RSP, "00 01 00 00 " + b + " 00 00 00 00"),
        CommandType.S_FRIENDLIST_REFURBISH_RSP);
    assertMalformed(
        frame(CommandType.C_STATUS_NOTIFY, "00 01 61 " + b), CommandType.C_STATUS_NOTIFY);
    assertMalformed(
        frame(CommandType.S_STATUS_NOTIFY, "00 01 61 " + b), CommandType.S_STATUS_NOTIFY);
    assertMalformed(
        frame(CommandType.C_REGISTER, "00 01 61 00 06 73 65 63 72 65 74 " + b + " 00 00"),
        CommandType.C_REGISTER);
    assertMalformed(
        frame(CommandType.S_LOGIN_RSP, "00 01 61 " + b + " 00 00"), CommandType.S_LOGIN_RSP);
    assertMalformed(
        frame(CommandType.C_ADDFRIEND_RSP, "00 01 61 " + b), CommandType.C_ADDFRIEND_RSP);
    assertMalformed(frame(CommandType.S_REGISTER, b), CommandType.S_REGISTER);
    if (ErrorCode.of(v) == null) {
      assertMalformed(frame(CommandType.S_ERROR_RSP, b + " 0b"), CommandType.S_ERROR_RSP);
    }
    assertMalformed(frame(CommandType.C_ADDFRIEND_RSP, "00 01 61 02"), CommandType.C_ADDFRIEND_RSP);
    assertMalformed(frame(CommandType.S_REGISTER, "02"), CommandType.S_REGISTER);
  }

  /** Invalid UTF inside a UTF field: count 2-bytes, then the bytes. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "80", // stray continuation byte
        "61 bf 62", // stray continuation after ASCII
        "e6 9d", // truncated 3-byte sequence
        "e6", // lead byte alone
        "c3", // truncated 2-byte sequence
        "f0 9f 98", // truncated 4-byte sequence
        "e6 41 41", // bad continuation byte
        "c1 81", // overlong 'A'
        "c0 81", // overlong U+0001 (only C0 80 is allowed)
        "e0 80 80", // overlong NUL in 3 bytes
        "e0 9f bf", // overlong U+07FF
        "f0 80 80 80", // overlong in 4 bytes
        "f0 8f bf bf", // overlong U+FFFF in 4 bytes
        "f4 90 80 80", // above U+10FFFF
        "ed a0 bd", // lone high surrogate
        "ed b8 80", // lone low surrogate
        "ed b8 80 ed a0 bd", // surrogates in the wrong order
        "ed a0 bd 61", // high surrogate followed by ASCII
        "ed a0 bd ed a0 bd ed b8 80", // two highs then one low
        "ed a0 bd f0 9f 98 80", // high surrogate, then a 4-byte emoji
        "f5 80 80 80", // lead byte above F4
        "f8 88 80 80 80", // 5-byte lead 0xF8
        "fc 84 80 80 80 80", // 6-byte lead
        "fe",
        "ff"
      })
  void invalidUtfIsMalformedWithTheFramesCommand(String utf) {
    byte[] bytes = hex(utf);
    String count = String.format("%02x %02x ", bytes.length >> 8, bytes.length & 0xFF);
    assertMalformed(frame(CommandType.C_FRIENDLIST_REFURBISH_REQ, count + utf), 5);
    assertMalformed(
        frame(CommandType.S_SEND_MSG, "00 01 61 " + count + utf + " 00 01 32"),
        CommandType.S_SEND_MSG);
    assertMalformed(
        frame(CommandType.C_REGISTER, "00 01 61 00 06 73 65 63 72 65 74 00 " + count + utf),
        CommandType.C_REGISTER);
  }

  @Test
  void acceptedNonStandardButValidUtfForms() {
    // Modified UTF-8 NUL, standard NUL, standard 4-byte emoji, modified (surrogate pair) emoji.
    assertThat(decodeOne(frame(5, "00 02 c0 80"))).isEqualTo(new FriendListRequest("\0"));
    assertThat(decodeOne(frame(5, "00 01 00"))).isEqualTo(new FriendListRequest("\0"));
    assertThat(decodeOne(frame(5, "00 04 f0 9f 98 80"))).isEqualTo(new FriendListRequest("😀"));
    assertThat(decodeOne(frame(5, "00 06 ed a0 bd ed b8 80")))
        .isEqualTo(new FriendListRequest("😀"));
    assertThat(decodeOne(frame(5, "00 04 f4 8f bf bf")))
        .isEqualTo(new FriendListRequest(new String(Character.toChars(0x10FFFF))));
  }

  // ---- extensions and legacy frames ----------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void trailingBytesAfterTheKnownFieldsAreIgnored(Vector v) {
    // Where this reader knows extension fields, the junk follows them (filled in).
    ImpsMessage m = withEveryExtensionField(v.message());
    byte[] extended =
        frame(concat(content(Frames.encode(m)), hex("de ad be ef 00 05 61 6c 69 63 65")));
    assertThat(decodeOne(extended)).isEqualTo(m);
  }

  private static ImpsMessage withEveryExtensionField(ImpsMessage m) {
    if (m instanceof imps.protocol.message.SendMessage s) {
      return new imps.protocol.message.SendMessage(s.userName(), s.friendName(), s.message(), 7);
    }
    if (m instanceof AudioRequest a) {
      return new AudioRequest(a.friendName(), a.data(), a.datetime(), 7);
    }
    if (m instanceof imps.protocol.message.LoginResponse l) {
      return new imps.protocol.message.LoginResponse(
          l.userName(), l.gender(), l.email(), Presence.INVISIBLE, "token", 60);
    }
    return m;
  }

  @Test
  void aLegacyFrameEndsBeforeTheExtensionFields() {
    assertThat(decodeOne(Frames.encode(new imps.protocol.message.SendMessage("a", "b", "m"))))
        .isEqualTo(new imps.protocol.message.SendMessage("a", "b", "m", 0));
    imps.protocol.message.LoginResponse legacy =
        (imps.protocol.message.LoginResponse)
            decodeOne(
                Frames.encode(
                    new imps.protocol.message.LoginResponse("a", imps.protocol.Gender.MALE, "")));
    assertThat(legacy.status()).isNull();
    assertThat(legacy.token()).isNull();
  }

  @Test
  void legacyErrorResponseWithoutCmdByteDecodes() {
    assertThat(decodeOne(hex("4f 4b 00 02 11 08")))
        .isEqualTo(ErrorResponse.unsolicited(ErrorCode.MALFORMED));
    assertThat(decodeOne(hex("4f 4b 00 02 11 07")))
        .isEqualTo(ErrorResponse.unsolicited(ErrorCode.LOGGED_IN_ELSEWHERE));
  }

  @Test
  void legacyAddFriendResponseWithoutNameDecodes() {
    assertThat(decodeOne(hex("4f 4b 00 02 0a 00")))
        .isEqualTo(
            new AddFriendResponse(
                AddFriendResponse.Result.REFUSED, null, Presence.OFFLINE, "", ""));
    assertThat(decodeOne(hex("4f 4b 00 02 0a ff")))
        .isEqualTo(
            new AddFriendResponse(
                AddFriendResponse.Result.NO_SUCH_USER, null, Presence.OFFLINE, "", ""));
  }

  @Test
  void addFriendResponseStatusIsSigned() {
    assertThat(decodeOne(hex("4f 4b 00 05 0a 00 00 01 62")))
        .isEqualTo(AddFriendResponse.refused("b"));
    assertThat(decodeOne(hex("4f 4b 00 05 0a ff 00 01 62")))
        .isEqualTo(AddFriendResponse.noSuchUser("b"));
    // Signed, so 0x80 is -128, not 128: neither is a defined STATUS.
    assertMalformed(hex("4f 4b 00 05 0a 80 00 01 62"), CommandType.S_ADDFRIEND_RSP);
  }

  @Test
  void acceptedAddFriendResponseNeedsAllItsFields() {
    assertMalformed(hex("4f 4b 00 02 0a 01"), CommandType.S_ADDFRIEND_RSP);
    assertMalformed(hex("4f 4b 00 05 0a 01 00 01 62"), CommandType.S_ADDFRIEND_RSP);
  }

  @Test
  void serverToClientCommandsAreDecodedToo() {
    // Direction is the server's business, not the codec's: a pushed command decodes normally.
    assertThat(decodeOne(hex("4f 4b 00 07 0c 00 00 00 00 00 00")))
        .isEqualTo(new MessagePush("", "", ""));
  }

  @Test
  void unsignedSingleByteFieldsKeepValuesAbove127() {
    // The Cmd byte of S_ERROR_RSP echoes any CMDTYPE, known or not.
    assertThat(decodeOne(hex("4f 4b 00 03 11 08 fe")))
        .isEqualTo(new ErrorResponse(ErrorCode.MALFORMED, 254));
  }

  // ---- limits and pausing -----------------------------------------------------------------------

  private static HeartbeatRequest heartbeat(int fixes) {
    return new HeartbeatRequest(
        "alice", java.util.Collections.nCopies(fixes, new LocationFix("0", "1,2")));
  }

  @Test
  void heartbeatWithMoreFixesThanTheLimitIsRefusedUndecoded() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(256));
    channel.writeInbound(
        Frames.buffer(concat(Frames.encode(heartbeat(257)), Frames.encode(heartbeat(256)))));
    DecodeError e = channel.readInbound();
    assertThat(e.kind()).isEqualTo(Kind.OVER_LIMIT);
    assertThat(e.isFatal()).isFalse();
    assertThat(e.cmd()).isEqualTo(CommandType.C_HEARTBEAT_REQ.value());
    // The stream stays in sync: the next heartbeat, at the limit, decodes.
    assertThat((Object) channel.readInbound()).isEqualTo(heartbeat(256));
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void theFixLimitLooksOnlyAtHeartbeats() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(0));
    MessagePush push = new MessagePush("a", "x".repeat(300), "t");
    channel.writeInbound(Frames.buffer(Frames.encode(push)));
    assertThat((Object) channel.readInbound()).isEqualTo(push);
    channel.writeInbound(Frames.buffer(Frames.encode(heartbeat(0))));
    assertThat((Object) channel.readInbound()).isEqualTo(heartbeat(0));
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void aPausedDecoderKeepsTheBytesAndDecodesThemOnResume() {
    FrameDecoder decoder = new FrameDecoder();
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    decoder.pause();
    channel.writeInbound(Frames.buffer(concat(HEARTBEAT_RSP, FRIENDLIST_REQ)));
    assertThat((Object) channel.readInbound()).isNull();
    decoder.resume(channel.pipeline());
    assertThat((Object) channel.readInbound()).isEqualTo(HeartbeatResponse.INSTANCE);
    assertThat((Object) channel.readInbound()).isEqualTo(new FriendListRequest("alice"));
    assertThat(channel.finish()).isFalse();
  }
}
