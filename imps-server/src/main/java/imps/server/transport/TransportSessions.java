package imps.server.transport;

import imps.protocol.Feature;
import imps.protocol.message.ImpsMessage;
import imps.server.delivery.Push;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** {@link LiveSessions} over the server's open connections. */
final class TransportSessions implements LiveSessions {
  private final ChannelGroup channels;
  private final Function<Channel, String> transportOf;

  TransportSessions(ChannelGroup channels, Function<Channel, String> transportOf) {
    this.channels = channels;
    this.transportOf = transportOf;
  }

  @Override
  public List<Info> list() {
    List<Info> out = new ArrayList<>();
    for (Channel ch : channels) {
      ConnectionHandler h = ch.pipeline().get(ConnectionHandler.class);
      if (h != null && h.session().isLoggedIn() && ch.isActive()) {
        out.add(
            new Info(
                h.session().userName(),
                h.connection().remoteAddress(),
                transportOf.apply(ch),
                h.connectedAt()));
      }
    }
    out.sort(Comparator.comparing(Info::user, String.CASE_INSENSITIVE_ORDER));
    return out;
  }

  @Override
  public int kick(String nameKey) {
    int n = 0;
    for (Channel ch : channels) {
      ConnectionHandler h = ch.pipeline().get(ConnectionHandler.class);
      if (h != null && h.session().isLoggedIn() && nameKey.equals(h.session().nameKey())) {
        h.connection().close();
        n++;
      }
    }
    return n;
  }

  @Override
  public int notify(ImpsMessage notice, Feature feature) {
    int n = 0;
    for (Channel ch : channels) {
      ConnectionHandler h = ch.pipeline().get(ConnectionHandler.class);
      if (h != null
          && h.session().isLoggedIn()
          && h.session().has(feature)
          && h.session().deliver(Push.of(notice))) {
        n++;
      }
    }
    return n;
  }
}
