package imps.bench;

import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.codec.FrameDecoder;
import imps.protocol.codec.FrameEncoder;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Just enough of a server for {@link UserSetup}: registration (a taken name answers 0), login (any
 * registered name, the bench password), and friend requests (a request to a user who asked first
 * makes them friends; to a friend it is accepted again). No sessions, no pushes.
 */
final class FakeServer implements AutoCloseable {
  final Set<String> users = ConcurrentHashMap.newKeySet();
  final Set<String> requests = ConcurrentHashMap.newKeySet(); // "from>to"
  final Set<String> friendships = ConcurrentHashMap.newKeySet(); // "a>b" both ways
  volatile boolean refuseRegistrations;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;

  FakeServer() throws InterruptedException {
    FrameEncoder encoder = new FrameEncoder();
    channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new FrameDecoder(), encoder, new Handler());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  private final class Handler extends SimpleChannelInboundHandler<ImpsMessage> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ImpsMessage msg) {
      ctx.writeAndFlush(answer(msg));
    }
  }

  private ImpsMessage answer(ImpsMessage msg) {
    if (msg instanceof RegisterRequest r) {
      if (refuseRegistrations) {
        return ErrorResponse.of(ErrorCode.TOO_MANY_REQUESTS, r.commandType());
      }
      return new RegisterResponse(users.add(key(r.userName())));
    }
    if (msg instanceof LoginRequest l) {
      return users.contains(key(l.userName())) && UserSetup.PASSWORD.equals(l.password())
          ? new LoginResponse(l.userName(), Gender.UNSPECIFIED, "bench@example.org")
          : ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, l.commandType());
    }
    if (msg instanceof AddFriendRequest a) {
      String from = key(a.userName());
      String to = key(a.friendName());
      if (friendships.contains(from + ">" + to) || requests.remove(to + ">" + from)) {
        friendships.add(from + ">" + to);
        friendships.add(to + ">" + from);
        return new AddFriendResponse(
            AddFriendResponse.Result.ACCEPTED, a.friendName(), Presence.ONLINE, "", "");
      }
      requests.add(from + ">" + to);
      return ErrorResponse.of(ErrorCode.SUCCESS, a.commandType());
    }
    return ErrorResponse.of(ErrorCode.SUCCESS, msg.commandType());
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
