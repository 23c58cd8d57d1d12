package imps.server.message;

import imps.server.cluster.SessionRouter;
import imps.server.delivery.Pushes;
import imps.server.store.MessageStore;
import imps.server.store.StoredReceipt;
import java.util.List;
import java.util.Map;

/**
 * Delivery and read receipts for senders who asked for them (the RECEIPTS extension): stored when a
 * recipient acknowledges or reads messages, and pushed to the sender's session if it is online
 * (otherwise they come with the sender's next login, like every stored item).
 */
public final class ReceiptService {
  private final MessageStore messages;
  private final SessionRouter router;

  public ReceiptService(MessageStore messages, SessionRouter router) {
    this.messages = messages;
    this.router = router;
  }

  /**
   * Records acknowledgements (user id to highest sequence number) and pushes the delivery receipts
   * they produce. Blocking: one store write.
   */
  public void acknowledged(Map<Long, Long> seqsByUser) {
    push(messages.acknowledge(seqsByUser));
  }

  /** {@code readerId} has read {@code peerId}'s messages up to its item {@code upToSeq}. */
  public void read(long readerId, long peerId, long upToSeq) {
    messages.markRead(readerId, peerId, upToSeq).ifPresent(r -> push(List.of(r)));
  }

  private void push(List<StoredReceipt> receipts) {
    for (StoredReceipt r : receipts) {
      router.deliver(r.userId(), Pushes.receipt(r.seq(), r.peerName(), r.read(), r.upTo()));
    }
  }
}
