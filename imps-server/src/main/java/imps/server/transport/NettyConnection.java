package imps.server.transport;

import imps.protocol.message.ImpsMessage;
import imps.server.session.Connection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/** {@link Connection} over a Netty channel. */
final class NettyConnection implements Connection {
  private final Channel channel;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile String remoteAddress;

  NettyConnection(Channel channel) {
    this.channel = channel;
    this.remoteAddress = hostOf(channel.remoteAddress());
    channel.closeFuture().addListener(f -> closed.complete(null));
  }

  /** Replaces the address with the real client's, as a PROXY protocol header gave it. */
  void setRemoteAddress(String address) {
    this.remoteAddress = address;
  }

  @Override
  public void write(ImpsMessage message, Runnable onWritten) {
    if (onWritten == null) {
      channel.write(message, channel.voidPromise());
    } else {
      channel
          .write(message)
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (f.isSuccess()) {
                      onWritten.run();
                    }
                  });
    }
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public CompletableFuture<Void> close() {
    channel.flush();
    channel.close();
    return closed;
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  private static String hostOf(SocketAddress a) {
    if (a instanceof InetSocketAddress i) {
      return i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
    }
    return String.valueOf(a);
  }
}
