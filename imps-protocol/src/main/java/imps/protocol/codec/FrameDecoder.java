package imps.protocol.codec;

import imps.protocol.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frames and decodes each into an {@link
 * imps.protocol.message.ImpsMessage}, or into a {@link DecodeError} when it is malformed.
 *
 * <p>Nothing escapes as an exception. After a {@link DecodeError.Kind#FRAMING} error (bad tag,
 * Content-Length 0) the stream cannot be trusted, so every later byte is discarded; the handler
 * downstream is expected to answer and close. Not sharable: one instance per channel.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private static final byte TAG_0 = 'O';
  private static final byte TAG_1 = 'K';

  private boolean broken;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (broken) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    int readable = in.readableBytes();
    // Check the tag as soon as its bytes arrive, so garbage is refused without waiting for more.
    if (readable >= 1 && in.getByte(start) != TAG_0
        || readable >= 2 && in.getByte(start + 1) != TAG_1) {
      fail(in, out, "bad frame tag");
      return;
    }
    if (readable < Limits.HEADER_LENGTH) {
      return;
    }
    int length = in.getUnsignedShort(start + 2);
    if (length == 0) {
      fail(in, out, "Content-Length 0");
      return;
    }
    if (readable < Limits.HEADER_LENGTH + length) {
      return;
    }
    in.skipBytes(Limits.HEADER_LENGTH);
    ByteBuf content = in.readSlice(length);
    out.add(decodeContent(content));
  }

  /** Decodes one frame's content (CMDTYPE and fields); never throws. */
  public static Object decodeContent(ByteBuf content) {
    int cmd = content.readUnsignedByte();
    CommandCodec<?> codec = Codecs.forType(cmd);
    if (codec == null) {
      return new DecodeError(DecodeError.Kind.UNKNOWN_COMMAND, cmd, "unknown CMDTYPE " + cmd);
    }
    try {
      return codec.read(content);
    } catch (MalformedException e) {
      return new DecodeError(DecodeError.Kind.MALFORMED_FIELDS, cmd, e.getMessage());
    } catch (RuntimeException e) {
      // Defence in depth: a reader bug must not kill the connection's pipeline either.
      return new DecodeError(DecodeError.Kind.MALFORMED_FIELDS, cmd, e.toString());
    }
  }

  private void fail(ByteBuf in, List<Object> out, String reason) {
    broken = true;
    in.skipBytes(in.readableBytes());
    out.add(new DecodeError(DecodeError.Kind.FRAMING, 0, reason));
  }
}
