package imps.protocol.codec;

import imps.protocol.CommandType;
import imps.protocol.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frames and decodes each into an {@link
 * imps.protocol.message.ImpsMessage}, or into a {@link DecodeError} when it is malformed.
 *
 * <p>Nothing escapes as an exception. After a {@link DecodeError.Kind#FRAMING} error (bad tag,
 * Content-Length 0) the stream cannot be trusted, so every later byte is discarded; the handler
 * downstream is expected to answer and close. Not sharable: one instance per channel.
 *
 * <p>Limits: a heartbeat may carry at most {@code maxFixes} fixes; one with more becomes a {@link
 * DecodeError.Kind#OVER_LIMIT} error before any fix is decoded, since a decoded fix takes about
 * nineteen times its wire size on the heap. While {@linkplain #setPaused paused}, nothing is
 * decoded: bytes already read stay in the buffer as they are, so a handler that stops reading also
 * stops the growth of decoded requests.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private static final byte TAG_0 = 'O';
  private static final byte TAG_1 = 'K';

  /** No limit on the fixes of a heartbeat (a client decodes what the server sends). */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  private final int maxFixes;
  private boolean broken;
  private boolean paused;

  /** A decoder without limits beyond the frame's own. */
  public FrameDecoder() {
    this(UNLIMITED);
  }

  /**
   * @param maxFixes the most fixes a C_HEARTBEAT_REQ may carry
   */
  public FrameDecoder(int maxFixes) {
    this.maxFixes = maxFixes;
  }

  /** Stops decoding until {@link #resume}. */
  public void pause() {
    this.paused = true;
  }

  /**
   * Resumes decoding and decodes the frames already buffered. Call on the channel's event loop,
   * with the pipeline this decoder is in.
   */
  public void resume(ChannelPipeline pipeline) {
    paused = false;
    ChannelHandlerContext ctx = pipeline.context(this);
    if (ctx == null) {
      return;
    }
    try {
      channelRead(ctx, Unpooled.EMPTY_BUFFER);
    } catch (Exception e) {
      ctx.fireExceptionCaught(e);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (broken) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (paused) {
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
    if (maxFixes != UNLIMITED && overFixLimit(content)) {
      out.add(
          new DecodeError(
              DecodeError.Kind.OVER_LIMIT,
              CommandType.C_HEARTBEAT_REQ.value(),
              "more than " + maxFixes + " fixes"));
      return;
    }
    out.add(decodeContent(content));
  }

  /** Whether {@code content} is a heartbeat declaring more fixes than allowed (not consumed). */
  private boolean overFixLimit(ByteBuf content) {
    int start = content.readerIndex();
    if (content.getUnsignedByte(start) != CommandType.C_HEARTBEAT_REQ.value()
        || content.readableBytes() < 3) {
      return false;
    }
    int nameBytes = content.getUnsignedShort(start + 1);
    int countAt = start + 3 + nameBytes;
    if (countAt + 4 > content.writerIndex()) {
      return false;
    }
    long count = content.getInt(countAt);
    // A count the frame cannot hold is malformed, not over the limit: the codec says so.
    long left = content.writerIndex() - (countAt + 4L);
    return count > maxFixes && count * Codecs.MIN_FIX_BYTES <= left;
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
