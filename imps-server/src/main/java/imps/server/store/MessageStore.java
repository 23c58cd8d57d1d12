package imps.server.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Messages and clips waiting for, or already given to, their recipient. */
public interface MessageStore {

  /**
   * Stores a message ({@code text} non-null) or clip ({@code audio} non-null) durably and returns
   * it with its id.
   */
  StoredMessage append(
      long senderId,
      String senderName,
      long recipientId,
      String text,
      byte[] audio,
      String acceptedAt);

  /**
   * Like {@link #append}, for callers that must not block: the future completes on the database
   * writer's thread once the message is committed, where dependent stages must be short (no
   * blocking, no other store write).
   */
  CompletableFuture<StoredMessage> appendAsync(
      long senderId,
      String senderName,
      long recipientId,
      String text,
      byte[] audio,
      String acceptedAt);

  /**
   * The next undelivered messages for the recipient with id &gt; {@code afterId}, in id order: at
   * most {@code maxItems}, and no more than fit {@code maxBytes} of bodies (but at least one), so
   * that a page of voice clips stays small in memory.
   */
  List<StoredMessage> undelivered(long recipientId, long afterId, int maxItems, long maxBytes);

  /** Records that these messages were written to their recipient's connection. */
  void markDelivered(List<Long> messageIds);
}
