package imps.protocol.message;

import imps.protocol.CommandType;
import java.util.List;
import java.util.Objects;

/**
 * {@code S_UNREAD_RSP} (55): the reply to {@code C_UNREAD_REQ}.
 *
 * @param asOfSeq the user's last stored item when counted: every message counted has a sequence
 *     number up to this one, and a C_READ up to it marks them all read
 * @param friends the friends with unread messages, in name order; an unmodifiable copy is kept
 */
public record UnreadCounts(long asOfSeq, List<Friend> friends) implements ImpsMessage {
  /** The server counts each friend's unread messages up to this many. */
  public static final int MAX_COUNT = 1000;

  public UnreadCounts {
    friends = List.copyOf(friends);
  }

  /**
   * One friend's unread messages and clips.
   *
   * @param name the friend
   * @param count how many (at most the server's cap; more are counted as the cap)
   */
  public record Friend(String name, int count) {
    public Friend {
      Objects.requireNonNull(name, "name");
    }
  }

  @Override
  public CommandType commandType() {
    return CommandType.S_UNREAD_RSP;
  }
}
