package imps.client.cli;

import imps.client.ImpsClient;
import imps.client.ImpsClientException;
import imps.client.ImpsRefusedException;
import imps.client.Position;
import imps.client.Track;
import imps.protocol.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;

/**
 * The user's own last shared position, for one-shot commands that show friends' positions as
 * distance and direction from it: the newest fix of the user's own track ({@code C_TRACK} thinned
 * to one point, which the server keeps as the last fix), so no new request is needed.
 */
final class OwnPosition {
  /** Further back than any track the server keeps ({@code history.retention} clips it). */
  private static final Duration LOOK_BACK = Duration.ofDays(400);

  private OwnPosition() {}

  /**
   * The user's newest stored fix, or {@code null} when there is none or the server does not offer
   * tracks.
   *
   * @throws CompletionException when the request fails otherwise
   */
  static Position lastShared(ImpsClient client) {
    Instant now = Instant.now();
    try {
      Track own = client.track(client.userName(), now.minus(LOOK_BACK), now, 1).join();
      return own.points().isEmpty() ? null : own.points().get(own.points().size() - 1).position();
    } catch (CompletionException e) {
      ImpsClientException why = ImpsClientException.unwrap(e);
      if (why instanceof ImpsRefusedException r && r.errorCode() == ErrorCode.NOT_PERMITTED) {
        return null; // an older server: friends are shown without distance
      }
      throw e;
    }
  }
}
