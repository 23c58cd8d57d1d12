package imps.protocol.codec;

import io.netty.buffer.ByteBuf;

/**
 * The UTF field: a u16 byte count, then Java's <em>modified UTF-8</em> (what {@link
 * java.io.DataOutput#writeUTF(String)} writes): U+0000 as {@code C0 80}, supplementary characters
 * as two 3-byte surrogates. Reading also accepts standard UTF-8 (a plain {@code 00} byte and 4-byte
 * sequences), so clients that encode with a standard encoder work too.
 *
 * <p>Wire bytes of "hi😀": {@code 00 08 68 69 ed a0 bd ed b8 80}.
 *
 * <p>Decoding refuses, as {@link MalformedException}: a count past the end of the frame, a stray
 * continuation byte, a truncated or overlong multi-byte sequence (except {@code C0 80}), a code
 * point above U+10FFFF, and an unpaired surrogate (which no valid text contains and which standard
 * storage engines cannot hold).
 */
public final class ModifiedUtf8 {
  private ModifiedUtf8() {}

  /** The number of bytes {@code s} takes in modified UTF-8, without the count prefix. */
  public static int encodedLength(CharSequence s) {
    int n = 0;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x0001 && c <= 0x007F) {
        n += 1;
      } else if (c <= 0x07FF) {
        n += 2;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Writes the u16 count and the bytes of {@code s}.
   *
   * @throws IllegalArgumentException when {@code s} takes more than 65535 bytes
   */
  public static void write(ByteBuf out, String s) {
    int len = encodedLength(s);
    if (len > 0xFFFF) {
      throw new IllegalArgumentException("UTF field too long: " + len + " bytes");
    }
    out.ensureWritable(2 + len);
    out.writeShort(len);
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x0001 && c <= 0x007F) {
        out.writeByte(c);
      } else if (c <= 0x07FF) {
        out.writeByte(0xC0 | (c >> 6));
        out.writeByte(0x80 | (c & 0x3F));
      } else {
        out.writeByte(0xE0 | (c >> 12));
        out.writeByte(0x80 | ((c >> 6) & 0x3F));
        out.writeByte(0x80 | (c & 0x3F));
      }
    }
  }

  /** Reads a u16 count and that many bytes, and decodes them. */
  public static String read(ByteBuf in) throws MalformedException {
    if (in.readableBytes() < 2) {
      throw new MalformedException("UTF length missing");
    }
    int len = in.readUnsignedShort();
    if (in.readableBytes() < len) {
      throw new MalformedException("UTF string runs past the end of the frame");
    }
    int start = in.readerIndex();
    in.skipBytes(len);
    return decode(in, start, len);
  }

  private static String decode(ByteBuf in, int start, int len) throws MalformedException {
    char[] chars = new char[len];
    int n = 0;
    int i = start;
    int end = start + len;
    // Fast path for ASCII, the common case for names, times and locations.
    while (i < end) {
      byte b = in.getByte(i);
      if (b <= 0) {
        break;
      }
      chars[n++] = (char) b;
      i++;
    }
    while (i < end) {
      int b0 = in.getByte(i++) & 0xFF;
      if (b0 < 0x80) {
        chars[n++] = (char) b0;
      } else if (b0 < 0xC0) {
        throw new MalformedException("stray UTF continuation byte");
      } else if (b0 < 0xE0) {
        int b1 = continuation(in, i++, end);
        int c = ((b0 & 0x1F) << 6) | b1;
        if (c < 0x80 && c != 0) {
          throw new MalformedException("overlong UTF sequence");
        }
        chars[n++] = (char) c;
      } else if (b0 < 0xF0) {
        int b1 = continuation(in, i++, end);
        int b2 = continuation(in, i++, end);
        int c = ((b0 & 0x0F) << 12) | (b1 << 6) | b2;
        if (c < 0x800) {
          throw new MalformedException("overlong UTF sequence");
        }
        chars[n++] = (char) c;
      } else if (b0 < 0xF5) {
        int b1 = continuation(in, i++, end);
        int b2 = continuation(in, i++, end);
        int b3 = continuation(in, i++, end);
        int cp = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
        if (cp < 0x10000 || cp > 0x10FFFF) {
          throw new MalformedException("invalid 4-byte UTF sequence");
        }
        chars[n++] = Character.highSurrogate(cp);
        chars[n++] = Character.lowSurrogate(cp);
      } else {
        throw new MalformedException("invalid UTF lead byte");
      }
    }
    checkSurrogates(chars, n);
    return new String(chars, 0, n);
  }

  private static int continuation(ByteBuf in, int i, int end) throws MalformedException {
    if (i >= end) {
      throw new MalformedException("truncated UTF sequence");
    }
    int b = in.getByte(i) & 0xFF;
    if ((b & 0xC0) != 0x80) {
      throw new MalformedException("bad UTF continuation byte");
    }
    return b & 0x3F;
  }

  private static void checkSurrogates(char[] chars, int n) throws MalformedException {
    for (int i = 0; i < n; i++) {
      char c = chars[i];
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(chars[i + 1])) {
          i++;
        } else {
          throw new MalformedException("unpaired surrogate in UTF string");
        }
      } else if (Character.isLowSurrogate(c)) {
        throw new MalformedException("unpaired surrogate in UTF string");
      }
    }
  }
}
