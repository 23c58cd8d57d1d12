package imps.server.store;

import java.util.List;

/**
 * How many messages from each friend a user has not read (C_UNREAD_REQ).
 *
 * @param asOfSeq the user's last sequence number when counted: every message counted has one up to
 *     this
 * @param friends the friends with unread messages, in name order
 */
public record UnreadTally(long asOfSeq, List<Friend> friends) {
  public UnreadTally {
    friends = List.copyOf(friends);
  }

  /** A friend's name and how many of their messages and clips are unread (at most the cap). */
  public record Friend(String name, int count) {}
}
