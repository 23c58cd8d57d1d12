package imps.protocol.codec;

import static imps.protocol.codec.Frames.decodeOne;
import static imps.protocol.codec.Frames.encode;
import static imps.protocol.codec.Frames.hex;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.Ack;
import imps.protocol.message.BlockListRequest;
import imps.protocol.message.BlockListResponse;
import imps.protocol.message.BlockRequest;
import imps.protocol.message.ChangePassword;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.DeleteAccount;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRemoved;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.HistoryPage;
import imps.protocol.message.HistoryRequest;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LiveLocationsRequest;
import imps.protocol.message.LocationPush;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.Notice;
import imps.protocol.message.ReadNotice;
import imps.protocol.message.Receipt;
import imps.protocol.message.ResumeRequest;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StoredPush;
import imps.protocol.message.Unfriend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The byte examples of the protocol extensions in docs/PROTOCOL.md, section 8: each decodes to its
 * record and each record encodes to exactly these bytes.
 */
class ExtensionVectorsTest {

  record Vector(String name, String hex, ImpsMessage message) {
    byte[] bytes() {
      return Frames.hex(hex);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Vector> VECTORS =
      List.of(
          new Vector(
              "C_HELLO (32)",
              "4f 4b 00 06 20 01 00 00 00 07",
              new Hello(1, Set.of(Feature.ACKS, Feature.IDEMPOTENT_SENDS, Feature.RECEIPTS))),
          new Vector(
              "S_HELLO (33)",
              "4f 4b 00 0e 21 01 00 00 00 03 00 00 10 00 00 00 f0 00",
              new HelloResponse(1, Set.of(Feature.ACKS, Feature.IDEMPOTENT_SENDS), 4096, 61440)),
          new Vector(
              "S_STORED (34) carrying S_SEND_MSG",
              """
              4f 4b 00 2a 22 00 00 00 00 00 00 00 2a 0c 00 05
              61 6c 69 63 65 00 02 68 69 00 13 32 30 32 36 2d
              31 31 2d 32 38 20 31 32 3a 30 30 3a 30 31""",
              new StoredPush(42, new MessagePush("alice", "hi", "2026-11-28 12:00:01"))),
          new Vector("C_ACK (35)", "4f 4b 00 09 23 00 00 00 00 00 00 00 2a", new Ack(42)),
          new Vector(
              "C_RESUME (36)",
              """
              4f 4b 00 15 24 00 05 61 6c 69 63 65 00 03 74 6f
              6b 00 00 00 00 00 00 00 2a""",
              new ResumeRequest("alice", "tok", 42)),
          new Vector(
              "S_RECEIPT (37)",
              "4f 4b 00 0f 25 00 03 62 6f 62 00 00 00 00 00 00 00 07 02",
              new Receipt("bob", 7, Receipt.State.DELIVERED)),
          new Vector(
              "C_READ (38)",
              "4f 4b 00 0e 26 00 03 62 6f 62 00 00 00 00 00 00 00 29",
              new ReadNotice("bob", 41)),
          new Vector("C_UNFRIEND (39)", "4f 4b 00 06 27 00 03 62 6f 62", new Unfriend("bob")),
          new Vector(
              "S_FRIEND_REMOVED (40)",
              "4f 4b 00 08 28 00 05 61 6c 69 63 65",
              new FriendRemoved("alice")),
          new Vector(
              "C_BLOCK (41)",
              "4f 4b 00 0b 29 00 07 6d 61 6c 6c 6f 72 79 01",
              new BlockRequest("mallory", true)),
          new Vector("C_BLOCKLIST_REQ (42)", "4f 4b 00 01 2a", BlockListRequest.INSTANCE),
          new Vector(
              "S_BLOCKLIST_RSP (43)",
              """
              4f 4b 00 11 2b 00 02 00 03 65 76 65 00 07 6d 61
              6c 6c 6f 72 79""",
              new BlockListResponse(List.of("eve", "mallory"))),
          new Vector(
              "C_PASSWD (44)",
              "4f 4b 00 0b 2c 00 03 6f 6c 64 00 03 6e 65 77",
              new ChangePassword("old", "new")),
          new Vector(
              "C_DELETE_ACCOUNT (45)", "4f 4b 00 05 2d 00 02 70 77", new DeleteAccount("pw")),
          new Vector(
              "S_ERROR_RSP (17) with extension code 32, shutting down",
              "4f 4b 00 03 11 20 00",
              ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN)),
          new Vector(
              "S_ERROR_RSP (17) with extension code 32, a login refused during a drain",
              "4f 4b 00 03 11 20 01",
              ErrorResponse.of(ErrorCode.SHUTTING_DOWN, CommandType.C_LOGIN_REQ)),
          new Vector(
              "C_HISTORY (47)",
              """
              4f 4b 00 11 2f 00 03 62 6f 62 00 00 00 00 00 00
              00 00 00 00 32""",
              new HistoryRequest("bob", 0, false, 50)),
          new Vector(
              "S_HISTORY (48)",
              """
              4f 4b 00 52 30 00 03 62 6f 62 01 00 02 00 00 00
              00 00 00 00 29 01 00 13 32 30 32 36 2d 31 31 2d
              32 38 20 31 32 3a 30 30 3a 30 31 01 00 02 68 69
              00 00 00 00 00 00 00 28 00 00 13 32 30 32 36 2d
              31 31 2d 32 38 20 31 32 3a 30 30 3a 30 31 02 00
              00 00 03 01 02 03""",
              new HistoryPage(
                  "bob",
                  true,
                  List.of(
                      HistoryPage.Entry.text(41, true, "2026-11-28 12:00:01", "hi"),
                      HistoryPage.Entry.clip(
                          40,
                          false,
                          "2026-11-28 12:00:01",
                          ClipBytes.copyOf(new byte[] {1, 2, 3}))))),
          new Vector("C_LIVE_LOCATIONS (49)", "4f 4b 00 02 31 01", new LiveLocationsRequest(true)),
          new Vector(
              "S_LOCATION (50)",
              """
              4f 4b 00 29 32 00 03 62 6f 62 00 13 32 30 32 36
              2d 31 31 2d 32 38 20 31 32 3a 30 30 3a 30 31 00
              0c 32 33 2e 31 33 2c 31 31 33 2e 32 36""",
              new LocationPush("bob", "2026-11-28 12:00:01", "23.13,113.26")),
          new Vector(
              "C_TRACK (51)",
              """
              4f 4b 00 18 33 00 03 62 6f 62 00 00 00 00 6b 0a
              c2 40 00 00 00 00 6b 0a d0 50 01 f4""",
              new imps.protocol.message.TrackRequest("bob", 1_795_867_200L, 1_795_870_800L, 500)),
          new Vector(
              "S_TRACK (52)",
              """
              4f 4b 00 2c 34 00 03 62 6f 62 00 00 00 03 00 02
              00 00 00 00 6b 0a c2 40 01 60 ef 90 06 c0 35 e0
              00 00 00 00 6b 0a c2 7c 01 60 f5 6c 06 c0 3e aa""",
              new imps.protocol.message.Track(
                  "bob",
                  3,
                  List.of(
                      new imps.protocol.message.Track.Point(
                          1_795_867_200L, 23_130_000, 113_260_000),
                      new imps.protocol.message.Track.Point(
                          1_795_867_260L, 23_131_500, 113_262_250)))),
          new Vector(
              "S_NOTICE (53)",
              """
              4f 4b 00 1b 35 00 18 42 61 63 6b 20 69 6e 20 35
              20 6d 69 6e 75 74 65 73 2c 20 73 6f 72 72 79""",
              new Notice("Back in 5 minutes, sorry")),
          new Vector(
              "C_UNREAD_REQ (54)", "4f 4b 00 01 36", imps.protocol.message.UnreadRequest.INSTANCE),
          new Vector(
              "S_UNREAD_RSP (55)",
              """
              4f 4b 00 1d 37 00 00 00 00 00 00 00 2a 00 02 00
              03 62 6f 62 00 00 00 03 00 03 65 76 65 00 00 00
              0c""",
              new imps.protocol.message.UnreadCounts(
                  42,
                  List.of(
                      new imps.protocol.message.UnreadCounts.Friend("bob", 3),
                      new imps.protocol.message.UnreadCounts.Friend("eve", 12)))),
          new Vector(
              "C_SEND_MSG (11) with [ext] ClientMsgId",
              """
              4f 4b 00 19 0b 00 05 61 6c 69 63 65 00 03 62 6f
              62 00 02 68 69 00 00 00 00 00 00 00 07""",
              new SendMessage("alice", "bob", "hi", 7)),
          new Vector(
              "S_LOGIN_RSP (2) with [ext] Status, Token, TokenTtl",
              """
              4f 4b 00 22 02 00 05 61 6c 69 63 65 02 00 0d 61
              40 65 78 61 6d 70 6c 65 2e 6f 72 67 01 00 03 74
              6f 6b 00 27 8d 00""",
              new LoginResponse(
                  "alice", Gender.FEMALE, "a@example.org", Presence.INVISIBLE, "tok", 2_592_000)));

  static List<Vector> vectors() {
    return VECTORS;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesToTheRecord(Vector v) {
    assertThat(decodeOne(v.bytes())).isEqualTo(v.message());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodesToTheBytes(Vector v) {
    assertThat(hex(encode(v.message()))).isEqualTo(hex(v.bytes()));
  }

  @Test
  void everyExtensionCommandHasAVector() {
    assertThat(VECTORS.stream().map(v -> v.message().commandType()).collect(Collectors.toSet()))
        .containsAll(Arrays.stream(CommandType.values()).filter(CommandType::isExtension).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void protocolDocShowsTheBytes(Vector v) throws IOException {
    String doc = Files.readString(protocolDoc(), StandardCharsets.UTF_8);
    assertThat(squeeze(doc)).as("docs/PROTOCOL.md shows %s", v).contains(squeeze(v.hex()));
  }

  /** The hex with every run of whitespace made one space, as it reads across wrapped lines. */
  private static String squeeze(String text) {
    return text.replaceAll("\\s+", " ");
  }

  private static Path protocolDoc() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/PROTOCOL.md"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("docs/PROTOCOL.md above the working directory").isNotNull();
    return dir.resolve("docs/PROTOCOL.md");
  }

  @Test
  void aStoredPushCarriesOnlyThePushesOfStoredItems() {
    // S_STORED(1, S_HEARTBEAT_RSP) is malformed: only stored items come with a sequence number.
    assertThat(decodeOne(hex("4f 4b 00 0a 22 00 00 00 00 00 00 00 01 04")))
        .isInstanceOf(DecodeError.class);
    // ... and so is one nesting another S_STORED.
    assertThat(decodeOne(hex("4f 4b 00 0a 22 00 00 00 00 00 00 00 01 22")))
        .isInstanceOf(DecodeError.class);
  }
}
