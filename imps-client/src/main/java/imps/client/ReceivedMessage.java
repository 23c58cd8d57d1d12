package imps.client;

import java.util.Objects;

/**
 * A text message a friend sent.
 *
 * @param sender the friend who sent it, as registered
 * @param text the message, exactly as sent
 * @param acceptedAt when the server accepted it, {@code yyyy-MM-dd HH:mm:ss} in the server's zone
 *     (a stored message keeps its original time)
 */
public record ReceivedMessage(String sender, String text, String acceptedAt) {
  public ReceivedMessage {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(acceptedAt, "acceptedAt");
  }
}
