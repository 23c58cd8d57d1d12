package imps.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.transport.tls.TestCa;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TlsOrPlainTest {
  @Test
  void plainHttpGoesOnWithoutATlsStageAndKeepsItsBytes() {
    EmbeddedChannel ch = new EmbeddedChannel(new TlsOrPlain(() -> null));
    // Fewer bytes than a record header: nothing decided yet.
    ch.writeInbound(Unpooled.copiedBuffer("GET", StandardCharsets.US_ASCII));
    assertThat(ch.pipeline().get(TlsOrPlain.class)).isNotNull();
    ch.writeInbound(Unpooled.copiedBuffer(" / HTTP/1.1\r\n", StandardCharsets.US_ASCII));
    assertThat(ch.pipeline().get(TlsOrPlain.class)).isNull();
    StringBuilder got = new StringBuilder();
    for (ByteBuf b; (b = ch.readInbound()) != null; ) {
      got.append(b.toString(StandardCharsets.US_ASCII));
      b.release();
    }
    assertThat(got.toString()).isEqualTo("GET / HTTP/1.1\r\n");
    ch.finishAndReleaseAll();
  }

  @Test
  void aTlsHandshakeGetsTheTlsStage() throws Exception {
    SslContext client =
        SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    // A real ClientHello, written by a client engine.
    EmbeddedChannel clientSide = new EmbeddedChannel(client.newHandler(ByteBufAllocator.DEFAULT));
    ByteBuf hello = clientSide.readOutbound();
    TestCa.Issued issued = TestCa.create().issue("localhost");
    SslContext server = SslContextBuilder.forServer(issued.key(), issued.certificate()).build();
    EmbeddedChannel ch =
        new EmbeddedChannel(new TlsOrPlain(() -> server.newHandler(ByteBufAllocator.DEFAULT)));
    ch.writeInbound(hello);
    assertThat(ch.pipeline().get(TlsOrPlain.class)).isNull();
    assertThat(ch.pipeline().get(PipelineNames.TLS)).isInstanceOf(SslHandler.class);
    // The hello reached the TLS stage, which answers it.
    assertThat((Object) ch.readOutbound()).isNotNull();
    ch.finishAndReleaseAll();
    clientSide.finishAndReleaseAll();
  }
}
