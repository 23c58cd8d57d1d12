package imps.server.session;

import imps.protocol.message.StatusNotifyPush;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.Push;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The pushes a session holds back while a backlog is being written, bounded in bytes.
 *
 * <p>Stored items (messages, clips, outcomes) are held while they fit {@code maxBytes}; the first
 * one that does not fit, and every stored item after it, is dropped and {@link #droppedStored}
 * turns true: they are in the store, so another backlog pass sends them, in order, instead.
 * Presence changes are coalesced to the latest per friend (only what a friend sees now matters),
 * and friend-request pushes are kept (their number is capped where requests are made), so memory
 * stays bounded whatever arrives. Not thread-safe: the session guards it.
 */
final class HeldPushes {
  private final long maxBytes;
  private final List<Push> pushes = new ArrayList<>();
  private long bytes;
  private boolean droppedStored;

  HeldPushes(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  void add(Push p) {
    if (p.isStoredItem()) {
      if (droppedStored || bytes + p.weight() > maxBytes) {
        droppedStored = true;
        return;
      }
    } else if (p.frame() instanceof StatusNotifyPush s) {
      pushes.removeIf(
          q -> q.frame() instanceof StatusNotifyPush t && t.userName().equals(s.userName()));
    }
    pushes.add(p);
    bytes += p.weight();
  }

  /** Whether stored items were dropped: another backlog pass must send them. */
  boolean droppedStored() {
    return droppedStored;
  }

  /** Forgets the drop, for the next backlog pass, keeping what is held. */
  void clearDropped() {
    droppedStored = false;
  }

  /** Removes the pushes of items a backlog has just sent. */
  void removeSent(Set<DeliveryMark> sent) {
    pushes.removeIf(p -> p.mark() != null && sent.contains(p.mark()));
    bytes = 0;
    for (Push p : pushes) {
      bytes += p.weight();
    }
  }

  /** The held pushes, in arrival order. */
  List<Push> pushes() {
    return pushes;
  }

  long bytes() {
    return bytes;
  }
}
