package imps.protocol.codec;

import static imps.protocol.codec.Frames.UNTRACKED;
import static imps.protocol.codec.Frames.concat;
import static imps.protocol.codec.Frames.decodeWith;
import static imps.protocol.codec.Frames.encode;
import static imps.protocol.codec.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.codec.DecodeError.Kind;
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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Property-based tests of the codec (jqwik). */
class CodecPropertiesTest {

  @BeforeContainer
  static void installLeakCheck() {
    LeakCheck.install();
  }

  @AfterContainer
  static void noLeaks() throws InterruptedException {
    LeakCheck.assertNoLeaks();
  }

  // ---- generators ----------------------------------------------------------------------------

  /** Any Unicode text, no unpaired surrogates, up to {@code maxCodePoints} code points. */
  static Arbitrary<String> text(int maxCodePoints) {
    Arbitrary<Integer> codePoint =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
            Tuple.of(1, Arbitraries.integers().between(0x00, 0x1F)), // NUL and controls
            Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
            Tuple.of(
                3,
                Arbitraries.integers()
                    .between(0x800, 0xFFFF)
                    .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)),
            Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    return codePoint
        .list()
        .ofMaxSize(maxCodePoints)
        .map(
            cps -> {
              StringBuilder sb = new StringBuilder();
              cps.forEach(sb::appendCodePoint);
              return sb.toString();
            });
  }

  static Arbitrary<String> text() {
    return text(24);
  }

  static Arbitrary<Integer> u8() {
    return Arbitraries.integers().between(0, 255);
  }

  static Arbitrary<byte[]> clip() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
  }

  static Arbitrary<Presence> presence() {
    return Arbitraries.of(Presence.class);
  }

  static Arbitrary<Gender> gender() {
    return Arbitraries.of(Gender.class);
  }

  static Arbitrary<java.util.Set<imps.protocol.Feature>> features() {
    return Arbitraries.of(imps.protocol.Feature.class).set();
  }

  static Arbitrary<ClipBytes> clipBytes() {
    return clip().map(ClipBytes::copyOf);
  }

  /** Any valid message of command {@code cmd}, with field sizes that keep the frame small. */
  static Arbitrary<? extends ImpsMessage> messageOf(CommandType cmd) {
    return switch (cmd) {
      case C_LOGIN_REQ -> Combinators.combine(text(), text()).as(LoginRequest::new);
      case S_LOGIN_RSP ->
          Arbitraries.oneOf(
              List.of(
                  Combinators.combine(text(), gender(), text()).as(LoginResponse::new),
                  Combinators.combine(text(), gender(), text(), presence())
                      .as((n, g, e, p) -> new LoginResponse(n, g, e, p, null, 0)),
                  Combinators.combine(
                          text(),
                          gender(),
                          text(),
                          presence(),
                          text(),
                          Arbitraries.integers().between(0, Integer.MAX_VALUE))
                      .as(LoginResponse::new)));
      case C_HEARTBEAT_REQ ->
          Combinators.combine(
                  text(),
                  Combinators.combine(text(), text()).as(LocationFix::new).list().ofMaxSize(12))
              .as(HeartbeatRequest::new);
      case S_HEARTBEAT_RSP -> Arbitraries.just(HeartbeatResponse.INSTANCE);
      case C_FRIENDLIST_REFURBISH_REQ -> text().map(FriendListRequest::new);
      case S_FRIENDLIST_REFURBISH_RSP ->
          Combinators.combine(text(), presence(), text(), text())
              .as(FriendInfo::new)
              .list()
              .ofMaxSize(12)
              .map(FriendListResponse::new);
      case C_ADDFRIEND_REQ -> Combinators.combine(text(), text()).as(AddFriendRequest::new);
      case C_ADDFRIEND_RSP ->
          Combinators.combine(text(), Arbitraries.of(true, false)).as(AddFriendAnswer::new);
      case S_ADDFRIEND_REQ -> text().map(FriendRequestPush::new);
      case S_ADDFRIEND_RSP ->
          Arbitraries.oneOf(
              List.of(
                  Combinators.combine(text(), presence(), text(), text())
                      .as(FriendInfo::new)
                      .map(AddFriendResponse::accepted),
                  Combinators.combine(
                          Arbitraries.of(
                              AddFriendResponse.Result.REFUSED,
                              AddFriendResponse.Result.NO_SUCH_USER),
                          text().injectNull(0.3))
                      .as((r, name) -> new AddFriendResponse(r, name, Presence.OFFLINE, "", ""))));
      case C_SEND_MSG ->
          Combinators.combine(text(), text(), text(200), Arbitraries.longs()).as(SendMessage::new);
      case S_SEND_MSG -> Combinators.combine(text(), text(200), text()).as(MessagePush::new);
      case C_STATUS_NOTIFY -> Combinators.combine(text(), presence()).as(StatusNotifyRequest::new);
      case S_STATUS_NOTIFY -> Combinators.combine(text(), presence()).as(StatusNotifyPush::new);
      case C_REGISTER ->
          Combinators.combine(text(), text(), gender(), text()).as(RegisterRequest::new);
      case S_REGISTER -> Arbitraries.of(true, false).map(RegisterResponse::new);
      case S_ERROR_RSP ->
          Combinators.combine(Arbitraries.of(ErrorCode.class), u8()).as(ErrorResponse::new);
      case C_AUDIO_REQ ->
          Combinators.combine(text(), clipBytes(), text(), Arbitraries.longs())
              .as(AudioRequest::new);
      case S_AUDIO_RSP -> Combinators.combine(text(), clipBytes(), text()).as(AudioPush::new);
      case C_HELLO -> Combinators.combine(u8(), features()).as(imps.protocol.message.Hello::new);
      case S_HELLO ->
          Combinators.combine(u8(), features(), Arbitraries.integers(), Arbitraries.integers())
              .as(imps.protocol.message.HelloResponse::new);
      case S_STORED ->
          Combinators.combine(
                  Arbitraries.longs(),
                  Arbitraries.of(
                          CommandType.S_SEND_MSG,
                          CommandType.S_AUDIO_RSP,
                          CommandType.S_ADDFRIEND_REQ,
                          CommandType.S_ADDFRIEND_RSP,
                          CommandType.S_RECEIPT)
                      .flatMap(t -> messageOf(t).map(m -> (ImpsMessage) m)))
              .as(imps.protocol.message.StoredPush::new);
      case C_ACK -> Arbitraries.longs().map(imps.protocol.message.Ack::new);
      case C_RESUME ->
          Combinators.combine(text(), text(), Arbitraries.longs())
              .as(imps.protocol.message.ResumeRequest::new);
      case S_RECEIPT ->
          Combinators.combine(
                  text(),
                  Arbitraries.longs(),
                  Arbitraries.of(imps.protocol.message.Receipt.State.class))
              .as(imps.protocol.message.Receipt::new);
      case C_READ ->
          Combinators.combine(text(), Arbitraries.longs())
              .as(imps.protocol.message.ReadNotice::new);
      case C_UNFRIEND -> text().map(imps.protocol.message.Unfriend::new);
      case S_FRIEND_REMOVED -> text().map(imps.protocol.message.FriendRemoved::new);
      case C_BLOCK ->
          Combinators.combine(text(), Arbitraries.of(true, false))
              .as(imps.protocol.message.BlockRequest::new);
      case C_BLOCKLIST_REQ -> Arbitraries.just(imps.protocol.message.BlockListRequest.INSTANCE);
      case S_BLOCKLIST_RSP ->
          text().list().ofMaxSize(5).map(imps.protocol.message.BlockListResponse::new);
      case C_PASSWD ->
          Combinators.combine(text(), text()).as(imps.protocol.message.ChangePassword::new);
      case C_DELETE_ACCOUNT -> text().map(imps.protocol.message.DeleteAccount::new);
      case C_HISTORY ->
          Combinators.combine(
                  text(),
                  Arbitraries.longs(),
                  Arbitraries.of(true, false),
                  Arbitraries.integers().between(0, 0xFFFF))
              .as(imps.protocol.message.HistoryRequest::new);
      case S_HISTORY ->
          Combinators.combine(
                  text(),
                  Arbitraries.of(true, false),
                  Combinators.combine(
                          Arbitraries.longs(),
                          Arbitraries.of(true, false),
                          text(),
                          Arbitraries.oneOf(
                              List.of(text(200).map(t -> (Object) t), clipBytes().map(c -> c))))
                      .as(
                          (id, out, at, body) ->
                              body instanceof ClipBytes c
                                  ? imps.protocol.message.HistoryPage.Entry.clip(id, out, at, c)
                                  : imps.protocol.message.HistoryPage.Entry.text(
                                      id, out, at, (String) body))
                      .list()
                      .ofMaxSize(6))
              .as(imps.protocol.message.HistoryPage::new);
      case C_LIVE_LOCATIONS ->
          Arbitraries.of(true, false).map(imps.protocol.message.LiveLocationsRequest::new);
      case S_LOCATION ->
          Combinators.combine(text(), text(), text()).as(imps.protocol.message.LocationPush::new);
      case C_TRACK ->
          Combinators.combine(
                  text(),
                  Arbitraries.longs(),
                  Arbitraries.longs(),
                  Arbitraries.integers().between(0, 0xFFFF))
              .as(imps.protocol.message.TrackRequest::new);
      case S_TRACK ->
          Combinators.combine(
                  text(),
                  Arbitraries.integers(),
                  Combinators.combine(
                          Arbitraries.longs(), Arbitraries.integers(), Arbitraries.integers())
                      .as(imps.protocol.message.Track.Point::new)
                      .list()
                      .ofMaxSize(50))
              .as(imps.protocol.message.Track::new);
      case S_NOTICE -> text().map(imps.protocol.message.Notice::new);
      case C_UNREAD_REQ -> Arbitraries.just(imps.protocol.message.UnreadRequest.INSTANCE);
      case S_UNREAD_RSP ->
          Combinators.combine(
                  Arbitraries.longs(),
                  Combinators.combine(text(), Arbitraries.integers())
                      .as(imps.protocol.message.UnreadCounts.Friend::new)
                      .list()
                      .ofMaxSize(5))
              .as(imps.protocol.message.UnreadCounts::new);
    };
  }

  @Provide
  static Arbitrary<ImpsMessage> messages() {
    return Arbitraries.of(CommandType.class).flatMap(cmd -> messageOf(cmd).map(m -> m));
  }

  @Provide
  static Arbitrary<String> validText() {
    return text(300);
  }

  @Provide
  static Arbitrary<String> anyString() {
    return Arbitraries.strings().all().ofMaxLength(300);
  }

  // ---- round trips ---------------------------------------------------------------------------

  @Example
  void generatorCoversEveryCommandType() {
    Set<CommandType> types =
        messages()
            .sampleStream()
            .limit(2000)
            .map(ImpsMessage::commandType)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(types).containsExactlyInAnyOrder(CommandType.values());
  }

  @Property(tries = 1000)
  void decodeOfEncodeIsTheSameMessage(@ForAll("messages") ImpsMessage m) {
    byte[] frame = encode(m, UNTRACKED);
    assertThat(frame.length).isLessThanOrEqualTo(4 + 0xFFFF);
    assertThat(frame[0]).isEqualTo((byte) 'O');
    assertThat(frame[1]).isEqualTo((byte) 'K');
    assertThat(((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF)).isEqualTo(frame.length - 4);
    assertThat(frame[4] & 0xFF).isEqualTo(m.commandType().value());

    Object viaContent =
        FrameDecoder.decodeContent(Unpooled.wrappedBuffer(frame, 4, frame.length - 4));
    assertThat(viaContent).isEqualTo(m);
    assertThat(decodeWith(UNTRACKED, frame)).containsExactly(m);
  }

  @Property(tries = 200)
  void pipelineEncoderWritesWhatEncodeToWrites(@ForAll("messages") ImpsMessage m) {
    ByteBuf out = UNTRACKED.buffer();
    FrameEncoder.encodeTo(m, out);
    assertThat(ByteBufUtil.getBytes(out)).isEqualTo(encode(m, UNTRACKED));
    out.release();
  }

  // ---- modified UTF-8 ------------------------------------------------------------------------

  static byte[] writeUtf(String s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new DataOutputStream(bytes).writeUTF(s);
    return bytes.toByteArray();
  }

  static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  @Property(tries = 1000)
  void anyStringIsWrittenExactlyLikeDataOutputStream(@ForAll("anyString") String s)
      throws IOException {
    ByteBuf out = Unpooled.buffer();
    ModifiedUtf8.write(out, s);
    byte[] ours = ByteBufUtil.getBytes(out);
    assertThat(ours).isEqualTo(writeUtf(s));
    assertThat(new DataInputStream(new ByteArrayInputStream(ours)).readUTF()).isEqualTo(s);
    if (hasUnpairedSurrogate(s)) {
      assertThatThrownBy(() -> ModifiedUtf8.read(out)).isInstanceOf(MalformedException.class);
    }
  }

  @Property(tries = 1000)
  void validTextRoundTripsInModifiedAndStandardUtf8(@ForAll("validText") String s)
      throws Exception {
    byte[] modified = writeUtf(s);
    assertThat(ModifiedUtf8.read(Unpooled.wrappedBuffer(modified))).isEqualTo(s);
    assertThat(ModifiedUtf8.encodedLength(s)).isEqualTo(modified.length - 2);

    byte[] standard = s.getBytes(StandardCharsets.UTF_8);
    byte[] field =
        concat(new byte[] {(byte) (standard.length >> 8), (byte) standard.length}, standard);
    assertThat(ModifiedUtf8.read(Unpooled.wrappedBuffer(field))).isEqualTo(s);
  }

  @Property(tries = 1000)
  void arbitraryBytesAreEitherValidTextOrMalformed(@ForAll @Size(max = 40) byte[] bytes) {
    byte[] field = concat(new byte[] {0, (byte) bytes.length}, bytes);
    try {
      String s = ModifiedUtf8.read(Unpooled.wrappedBuffer(field));
      assertThat(hasUnpairedSurrogate(s)).isFalse();
    } catch (MalformedException expected) {
      // fine
    }
  }

  // ---- garbage -------------------------------------------------------------------------------

  private static void assertOnlyMessagesOrErrors(List<Object> out) {
    for (int i = 0; i < out.size(); i++) {
      Object o = out.get(i);
      assertThat(o).isInstanceOfAny(ImpsMessage.class, DecodeError.class);
      if (o instanceof DecodeError e && e.isFatal()) {
        assertThat(i).as("nothing after a framing error").isEqualTo(out.size() - 1);
      }
    }
  }

  @Property(tries = 1000)
  void arbitraryBytesNeverMakeTheDecoderThrow(
      @ForAll @Size(max = 300) byte[] garbage, @ForAll @IntRange(min = 1, max = 300) int chunk) {
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < garbage.length; i += chunk) {
      chunks.add(Arrays.copyOfRange(garbage, i, Math.min(garbage.length, i + chunk)));
    }
    assertOnlyMessagesOrErrors(decodeWith(ByteBufAllocator.DEFAULT, chunks.toArray(byte[][]::new)));
  }

  /** With a valid header, garbage reaches the field readers: one result, never fatal. */
  private static void assertOneNonFatalResult(byte[] content) {
    List<Object> out = decodeWith(ByteBufAllocator.DEFAULT, frame(content));
    assertThat(out).hasSize(1);
    int cmd = content[0] & 0xFF;
    if (out.get(0) instanceof DecodeError e) {
      assertThat(e.kind()).isNotEqualTo(Kind.FRAMING);
      assertThat(e.cmd()).isEqualTo(cmd);
      assertThat(e.kind() == Kind.UNKNOWN_COMMAND).isEqualTo(CommandType.valueOf(cmd) == null);
    } else {
      assertThat(((ImpsMessage) out.get(0)).commandType().value()).isEqualTo(cmd);
    }
  }

  @Property(tries = 1000)
  void garbageContentBehindAValidHeaderNeverThrows(@ForAll @Size(min = 1, max = 300) byte[] c) {
    assertOneNonFatalResult(c);
  }

  @Property(tries = 1000)
  void garbageFieldsOfEveryKnownCommandNeverThrow(
      @ForAll @IntRange(min = 1, max = 19) int cmd, @ForAll @Size(max = 200) byte[] fields) {
    assertOneNonFatalResult(concat(new byte[] {(byte) cmd}, fields));
  }

  /**
   * The field readers themselves either return or throw {@link MalformedException}: no
   * IndexOutOfBounds or other runtime exception that the decoder's safety net would hide.
   */
  @Property(tries = 1000)
  void fieldReadersOnlyFailWithMalformedException(
      @ForAll @IntRange(min = 1, max = 19) int cmd, @ForAll @Size(max = 200) byte[] fields) {
    try {
      ImpsMessage m = Codecs.forType(cmd).read(Unpooled.wrappedBuffer(fields));
      assertThat(m.commandType().value()).isEqualTo(cmd);
    } catch (MalformedException expected) {
      // fine
    }
  }

  @Property(tries = 1000)
  void corruptedValidFramesNeverThrow(
      @ForAll("messages") ImpsMessage m,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 0xFFFF) Integer> positions,
      @ForAll byte value) {
    byte[] content = Frames.content(encode(m, UNTRACKED));
    for (int p : positions) {
      // Keep CMDTYPE, so the frame reaches the same command's reader.
      if (content.length > 1) {
        content[1 + p % (content.length - 1)] ^= (byte) (value | 1);
      }
    }
    List<Object> out = decodeWith(UNTRACKED, frame(content));
    assertThat(out).hasSize(1);
    if (out.get(0) instanceof DecodeError e) {
      assertThat(e.kind()).isEqualTo(Kind.MALFORMED_FIELDS);
      assertThat(e.cmd()).isEqualTo(m.commandType().value());
    } else {
      assertThat(((ImpsMessage) out.get(0)).commandType()).isEqualTo(m.commandType());
    }
  }

  // ---- streams -------------------------------------------------------------------------------

  @Property(tries = 300)
  void anySplitOfAMultiFrameStreamDecodesTheSame(
      @ForAll @Size(min = 1, max = 6) List<@From("messages") ImpsMessage> messages,
      @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 1 << 20) Integer> cuts) {
    byte[] stream = concat(messages.stream().map(m -> encode(m, UNTRACKED)).toArray(byte[][]::new));
    TreeSet<Integer> points = new TreeSet<>();
    for (int c : cuts) {
      points.add(c % (stream.length + 1));
    }
    points.add(stream.length);
    List<byte[]> chunks = new ArrayList<>();
    int from = 0;
    for (int to : points) {
      chunks.add(Arrays.copyOfRange(stream, from, to)); // empty chunks too
      from = to;
    }
    assertThat(decodeWith(UNTRACKED, chunks.toArray(byte[][]::new)))
        .containsExactlyElementsOf(messages);
  }
}
