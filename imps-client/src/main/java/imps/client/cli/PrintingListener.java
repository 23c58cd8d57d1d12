package imps.client.cli;

import imps.client.FriendRequestOutcome;
import imps.client.ImpsListener;
import imps.client.Position;
import imps.client.ReceivedClip;
import imps.client.ReceivedMessage;
import imps.protocol.Presence;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;

/**
 * Prints what the server pushes, one line per event ({@link EventFormat}), and saves received
 * clips. The one listener of the terminal client: the chat, {@code recv} and the other one-shot
 * commands differ only in where the lines go and in what they add.
 *
 * <p>It also remembers whose friend requests are waiting, and which of them this user is accepting:
 * the server confirms an accept with a push ("you and X are now friends"), which the answer itself
 * already reported, so that push is not printed a second time.
 *
 * <p>Called on the client's event thread; the sets are concurrent because commands read them.
 */
class PrintingListener implements ImpsListener {
  private final Consumer<String> out;
  private final Path clipDir;
  private final Set<String> requesters = new ConcurrentSkipListSet<>(String.CASE_INSENSITIVE_ORDER);
  private final Set<String> accepting = new ConcurrentSkipListSet<>(String.CASE_INSENSITIVE_ORDER);
  private volatile Position me;

  /**
   * @param out where lines go; must be thread-safe
   * @param clipDir where received clips are saved
   */
  PrintingListener(Consumer<String> out, Path clipDir) {
    this.out = out;
    this.clipDir = clipDir;
  }

  /**
   * The user's own position, from which friends' new positions are shown as distance and direction
   * ({@link #onFriendMoved}); {@code null}: without.
   */
  final void me(Position position) {
    me = position;
  }

  /** Prints one line. */
  final void print(String line) {
    out.accept(line);
  }

  /** Users whose friend requests are waiting for an answer, in name order. */
  final List<String> pendingRequests() {
    return List.copyOf(requesters);
  }

  /** Whether {@code user} asked this user to be friends during this session. */
  final boolean hadRequestFrom(String user) {
    return requesters.contains(user);
  }

  /** Call before answering {@code user}'s request; {@link #answerFailed} if the answer fails. */
  final void answering(String user, boolean accept) {
    if (accept) {
      accepting.add(user);
    }
  }

  /** The answer to {@code user}'s request went through: it is no longer waiting. */
  final void answered(String user) {
    requesters.remove(user);
  }

  /** The answer to {@code user}'s request failed: expect no confirmation. */
  final void answerFailed(String user) {
    accepting.remove(user);
  }

  /** Text added after a friend request, e.g. how to answer it; empty by default. */
  String requestHint(String from) {
    return "";
  }

  @Override
  public void onMessage(ReceivedMessage m) {
    print(EventFormat.message(m));
  }

  @Override
  public void onVoiceClip(ReceivedClip clip) {
    try {
      print(EventFormat.voice(clip, Clips.save(clipDir, clip).toString()));
    } catch (IOException e) {
      print(
          EventFormat.voice(clip, null)
              + "; error: cannot save it in "
              + clipDir
              + ": "
              + Clips.problem(e));
    }
  }

  @Override
  public void onPresence(String friend, Presence presence) {
    print(EventFormat.presence(friend, presence));
  }

  @Override
  public void onFriendRequest(String from) {
    requesters.add(from);
    print(EventFormat.friendRequest(from) + requestHint(from));
  }

  @Override
  public void onFriendRequestOutcome(FriendRequestOutcome outcome) {
    if (outcome.result() == FriendRequestOutcome.Result.ACCEPTED) {
      requesters.remove(outcome.user());
      if (accepting.remove(outcome.user())) {
        return; // the confirmation of this user's own accept, reported by the answer
      }
    }
    print(EventFormat.outcome(outcome));
  }

  @Override
  public void onLoggedInElsewhere() {
    print("logged in elsewhere; this session was closed");
  }

  @Override
  public void onFriendMoved(String friend, Position position, String time) {
    print(EventFormat.moved(friend, position, time, me));
  }

  @Override
  public void onFriendRemoved(String friend) {
    print(friend + " is no longer your friend");
  }
}
