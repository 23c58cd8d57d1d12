package imps.server.cluster.redis;

import imps.protocol.Presence;
import imps.server.cluster.RoutedSession;
import imps.server.delivery.Push;
import java.util.ArrayList;
import java.util.List;

/** A {@link RoutedSession} that records what the router asks of it. */
final class FakeSession implements RoutedSession {
  final long userId;
  final String name;
  boolean visible = true;
  boolean holds;
  int resends;
  final List<Push> delivered = new ArrayList<>();

  FakeSession(long userId, String name) {
    this.userId = userId;
    this.name = name;
  }

  @Override
  public long userId() {
    return userId;
  }

  @Override
  public String userName() {
    return name;
  }

  @Override
  public boolean isVisible() {
    return visible;
  }

  @Override
  public boolean deliver(Push push) {
    delivered.add(push);
    return true;
  }

  @Override
  public void closeByOperator() {}

  @Override
  public Presence replaceByNewerLogin() {
    return visible ? Presence.ONLINE : Presence.OFFLINE;
  }

  @Override
  public void awaitClosed() {}

  @Override
  public boolean holdForResync() {
    if (holds) {
      return false;
    }
    holds = true;
    return true;
  }

  @Override
  public void resendStored() {
    resends++;
    holds = false;
  }
}
