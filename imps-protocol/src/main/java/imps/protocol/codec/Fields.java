package imps.protocol.codec;

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

  static void writeBytes(ByteBuf out, byte[] data) {
    out.writeInt(data.length);
    out.writeBytes(data);
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
