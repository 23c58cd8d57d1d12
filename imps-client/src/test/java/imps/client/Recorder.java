package imps.client;

import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A listener that queues every event, for tests to await. */
public final class Recorder implements ImpsListener {
  public record LoggedIn(Account account) {}

  public record PresenceChange(String friend, Presence presence) {}

  public record FriendRequest(String from) {}

  public record Disconnected(boolean reconnecting) {}

  public record Reconnected(Account login) {}

  public record ReconnectFailed(Throwable cause) {}

  public record Kicked() {}

  public record ServerError(ErrorCode code) {}

  public record FriendRemoved(String friend) {}

  public record Moved(String friend, Position position, String time) {}

  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  @Override
  public void onLoggedIn(Account account) {
    events.add(new LoggedIn(account));
  }

  @Override
  public void onMessage(ReceivedMessage message) {
    events.add(message);
  }

  @Override
  public void onVoiceClip(ReceivedClip clip) {
    events.add(clip);
  }

  @Override
  public void onReceipt(MessageReceipt receipt) {
    events.add(receipt);
  }

  @Override
  public void onPresence(String friend, Presence presence) {
    events.add(new PresenceChange(friend, presence));
  }

  @Override
  public void onFriendMoved(String friend, Position position, String time) {
    events.add(new Moved(friend, position, time));
  }

  @Override
  public void onFriendRequest(String from) {
    events.add(new FriendRequest(from));
  }

  @Override
  public void onFriendRequestOutcome(FriendRequestOutcome outcome) {
    events.add(outcome);
  }

  @Override
  public void onFriendRemoved(String friend) {
    events.add(new FriendRemoved(friend));
  }

  @Override
  public void onLoggedInElsewhere() {
    events.add(new Kicked());
  }

  @Override
  public void onServerError(ErrorCode code) {
    events.add(new ServerError(code));
  }

  @Override
  public void onDisconnected(Throwable cause, boolean reconnecting) {
    events.add(new Disconnected(reconnecting));
  }

  @Override
  public void onReconnected(Account login) {
    events.add(new Reconnected(login));
  }

  @Override
  public void onReconnectFailed(Throwable cause) {
    events.add(new ReconnectFailed(cause));
  }

  /** Skips events until one of {@code type} matches, within 10 s. */
  public <T> T await(Class<T> type, Predicate<T> p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      long left = deadline - System.nanoTime();
      Object o = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (o == null) {
        throw new AssertionError("no matching " + type.getSimpleName() + " within 10 s");
      }
      if (type.isInstance(o) && p.test(type.cast(o))) {
        return type.cast(o);
      }
    }
  }

  public <T> T await(Class<T> type) throws InterruptedException {
    return await(type, x -> true);
  }

  /** The next event within {@code millis}, or {@code null}. */
  public Object poll(long millis) throws InterruptedException {
    return events.poll(millis, TimeUnit.MILLISECONDS);
  }
}
