package imps.protocol.codec;

import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.Receipt;
import io.netty.buffer.ByteBuf;

/**
 * Readers for the field types of section 2 that report short input as {@link MalformedException}.
 */
final class Fields {
  private Fields() {}

  static int readU8(ByteBuf in) throws MalformedException {
    need(in, 1);
    return in.readUnsignedByte();
  }

  static int readS8(ByteBuf in) throws MalformedException {
    need(in, 1);
    return in.readByte();
  }

  static int readU16(ByteBuf in) throws MalformedException {
    need(in, 2);
    return in.readUnsignedShort();
  }

  static int readI32(ByteBuf in) throws MalformedException {
    need(in, 4);
    return in.readInt();
  }

  static long readI64(ByteBuf in) throws MalformedException {
    need(in, 8);
    return in.readLong();
  }

  /** A trailing i64 extension field: 0 when the frame ends before it. */
  static long readOptionalI64(ByteBuf in) throws MalformedException {
    return in.isReadable() ? readI64(in) : 0;
  }

  static String readUtf(ByteBuf in) throws MalformedException {
    return ModifiedUtf8.read(in);
  }

  /** A Byte[] field: i32 count N with 0 &lt;= N &lt;= remaining bytes, then N bytes. */
  static byte[] readBytes(ByteBuf in) throws MalformedException {
    int n = readI32(in);
    if (n < 0 || n > in.readableBytes()) {
      throw new MalformedException("Byte[] count " + n + " out of range");
    }
    byte[] data = new byte[n];
    in.readBytes(data);
    return data;
  }

  static ClipBytes readClip(ByteBuf in) throws MalformedException {
    return ClipBytes.copyOf(readBytes(in));
  }

  static void writeClip(ByteBuf out, ClipBytes clip) {
    out.writeInt(clip.length());
    out.writeBytes(clip.asReadOnlyBuffer());
  }

  static Presence readPresence(ByteBuf in) throws MalformedException {
    int v = readU8(in);
    Presence p = Presence.valueOf(v);
    if (p == null) {
      throw new MalformedException("status " + v + " is not 0, 1 or 2");
    }
    return p;
  }

  static Gender readGender(ByteBuf in) throws MalformedException {
    int v = readU8(in);
    Gender g = Gender.valueOf(v);
    if (g == null) {
      throw new MalformedException("gender " + v + " is not 0, 1 or 2");
    }
    return g;
  }

  /** A 1/0 byte (accept/reject, registered/taken). */
  static boolean readFlag(ByteBuf in, String what) throws MalformedException {
    int v = readU8(in);
    if (v > 1) {
      throw new MalformedException(what + " " + v + " is not 0 or 1");
    }
    return v == 1;
  }

  static Receipt.State readReceiptState(ByteBuf in) throws MalformedException {
    int v = readU8(in);
    Receipt.State s = Receipt.State.valueOf(v);
    if (s == null) {
      throw new MalformedException("receipt state " + v + " is not 2 or 3");
    }
    return s;
  }

  static ErrorCode readErrorCode(ByteBuf in) throws MalformedException {
    int v = readU8(in);
    ErrorCode c = ErrorCode.of(v);
    if (c == null) {
      throw new MalformedException("unknown response code " + v);
    }
    return c;
  }

  static AddFriendResponse.Result readAddFriendResult(ByteBuf in) throws MalformedException {
    int v = readS8(in);
    AddFriendResponse.Result r = AddFriendResponse.Result.valueOf(v);
    if (r == null) {
      throw new MalformedException("S_ADDFRIEND_RSP status " + v + " is not 1, 0 or -1");
    }
    return r;
  }

  /**
   * Checks a declared element count against what is left: every element takes at least {@code
   * minElementBytes}, so a larger count cannot be honest and is refused before any allocation.
   */
  static void checkCount(ByteBuf in, long count, int minElementBytes) throws MalformedException {
    if (count < 0 || count * minElementBytes > in.readableBytes()) {
      throw new MalformedException("element count " + count + " out of range");
    }
  }

  private static void need(ByteBuf in, int n) throws MalformedException {
    if (in.readableBytes() < n) {
      throw new MalformedException("frame ends inside a field");
    }
  }
}
