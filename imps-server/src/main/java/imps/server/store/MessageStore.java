package imps.server.store;

import java.util.List;

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
   * Up to {@code limit} undelivered messages for the recipient with id &gt; {@code afterId}, in id
   * order.
   */
  List<StoredMessage> undelivered(long recipientId, long afterId, int limit);

  /** Records that these messages were written to their recipient's connection. */
  void markDelivered(List<Long> messageIds);
}
