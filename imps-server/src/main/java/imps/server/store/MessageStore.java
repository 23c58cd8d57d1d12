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
   * Like {@link #appendAsync(NewMessage)}, but nothing is stored ({@link Appended#overQuota}) when
   * the recipient already has {@code quota.items()} undelivered messages, or their bodies and this
   * one's would pass {@code quota.bytes()}. Checked in the same transaction as the insert. (Only a
   * wrapper that injects faults in tests leaves this default, which enforces no quota.)
   */
  default CompletableFuture<Appended> appendAsync(NewMessage message, Quota quota) {
    return appendAsync(message);
  }

  /**
   * Most undelivered messages, and bytes of their bodies as stored (the UTF-8 of a text, the bytes
   * of a clip), a recipient may have waiting.
   */
  record Quota(int items, long bytes) {
    public static final Quota NONE = new Quota(Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * Purges what was delivered (written to a legacy connection, or acknowledged) and created before
   * {@code bodiesBefore}: messages without a client id or receipts are deleted; the others lose
   * their bodies but keep their row (a resend with the same client id is still recognised, a read
   * receipt still found) until {@code rowsBefore}, when they are deleted too.
   *
   * @return rows deleted or emptied
   */
  int purgeDelivered(java.time.Instant bodiesBefore, java.time.Instant rowsBefore);

  /**
   * The next undelivered messages for the recipient with a sequence number above {@code afterSeq}
   * and above what the recipient acknowledged, in sequence order: at most {@code maxItems}, and no
   * more than fit {@code maxBytes} of bodies (but at least one), so that a page of voice clips
   * stays small in memory.
   */
  List<StoredMessage> undelivered(long recipientId, long afterSeq, int maxItems, long maxBytes);

  /**
   * Records that these messages were written to their recipient's connection. (They count as
   * delivered, and acknowledged ones too, once {@link #acknowledge} recorded them.)
   */
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
   * advances the reader's read mark for the peer (the unread counts), and stores a read receipt for
   * the peer if the peer asked for receipts and it advances. One transaction.
   */
  Optional<StoredReceipt> markRead(long readerId, long peerId, long upToSeq);

  /**
   * How many messages and clips from each friend {@code userId} has not read: those after the
   * newest one a C_READ covered ({@link #markRead}), each friend's counted up to {@code cap}. Reads
   * only.
   */
  UnreadTally unread(long userId, int cap);

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
