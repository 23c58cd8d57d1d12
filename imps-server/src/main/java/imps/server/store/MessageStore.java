package imps.server.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Messages and clips waiting for, or already given to, their recipient. */
public interface MessageStore {

  /**
   * Stores a message ({@code text} non-null) or clip ({@code audio} non-null) durably with the
   * recipient's next sequence number, unless the sender stored one with the same client id before.
   */
  Appended append(NewMessage message);

  /**
   * Like {@link #append}, for callers that must not block: the future completes on the database
   * writer's thread once the message is committed, where dependent stages must be short (no
   * blocking, no other store write).
   */
  CompletableFuture<Appended> appendAsync(NewMessage message);

  /**
   * The next undelivered messages for the recipient with a sequence number above {@code afterSeq}
   * and above what the recipient acknowledged, in sequence order: at most {@code maxItems}, and no
   * more than fit {@code maxBytes} of bodies (but at least one), so that a page of voice clips
   * stays small in memory.
   */
  List<StoredMessage> undelivered(long recipientId, long afterSeq, int maxItems, long maxBytes);

  /** Records that these messages were written to their recipient's connection. */
  void markDelivered(List<Long> messageIds);

  /**
   * Records that each user (key) has every stored item up to the sequence number (value) — they
   * count as delivered; never goes back nor past what was given out — and stores a delivery receipt
   * for each sender who asked for one of the messages this acknowledges. One transaction.
   *
   * @return the receipts stored or advanced, to push to their senders
   */
  List<StoredReceipt> acknowledge(Map<Long, Long> seqsByUser);

  /**
   * The reader has read the messages from {@code peerId} up to its stored item {@code upToSeq}:
   * stores a read receipt for the peer if the peer asked for receipts and it advances.
   */
  Optional<StoredReceipt> markRead(long readerId, long peerId, long upToSeq);

  /**
   * Receipts for {@code userId} with a sequence number above {@code afterSeq} and not acknowledged.
   */
  List<StoredReceipt> unacknowledgedReceipts(long userId, long afterSeq);

  /**
   * What a history entry weighs against {@code maxBytes} in {@link #history}, besides its body:
   * room for its number, direction, time and lengths on the wire.
   */
  int HISTORY_ENTRY_OVERHEAD = 64;

  /**
   * A page of the conversation between {@code userId} and {@code peerId}, both directions, by
   * message id: with {@code newer} false the messages with an id below {@code fromId} (0: from the
   * newest), newest first; else those above {@code fromId}, oldest first. At most {@code maxItems},
   * and no more than weigh {@code maxBytes} (but at least one), where a text weighs 3 bytes per
   * char (the most modified UTF-8 takes), a clip its length, each plus {@link
   * #HISTORY_ENTRY_OVERHEAD}. Delivered or not; only messages accepted at or after {@code
   * sinceMillis} (epoch milliseconds; the retention), told by id: the first message accepted then
   * and every later id count. Reads only.
   */
  HistorySlice history(
      long userId,
      long peerId,
      long fromId,
      boolean newer,
      int maxItems,
      long maxBytes,
      long sinceMillis);
}
