package imps.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.message.ImpsMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: hex, frame building, and decoding through a real Netty pipeline. */
final class Frames {
  private Frames() {}

  /** Parses hex with optional whitespace, e.g. {@code "4f 4b 00 01 04"}. */
  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
  }

  /** Lower-case hex, bytes separated by spaces. */
  static String hex(byte[] b) {
    return HexFormat.ofDelimiter(" ").formatHex(b);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A frame around {@code content} (CMDTYPE and fields), with the right Content-Length. */
  static byte[] frame(byte[] content) {
    if (content.length > 0xFFFF) {
      throw new IllegalArgumentException("content too long");
    }
    return concat(
        new byte[] {'O', 'K', (byte) (content.length >> 8), (byte) content.length}, content);
  }

  /** A frame of {@code cmd} whose fields are the given hex. */
  static byte[] frame(imps.protocol.CommandType cmd, String fieldsHex) {
    return frame(cmd.value(), fieldsHex);
  }

  static byte[] frame(int cmd, String fieldsHex) {
    return frame(concat(new byte[] {(byte) cmd}, hex(fieldsHex)));
  }

  /** The content (CMDTYPE and fields) of a complete frame. */
  static byte[] content(byte[] frame) {
    return java.util.Arrays.copyOfRange(frame, 4, frame.length);
  }

  /** Encodes with {@link FrameEncoder#encode}, into a pooled (leak-tracked) buffer. */
  static byte[] encode(ImpsMessage message) {
    ByteBuf buf = FrameEncoder.encode(message, ByteBufAllocator.DEFAULT);
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  /**
   * An allocator whose buffers Netty's (paranoid) leak detector does not track. Paranoid tracking
   * records a stack trace on every buffer access, which makes 64 KiB frames take a second each;
   * tests of such frames use this allocator.
   */
  static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(false, true);

  /** Encodes with {@link FrameEncoder#encode} into a buffer of {@code alloc}. */
  static byte[] encode(ImpsMessage message, ByteBufAllocator alloc) {
    ByteBuf buf = FrameEncoder.encode(message, alloc);
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  /** Like {@link #decodeOne} but with untracked buffers, for large frames. */
  static Object decodeOneUntracked(byte[] frame) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(UNTRACKED);
    channel.pipeline().addLast(new FrameDecoder());
    channel.writeInbound(Unpooled.wrappedBuffer(frame));
    List<Object> decoded = new ArrayList<>();
    drain(channel, decoded);
    assertThat(channel.finish()).isFalse();
    assertThat(decoded).hasSize(1);
    return decoded.get(0);
  }

  /** A pooled (leak-tracked) buffer holding {@code bytes}; the receiver must release it. */
  static ByteBuf buffer(byte[] bytes) {
    return ByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
  }

  /**
   * Feeds every chunk, in order, to a fresh {@link FrameDecoder} in an {@link EmbeddedChannel};
   * returns everything it produced. Asserts that finishing the channel leaves nothing behind.
   */
  static List<Object> decode(byte[]... chunks) {
    return decodeWith(ByteBufAllocator.DEFAULT, chunks);
  }

  /** Like {@link #decode}, with buffers (input and cumulation) from {@code alloc}. */
  static List<Object> decodeWith(ByteBufAllocator alloc, byte[]... chunks) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(alloc);
    channel.pipeline().addLast(new FrameDecoder());
    List<Object> decoded = new ArrayList<>();
    for (byte[] chunk : chunks) {
      channel.writeInbound(alloc.buffer(chunk.length).writeBytes(chunk));
      drain(channel, decoded);
    }
    assertThat(channel.finish()).as("messages left after finish").isFalse();
    List<Object> late = new ArrayList<>();
    drain(channel, late);
    assertThat(late).as("produced only at finish").isEmpty();
    return decoded;
  }

  /** Feeds {@code bytes} one byte at a time. */
  static List<Object> decodeByteByByte(byte[] bytes) {
    byte[][] chunks = new byte[bytes.length][];
    for (int i = 0; i < bytes.length; i++) {
      chunks[i] = new byte[] {bytes[i]};
    }
    return decode(chunks);
  }

  /** Decodes {@code frame}, asserting it yields exactly one object. */
  static Object decodeOne(byte[] frame) {
    List<Object> out = decode(frame);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  /** Decodes {@code frame}, asserting it yields a {@link DecodeError}. */
  static DecodeError decodeError(byte[] frame) {
    Object out = decodeOne(frame);
    assertThat(out).isInstanceOf(DecodeError.class);
    return (DecodeError) out;
  }

  private static void drain(EmbeddedChannel channel, List<Object> into) {
    for (Object o; (o = channel.readInbound()) != null; ) {
      into.add(o);
    }
  }
}
