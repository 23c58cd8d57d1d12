package imps.protocol.codec;

import imps.protocol.Limits;
import imps.protocol.message.ImpsMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes an {@link ImpsMessage} as one frame: {@code 'O' 'K'}, u16 Content-Length, CMDTYPE,
 * fields. Stateless and sharable.
 *
 * <p>A message whose content would exceed 65535 bytes is refused with an {@link EncoderException}
 * and nothing is written: the server keeps data within limits so that this never happens.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<ImpsMessage> {

  public FrameEncoder() {
    super(ImpsMessage.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ImpsMessage msg, ByteBuf out) {
    encodeTo(msg, out);
  }

  /** Encodes one frame into a new buffer of {@code alloc}; the caller owns (releases) it. */
  public static ByteBuf encode(ImpsMessage msg, ByteBufAllocator alloc) {
    ByteBuf out = alloc.buffer();
    try {
      encodeTo(msg, out);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** Appends one frame to {@code out}. */
  public static void encodeTo(ImpsMessage msg, ByteBuf out) {
    int start = out.writerIndex();
    out.writeByte('O');
    out.writeByte('K');
    out.writeShort(0);
    out.writeByte(msg.commandType().value());
    try {
      Codecs.writeFields(msg, out);
    } catch (RuntimeException e) {
      // Not only the IllegalArgumentException of an over-long field: a null field (a caller bug)
      // fails half-way too, and must not leave a partial frame in the caller's buffer either.
      out.writerIndex(start);
      throw new EncoderException(e.getMessage(), e);
    }
    int length = out.writerIndex() - start - Limits.HEADER_LENGTH;
    if (length > Limits.MAX_CONTENT_LENGTH) {
      out.writerIndex(start);
      throw new EncoderException(
          "frame content of " + length + " bytes exceeds " + Limits.MAX_CONTENT_LENGTH);
    }
    out.setShort(start + 2, length);
  }
}
