package imps.client;

import java.util.Objects;

/**
 * A text message a friend sent.
 *
 * @param sender the friend who sent it, as registered
 * @param text the message, exactly as sent
 * @param acceptedAt when the server accepted it, {@code yyyy-MM-dd HH:mm:ss} in the server's zone
 *     (a stored message keeps its original time)
 * @param seq the server's sequence number of the message among everything stored for this user
 *     (acknowledged delivery), for {@link ImpsClient#markRead}; 0 on a legacy connection
 */
public record ReceivedMessage(String sender, String text, String acceptedAt, long seq) {
  public ReceivedMessage {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(acceptedAt, "acceptedAt");
  }

  /** A message without a sequence number (legacy connection). */
  public ReceivedMessage(String sender, String text, String acceptedAt) {
    this(sender, text, acceptedAt, 0);
  }
}
