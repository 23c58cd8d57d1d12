package imps.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelAcks} on real connections of one event loop thread, which read their {@code
 * TCP_INFO} into the same buffer: a connection whose peer has everything releases its marks, one
 * whose peer stopped reading (its window closed, megabytes waiting unsent) holds them, whichever
 * read last.
 */
class KernelAcksTest {
  private EventLoopGroup group;
  private Channel server;
  private final BlockingQueue<EpollSocketChannel> accepted = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Epoll.isAvailable(), "KernelAcks needs epoll");
    // One thread: every connection's KernelAcks shares its TCP_INFO buffer.
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<EpollSocketChannel>() {
                  @Override
                  protected void initChannel(EpollSocketChannel ch) {
                    accepted.add(ch);
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  @AfterEach
  void stop() throws Exception {
    if (group != null) {
      server.close().sync();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private Socket connect(int receiveBuffer) throws Exception {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(server.localAddress());
    return s;
  }

  @Test
  void marksAreReleasedWhereThePeerHasEverythingAndHeldWhereBytesWaitUnsent() throws Exception {
    try (Socket quietPeer = connect(0);
        Socket stalledPeer = connect(64 * 1024)) {
      EpollSocketChannel quiet = accepted.poll(5, TimeUnit.SECONDS);
      EpollSocketChannel stalled = accepted.poll(5, TimeUnit.SECONDS);
      assertThat(quiet).isNotNull();
      assertThat(stalled).isNotNull();
      assertThat(stalled.eventLoop()).isSameAs(quiet.eventLoop());

      // 8 MB to a peer that reads nothing with a small receive buffer: most of it waits unsent.
      stalled.writeAndFlush(Unpooled.wrappedBuffer(new byte[8 * 1024 * 1024]));
      CountDownLatch quietAcked = new CountDownLatch(1);
      AtomicBoolean stalledAcked = new AtomicBoolean();
      quiet
          .eventLoop()
          .submit(
              () -> {
                new KernelAcks(stalled).written(() -> stalledAcked.set(true));
                new KernelAcks(quiet).written(quietAcked::countDown);
              })
          .sync();

      // Two readings at least 250 ms apart, interleaved with the stalled connection's.
      assertThat(quietAcked.await(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(1_000);
      assertThat(stalledAcked).isFalse();
      assertThat(stalled.isActive()).isTrue();
    }
  }
}
