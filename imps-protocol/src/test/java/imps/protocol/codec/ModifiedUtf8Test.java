package imps.protocol.codec;

import static imps.protocol.codec.Frames.concat;
import static imps.protocol.codec.Frames.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The UTF field must be byte for byte what {@link DataOutputStream#writeUTF} writes, and read
 * standard UTF-8 as well. Plain heap buffers (nothing pooled) are used throughout.
 */
class ModifiedUtf8Test {

  static Stream<String> strings() {
    return Stream.of(
        "",
        "a",
        "alice",
        "\0",
        "a\0b",
        "\0\0\0",
        "\u0001\u007f",
        "\u0080",
        "\u00e9t\u00e9",
        "\u07ff",
        "\u0800",
        "\ue000",
        "\ufffd",
        "\uffff",
        "李雷",
        "你好，世界",
        "hi 你好 😀",
        "😀",
        "😀😀a😀",
        new String(Character.toChars(0x10000)),
        new String(Character.toChars(0x10FFFF)),
        "𝄞 music",
        "Ελληνικά русский עברית العربية हिन्दी",
        "23.13,113.26",
        "2026-11-28 12:00:00",
        "x".repeat(1000),
        "中".repeat(21_845), // exactly 65535 bytes
        "a".repeat(65_535),
        "\0".repeat(32_767) + "a");
  }

  static byte[] writeUtf(String s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new DataOutputStream(bytes).writeUTF(s);
    return bytes.toByteArray();
  }

  static byte[] write(String s) {
    ByteBuf out = Unpooled.buffer();
    ModifiedUtf8.write(out, s);
    return ByteBufUtil.getBytes(out);
  }

  static String read(byte[] field) throws MalformedException {
    ByteBuf in = Unpooled.wrappedBuffer(field);
    String s = ModifiedUtf8.read(in);
    assertThat(in.isReadable()).as("bytes left after the field").isFalse();
    return s;
  }

  /** A UTF field of {@code bytes}: u16 count and the bytes. */
  static byte[] field(byte[] bytes) {
    return concat(new byte[] {(byte) (bytes.length >> 8), (byte) bytes.length}, bytes);
  }

  @ParameterizedTest
  @MethodSource("strings")
  void writesExactlyWhatDataOutputStreamWrites(String s) throws IOException {
    byte[] expected = writeUtf(s);
    assertThat(write(s)).isEqualTo(expected);
    assertThat(ModifiedUtf8.encodedLength(s)).isEqualTo(expected.length - 2);
  }

  @ParameterizedTest
  @MethodSource("strings")
  void readsWhatDataOutputStreamWrites(String s) throws Exception {
    assertThat(read(writeUtf(s))).isEqualTo(s);
  }

  @ParameterizedTest
  @MethodSource("strings")
  void dataInputStreamReadsWhatWeWrite(String s) throws IOException {
    assertThat(new DataInputStream(new ByteArrayInputStream(write(s))).readUTF()).isEqualTo(s);
  }

  @ParameterizedTest
  @MethodSource("strings")
  void readsStandardUtf8(String s) throws Exception {
    byte[] standard = s.getBytes(StandardCharsets.UTF_8);
    if (standard.length <= 0xFFFF) {
      assertThat(read(field(standard))).isEqualTo(s);
    }
  }

  @Test
  void everySingleBmpCharacterIsWrittenLikeDataOutputStream() throws IOException {
    // 65536 one-char strings, checked in batches that fit a UTF field.
    StringBuilder batch = new StringBuilder();
    for (int c = 0; c <= 0xFFFF; c++) {
      batch.append((char) c);
      if (batch.length() == 20_000 || c == 0xFFFF) {
        String s = batch.toString();
        assertThat(write(s)).isEqualTo(writeUtf(s));
        batch.setLength(0);
      }
    }
  }

  @Test
  void unpairedSurrogatesAreWrittenLikeDataOutputStreamButNotReadBack() throws IOException {
    for (String s : List.of("\ud83d", "\ude00", "a\ud83db", "\ude00\ud83d")) {
      byte[] bytes = write(s);
      assertThat(bytes).isEqualTo(writeUtf(s));
      assertThatThrownBy(() -> read(bytes)).isInstanceOf(MalformedException.class);
    }
  }

  @Test
  void emojiIsWrittenAsTwoThreeByteSurrogates() {
    assertThat(hex(write("hi😀"))).isEqualTo("00 08 68 69 ed a0 bd ed b8 80");
    assertThat(hex(write("\0"))).isEqualTo("00 02 c0 80");
  }

  @Test
  void readsStandardFourByteEmoji() throws Exception {
    assertThat(read(hex("00 04 f0 9f 98 80"))).isEqualTo("😀");
    assertThat(read(hex("00 04 f0 9f 98 80"))).isEqualTo(read(hex("00 06 ed a0 bd ed b8 80")));
    // Standard and modified forms mixed in one string.
    assertThat(read(hex("00 0c 61 f0 9f 98 80 00 ed a0 bd ed b8 80"))).isEqualTo("a😀\0😀");
  }

  @Test
  void readStopsAtTheEndOfTheField() throws Exception {
    ByteBuf in = Unpooled.wrappedBuffer(hex("00 02 61 62 63 00 00"));
    assertThat(ModifiedUtf8.read(in)).isEqualTo("ab");
    assertThat(in.readableBytes()).isEqualTo(3);
    assertThat(in.readByte()).isEqualTo((byte) 0x63);
    assertThat(ModifiedUtf8.read(in)).isEmpty();
    assertThat(in.isReadable()).isFalse();
  }

  @Test
  void refusesToWriteMoreThan65535Bytes() {
    for (String s :
        List.of("a".repeat(65_536), "中".repeat(21_846), "\0".repeat(32_768), "😀".repeat(10_923))) {
      ByteBuf out = Unpooled.buffer().writeByte(0x7f);
      assertThatThrownBy(() -> ModifiedUtf8.write(out, s))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(ByteBufUtil.getBytes(out)).as("nothing written").isEqualTo(hex("7f"));
      // DataOutputStream draws the line at the same place.
      assertThatThrownBy(() -> writeUtf(s)).isInstanceOf(UTFDataFormatException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "00", "ff"})
  void missingCountIsMalformed(String bytes) {
    assertThatThrownBy(() -> ModifiedUtf8.read(Unpooled.wrappedBuffer(hex(bytes))))
        .isInstanceOf(MalformedException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"00 01", "00 03 61 62", "ff ff 61", "80 00"})
  void countPastTheEndIsMalformed(String bytes) {
    assertThatThrownBy(() -> ModifiedUtf8.read(Unpooled.wrappedBuffer(hex(bytes))))
        .isInstanceOf(MalformedException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "80",
        "bf",
        "61 80",
        "c3",
        "e6 9d",
        "f0 9f 98",
        "c3 41",
        "e6 41 8e",
        "e6 9d 41",
        "c1 bf",
        "c0 81",
        "e0 80 80",
        "e0 9f bf",
        "f0 80 80 80",
        "f0 8f bf bf",
        "f4 90 80 80",
        "f7 bf bf bf",
        "f8 88 80 80 80",
        "fc 84 80 80 80 80",
        "fe",
        "ff",
        "ed a0 bd",
        "ed b8 80",
        "61 ed a0 bd 62",
        "ed b8 80 ed a0 bd",
        "ed a0 bd f0 9f 98 80"
      })
  void invalidBytesAreMalformed(String utf) {
    byte[] f = field(hex(utf));
    assertThatThrownBy(() -> read(f)).isInstanceOf(MalformedException.class);
  }

  @Test
  void encodedLengthCountsModifiedUtf8Bytes() {
    assertThat(ModifiedUtf8.encodedLength("")).isZero();
    assertThat(ModifiedUtf8.encodedLength("a")).isEqualTo(1);
    assertThat(ModifiedUtf8.encodedLength("\0")).isEqualTo(2);
    assertThat(ModifiedUtf8.encodedLength("é")).isEqualTo(2);
    assertThat(ModifiedUtf8.encodedLength("中")).isEqualTo(3);
    assertThat(ModifiedUtf8.encodedLength("😀")).isEqualTo(6);
    assertThat(ModifiedUtf8.encodedLength(new StringBuilder("hi 你好 😀"))).isEqualTo(16);
  }
}
