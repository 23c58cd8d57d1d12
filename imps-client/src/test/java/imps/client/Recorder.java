package imps.client;

import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A listener that queues every event, for tests to await. */
public final class Recorder implements ImpsListener {
  public record Disconnected(boolean reconnecting) {}

  public record Reconnected(LoginResponse login) {}

  public record ReconnectFailed(Throwable cause) {}

  public record Kicked() {}

  public record ServerError(imps.protocol.ErrorCode code) {}

  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  @Override
  public void onMessage(MessagePush message) {
    events.add(message);
  }

  @Override
  public void onVoiceClip(AudioPush clip) {
    events.add(clip);
  }

  @Override
  public void onPresence(StatusNotifyPush presence) {
    events.add(presence);
  }

  @Override
  public void onFriendRequest(FriendRequestPush request) {
    events.add(request);
  }

  @Override
  public void onFriendRequestOutcome(AddFriendResponse outcome) {
    events.add(outcome);
  }

  @Override
  public void onLoggedInElsewhere() {
    events.add(new Kicked());
  }

  @Override
  public void onServerError(imps.protocol.ErrorCode code) {
    events.add(new ServerError(code));
  }

  @Override
  public void onDisconnected(Throwable cause, boolean reconnecting) {
    events.add(new Disconnected(reconnecting));
  }

  @Override
  public void onReconnected(LoginResponse login) {
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
