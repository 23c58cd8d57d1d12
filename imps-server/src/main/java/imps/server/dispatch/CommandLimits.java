package imps.server.dispatch;

import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.error.RequestException;
import imps.server.limit.KeyedLimiter;
import imps.server.limit.LimitHits;
import imps.server.limit.TokenBucket;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/**
 * Rate limits per user for each class of command a logged-in client may send (review finding H5),
 * as token buckets keyed by the user's id, so that they hold across logins (a login/logout loop
 * gains nothing). Past a limit the request is answered with error 10 and nothing else happens: no
 * token is taken, nothing is stored or pushed. Requests that fail later still used their token.
 *
 * <p>Look-ups of names that turn out unknown have a budget of their own (finding M4): a friend
 * request or message to a name that is not a user takes a token; once the budget is spent, every
 * friend request and every message to someone who is not a friend gets error 10, whether the name
 * exists or not, so that the replies tell nothing more. Thread-safe; never blocks.
 */
public final class CommandLimits {
  /** The command classes, each with its own bucket per user. */
  public enum Kind {
    MESSAGES,
    CLIPS,
    STATUS,
    FRIEND_REQUESTS,
    FRIEND_LISTS,
    /** Location fixes stored: a heartbeat takes one token per fix it carries. */
    FIXES,
    UNKNOWN_NAMES,
    /** Logins (password or token): each announces the user to every friend online. */
    LOGINS
  }

  /** Refusals by class, on /metrics ({@code imps_limit_hits_total{limit="messages"}}). */
  private static final Map<Kind, Counter> HITS = new EnumMap<>(Kind.class);

  static {
    for (Kind k : Kind.values()) {
      HITS.put(k, LimitHits.of(k.name().toLowerCase(java.util.Locale.ROOT)));
    }
  }

  /** A class's rate and its buckets. */
  private record Limit(TokenBucket.Rate rate, KeyedLimiter<Long> buckets) {}

  private final Clock clock;
  // Heap each class's buckets may take; past it the least used users are forgotten (KeyedLimiter:
  // the order, and why an attacker cannot reset its own bucket that way), which errs towards
  // letting requests through. A user is remembered only while its bucket is not full again.
  private final long bytesPerClass;
  // Replaced as a whole by update (reload); never changed in place.
  private volatile Map<Kind, Limit> limits;

  /**
   * @param rates each class's rate; its count is also the burst
   * @param bytesPerClass heap each class's remembered users may take
   */
  public CommandLimits(Map<Kind, TokenBucket.Rate> rates, long bytesPerClass, Clock clock) {
    this.clock = clock;
    this.bytesPerClass = bytesPerClass;
    this.limits = build(rates, Map.of());
  }

  /**
   * Takes new rates (a reload). A class whose rate changed starts over with every user's bucket
   * full at the new rate; the others keep their buckets. Requests under way finish under the old.
   */
  public synchronized void update(Map<Kind, TokenBucket.Rate> rates) {
    limits = build(rates, limits);
  }

  private Map<Kind, Limit> build(Map<Kind, TokenBucket.Rate> rates, Map<Kind, Limit> old) {
    Map<Kind, Limit> out = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      TokenBucket.Rate r = rates.get(k);
      if (r == null) {
        throw new IllegalArgumentException("no rate for " + k);
      }
      Limit before = old.get(k);
      out.put(
          k,
          before != null && before.rate().equals(r)
              ? before
              : new Limit(r, new KeyedLimiter<>(r, r.tokens(), bytesPerClass, clock)));
    }
    return out;
  }

  private KeyedLimiter<Long> limiter(Kind kind) {
    return limits.get(kind).buckets();
  }

  /**
   * Takes what {@code request} costs its user, or refuses it with error 10 (taking nothing).
   * Commands of no class (answers, receipts, sign-outs, empty heartbeats) cost nothing here.
   *
   * @throws RequestException TOO_MANY_REQUESTS past the limit
   */
  public void admit(long userId, ImpsMessage request) {
    Kind kind;
    long cost = 1;
    if (request instanceof SendMessage) {
      kind = Kind.MESSAGES;
    } else if (request instanceof AudioRequest) {
      kind = Kind.CLIPS;
    } else if (request instanceof StatusNotifyRequest r && r.status() != Presence.OFFLINE) {
      kind = Kind.STATUS;
    } else if (request instanceof AddFriendRequest) {
      if (limiter(Kind.UNKNOWN_NAMES).available(userId) == 0) {
        throw refused(Kind.UNKNOWN_NAMES);
      }
      kind = Kind.FRIEND_REQUESTS;
    } else if (request instanceof FriendListRequest) {
      kind = Kind.FRIEND_LISTS;
    } else if (request instanceof HeartbeatRequest r && !r.fixes().isEmpty()) {
      kind = Kind.FIXES;
      cost = r.fixes().size();
    } else {
      return;
    }
    if (!limiter(kind).tryTake(userId, cost)) {
      throw refused(kind);
    }
  }

  /**
   * Takes a login of {@code userId} (after its password or token was checked), or refuses it with
   * error 10: login/logout loops would otherwise announce the user to every friend twice a loop.
   */
  public void admitLogin(long userId) {
    if (!limiter(Kind.LOGINS).tryTake(userId)) {
      throw refused(Kind.LOGINS);
    }
  }

  /** The reply to a friend request, after it took an unknown-name token if the name was unknown. */
  public ImpsMessage friendRequestAnswered(long userId, ImpsMessage reply) {
    if (reply instanceof AddFriendResponse r
        && r.result() == AddFriendResponse.Result.NO_SUCH_USER) {
      // Checked before the look-up; a concurrent one may have spent the last token since: the
      // reply stands either way.
      limiter(Kind.UNKNOWN_NAMES).tryTake(userId);
    }
    return reply;
  }

  /**
   * The error a message to {@code code}'s recipient gets: error 2 (no such user) takes an
   * unknown-name token; once none is left, errors 2 and 9 (not friends) both become error 10.
   */
  public ErrorCode messageRefused(long userId, ErrorCode code) {
    if (code != ErrorCode.NO_SUCH_USER && code != ErrorCode.NOT_FRIENDS) {
      return code;
    }
    KeyedLimiter<Long> unknown = limiter(Kind.UNKNOWN_NAMES);
    if (code == ErrorCode.NO_SUCH_USER) {
      return unknown.tryTake(userId) ? code : unknownNamesSpent();
    }
    return unknown.available(userId) > 0 ? code : unknownNamesSpent();
  }

  /**
   * Admits a C_UNFRIEND or C_BLOCK naming a user that is not {@code userId}'s friend nor blocked by
   * it (finding M4): a name that turns out unknown takes an unknown-names token and gets error 2;
   * once the budget is spent, every such request gets error 10 whether the name exists or not, so
   * that the replies stop telling which names exist. Friends and blocked users are always admitted.
   *
   * @param known whether the name is a user's
   * @throws RequestException NO_SUCH_USER for an unknown name, TOO_MANY_REQUESTS past the budget
   */
  public void admitStranger(long userId, boolean known) {
    KeyedLimiter<Long> unknown = limiter(Kind.UNKNOWN_NAMES);
    if (known) {
      if (unknown.available(userId) == 0) {
        throw refused(Kind.UNKNOWN_NAMES);
      }
      return;
    }
    if (!unknown.tryTake(userId)) {
      throw refused(Kind.UNKNOWN_NAMES);
    }
    throw new RequestException(ErrorCode.NO_SUCH_USER, "no such user");
  }

  /** Tokens {@code userId} has left in {@code kind}; for tests. */
  public long available(Kind kind, long userId) {
    return limiter(kind).available(userId);
  }

  /** Drops buckets that are full again; for the housekeeping thread. */
  public void cleanUp() {
    limits.values().forEach(l -> l.buckets().cleanUp());
  }

  private static ErrorCode unknownNamesSpent() {
    HITS.get(Kind.UNKNOWN_NAMES).increment();
    return ErrorCode.TOO_MANY_REQUESTS;
  }

  private static RequestException refused(Kind kind) {
    HITS.get(kind).increment();
    return new RequestException(ErrorCode.TOO_MANY_REQUESTS, "rate limit: " + kind);
  }
}
