package imps.client;

import java.util.Objects;

/**
 * What became of this user's own messages to {@code peer}: every message sent to {@code peer} with
 * an id up to and including {@code upToMessageId} (the ids {@link ImpsClient#sendMessage} and
 * {@link ImpsClient#sendVoice} complete with) has reached {@code status}. Receipts are cumulative
 * and come in order: a read receipt also means delivered.
 *
 * @param peer the friend the messages went to, as registered
 * @param upToMessageId the highest message id the receipt covers
 * @param status how far the messages got
 */
public record MessageReceipt(String peer, long upToMessageId, Status status) {

  /** How far a message got (beyond stored, which its send's future reports). */
  public enum Status {
    /** The friend's client acknowledged it: it reached the friend's application. */
    DELIVERED,
    /** The friend's application marked it read ({@link ImpsClient#markRead}). */
    READ
  }

  public MessageReceipt {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(status, "status");
  }

  /** Whether this receipt covers the message with id {@code messageId} sent to {@code peer}. */
  public boolean covers(String peer, long messageId) {
    return messageId > 0 && messageId <= upToMessageId && Correlator.sameName(this.peer, peer);
  }
}
