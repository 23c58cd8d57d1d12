package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_TRACK} (51): the user's own track or a friend's between two times, thinned by the server
 * to at most {@code maxPoints} points (docs/PROTOCOL.md 8.6).
 *
 * @param userName whose track: the user's own name or a friend's
 * @param from the first second of the range, epoch seconds (inclusive)
 * @param to the last second of the range, epoch seconds (inclusive)
 * @param maxPoints how many points at most; 0 or above {@link #MAX_POINTS} counts as {@link
 *     #MAX_POINTS}
 */
public record TrackRequest(String userName, long from, long to, int maxPoints)
    implements ImpsMessage {
  /**
   * The most points a reply carries, whatever the client asks for: 16 bytes each, so that a reply
   * always fits one frame (4,000 × 16 = 64,000 of the 65,535 content bytes) and needs no paging.
   */
  public static final int MAX_POINTS = 4000;

  /** The number of points the server gives for {@code requested}. */
  public static int boundPoints(int requested) {
    return requested <= 0 || requested > MAX_POINTS ? MAX_POINTS : requested;
  }

  @Override
  public CommandType commandType() {
    return CommandType.C_TRACK;
  }
}
