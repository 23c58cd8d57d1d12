package imps.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.function.Supplier;

/**
 * The first stage of a web connection when TLS is configured (and not required): once the first
 * record header has arrived, a TLS handshake gets a TLS stage in its place, anything else (plain
 * HTTP) goes on without one. So one port serves {@code https://} and {@code wss://} as well as
 * {@code http://} and {@code ws://}. The bytes read so far go on to whichever stage follows.
 */
final class TlsOrPlain extends ByteToMessageDecoder {
  // A TLS record header: type, version (2), length (2).
  private static final int RECORD_HEADER = 5;

  private final Supplier<SslHandler> tls;

  TlsOrPlain(Supplier<SslHandler> tls) {
    this.tls = tls;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < RECORD_HEADER) {
      return;
    }
    if (SslHandler.isEncrypted(in, false)) {
      ctx.pipeline().replace(this, PipelineNames.TLS, tls.get());
    } else {
      ctx.pipeline().remove(this);
    }
  }
}
