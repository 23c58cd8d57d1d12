package imps.server.location;

import imps.protocol.ErrorCode;
import imps.protocol.message.Track;
import imps.protocol.message.TrackRequest;
import imps.server.account.AccountService;
import imps.server.account.UserRef;
import imps.server.error.RequestException;
import imps.server.store.FriendStore;
import imps.server.store.LocationStore;
import imps.server.store.TrackSlice;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tracks (docs/PROTOCOL.md 8.6, decisions 40 and 41): the user's own fixes or a friend's visible
 * ones over a time range, thinned by the store to at most the points asked for (at most {@link
 * TrackRequest#MAX_POINTS}, so a reply fits one frame). Blocks on the store: call it on the
 * blocking pool.
 */
public final class TrackService {
  // Epoch seconds beyond these would overflow as milliseconds; no fix is that far out anyway.
  private static final long MAX_SECONDS = Long.MAX_VALUE / 1000 - 1;

  private final LocationStore locations;
  private final FriendStore friends;
  private final AccountService accounts;
  private final Clock clock;
  private final Duration retention;

  /**
   * @param retention how far back tracks reach ({@code history.retention})
   */
  public TrackService(
      LocationStore locations,
      FriendStore friends,
      AccountService accounts,
      Clock clock,
      Duration retention) {
    this.locations = locations;
    this.friends = friends;
    this.accounts = accounts;
    this.clock = clock;
    this.retention = retention;
  }

  /**
   * The track {@code request} asks for, for the user {@code userId}.
   *
   * @throws RequestException NOT_FRIENDS when the name is neither the user's nor a friend's (an
   *     unknown name too, so that the answer tells nothing about which names exist)
   */
  public Track track(long userId, TrackRequest request) {
    Optional<UserRef> found = accounts.lookup(request.userName());
    if (found.isEmpty()) {
      throw new RequestException(ErrorCode.NOT_FRIENDS, "track of an unknown name");
    }
    UserRef owner = found.get();
    boolean own = owner.id() == userId;
    if (!own && !friends.areFriends(userId, owner.id())) {
      throw new RequestException(ErrorCode.NOT_FRIENDS, "track of a non-friend");
    }
    long from = clamp(request.from()) * 1000;
    long to = clamp(request.to()) * 1000 + 999;
    TrackSlice slice =
        locations.track(
            owner.id(),
            from,
            to,
            clock.instant().minus(retention),
            own,
            TrackRequest.boundPoints(request.maxPoints()));
    List<Track.Point> points = new ArrayList<>(slice.points().size());
    for (TrackSlice.Point p : slice.points()) {
      points.add(point(p));
    }
    return new Track(owner.name(), slice.total(), points);
  }

  private static long clamp(long seconds) {
    return Math.max(-MAX_SECONDS, Math.min(MAX_SECONDS, seconds));
  }

  /** A stored point on the wire: {@code lat,lon} (at most 6 decimals) as millionths of a degree. */
  static Track.Point point(TrackSlice.Point p) {
    String loc = p.location();
    int comma = loc.indexOf(',');
    return new Track.Point(
        Math.floorDiv(p.atMillis(), 1000),
        micro(loc.substring(0, comma)),
        micro(loc.substring(comma + 1)));
  }

  private static int micro(String degrees) {
    return new BigDecimal(degrees).movePointRight(6).intValueExact();
  }
}
