package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code S_RECEIPT} (37): what became of the client's own messages to {@code peer}: every one with
 * a client message id up to {@code upToClientMsgId} has reached that state. Comes as the item of an
 * {@code S_STORED}.
 */
public record Receipt(String peer, long upToClientMsgId, State state) implements ImpsMessage {

  /** How far the messages got. */
  public enum State {
    DELIVERED(2),
    READ(3);

    private final int value;

    State(int value) {
      this.value = value;
    }

    /** The State byte. */
    public int value() {
      return value;
    }

    /** The state of a byte, or {@code null} when it is not a defined one. */
    public static State valueOf(int value) {
      return switch (value) {
        case 2 -> DELIVERED;
        case 3 -> READ;
        default -> null;
      };
    }
  }

  @Override
  public CommandType commandType() {
    return CommandType.S_RECEIPT;
  }
}
