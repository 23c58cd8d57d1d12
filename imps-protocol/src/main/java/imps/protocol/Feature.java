package imps.protocol;

import java.util.EnumSet;
import java.util.Set;

/**
 * The protocol extensions a client opts into with {@code C_HELLO}, one bit each in its Features
 * field. The server answers with the subset it grants; features are per connection.
 */
public enum Feature {
  /**
   * Acknowledged delivery: stored items are pushed as {@code S_STORED} with their sequence number,
   * count as delivered only once the client acknowledges them ({@code C_ACK}), and come again at
   * the next login or resume until then; login gives a session token for {@code C_RESUME}.
   */
  ACKS(1),
  /** Idempotent sends: {@code C_SEND_MSG} and {@code C_AUDIO_REQ} carry a client message id. */
  IDEMPOTENT_SENDS(1 << 1),
  /** Delivery and read receipts for the client's own messages ({@code S_RECEIPT}). */
  RECEIPTS(1 << 2),
  /**
   * Friends and account control: unfriend, block list, password change, account deletion, and the
   * {@code S_FRIEND_REMOVED} push when a friend ends the friendship.
   */
  SOCIAL(1 << 3),
  /** Conversation history: {@code C_HISTORY} pages through the messages with one user. */
  HISTORY(1 << 4),
  /** Live friend locations: {@code C_LIVE_LOCATIONS} asks for {@code S_LOCATION} pushes. */
  LIVE_LOCATIONS(1 << 5),
  /** Tracks: {@code C_TRACK} asks for the user's own or a friend's fixes over a time range. */
  TRACKS(1 << 6),
  /** Operator notices: {@code S_NOTICE} pushes, such as the announcement of a restart. */
  NOTICES(1 << 7),
  /**
   * Unread counts: {@code C_UNREAD_REQ} asks how many messages from each friend the user has not
   * read ({@code C_READ}) yet; granted only together with {@link #RECEIPTS}.
   */
  UNREAD(1 << 8);

  private final int bit;

  Feature(int bit) {
    this.bit = bit;
  }

  /** The feature's bit in the Features field. */
  public int bit() {
    return bit;
  }

  /** The features whose bits are set in {@code bits}; unknown bits are ignored. */
  public static Set<Feature> fromBits(int bits) {
    Set<Feature> out = EnumSet.noneOf(Feature.class);
    for (Feature f : values()) {
      if ((bits & f.bit) != 0) {
        out.add(f);
      }
    }
    return out;
  }

  /** The Features field for {@code features}. */
  public static int toBits(Set<Feature> features) {
    int bits = 0;
    for (Feature f : features) {
      bits |= f.bit;
    }
    return bits;
  }
}
