package imps.server.dispatch;

import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.HistoryPage;
import imps.protocol.message.HistoryRequest;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LiveLocationsRequest;
import imps.protocol.message.ReadNotice;
import imps.protocol.message.TrackRequest;
import imps.protocol.message.UnreadRequest;
import imps.server.account.AccountService;
import imps.server.account.UserRef;
import imps.server.concurrent.Offload;
import imps.server.error.RequestException;
import imps.server.friend.FriendService;
import imps.server.location.LocationService;
import imps.server.message.MessageService;
import imps.server.message.ReceiptService;
import imps.server.session.Session;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The requests of features a connection opts into one by one (docs/PROTOCOL.md 8): read receipts
 * ({@code C_READ}), history, unread counts, live locations and tracks. Each is refused with error
 * {@link ErrorCode#NOT_PERMITTED} on a connection without its feature. {@link RequestDispatcher}
 * hands them over for a logged-in session; what reads the store runs on the blocking pool.
 * Thread-safe.
 */
final class FeatureRequests {
  private final AccountService accounts;
  private final MessageService messages;
  private final LocationService locations;
  private final ReceiptService receipts;
  private final Offload blocking;
  private final FriendService friends;
  private final CommandLimits limits;

  FeatureRequests(
      AccountService accounts,
      MessageService messages,
      LocationService locations,
      ReceiptService receipts,
      Offload blocking,
      FriendService friends,
      CommandLimits limits) {
    this.friends = friends;
    this.limits = limits;
    this.accounts = accounts;
    this.messages = messages;
    this.locations = locations;
    this.receipts = receipts;
    this.blocking = blocking;
  }

  /** Whether {@code request} is one of these features' commands. */
  static boolean handles(ImpsMessage request) {
    return request instanceof ReadNotice
        || request instanceof HistoryRequest
        || request instanceof UnreadRequest
        || request instanceof LiveLocationsRequest
        || request instanceof TrackRequest;
  }

  /** Handles one of these features' requests (see {@link #handles}). */
  CompletionStage<ImpsMessage> handle(Session s, ImpsMessage request) {
    if (request instanceof ReadNotice r) {
      if (!s.has(Feature.RECEIPTS)) {
        throw new RequestException(ErrorCode.NOT_PERMITTED, "C_READ without receipts");
      }
      return blocking.supply(
          () -> {
            accounts
                .lookup(r.peer())
                .ifPresent(peer -> receipts.read(s.userId(), peer.id(), r.upToSeq()));
            return ack(r);
          });
    }
    if (request instanceof HistoryRequest r) {
      if (!s.has(Feature.HISTORY)) {
        throw new RequestException(ErrorCode.NOT_PERMITTED, "C_HISTORY without history");
      }
      return blocking.supply(() -> history(s.userId(), r));
    }
    if (request instanceof UnreadRequest) {
      if (!s.has(Feature.UNREAD)) {
        throw new RequestException(ErrorCode.NOT_PERMITTED, "C_UNREAD_REQ without unread counts");
      }
      return blocking.supply(() -> messages.unread(s.userId()));
    }
    if (request instanceof LiveLocationsRequest r) {
      if (!s.has(Feature.LIVE_LOCATIONS)) {
        throw new RequestException(ErrorCode.NOT_PERMITTED, "C_LIVE_LOCATIONS without the feature");
      }
      s.setLiveLocations(r.on());
      return CompletableFuture.completedFuture(ack(r));
    }
    if (request instanceof TrackRequest r) {
      if (!s.has(Feature.TRACKS) || locations.tracks() == null) {
        throw new RequestException(ErrorCode.NOT_PERMITTED, "C_TRACK without tracks");
      }
      return blocking.supply(() -> locations.tracks().track(s.userId(), r));
    }
    throw new RequestException(ErrorCode.MALFORMED, "unexpected command");
  }

  /**
   * A history page, with peers that turn out unknown under the unknown-names budget (finding M4):
   * once it is spent, a stranger's empty page is refused like an unknown name (error 10), so that
   * the replies stop telling which names exist. A page with entries tells nothing new.
   */
  private ImpsMessage history(long userId, HistoryRequest r) {
    HistoryPage page;
    try {
      page = messages.history().page(userId, r);
    } catch (RequestException e) {
      if (limits != null && e.code() == ErrorCode.NO_SUCH_USER) {
        limits.admitStranger(userId, false);
      }
      throw e;
    }
    if (limits != null && page.entries().isEmpty()) {
      Optional<UserRef> peer = accounts.lookup(r.peer());
      if (peer.isPresent() && !friends.isFriendOrBlocked(userId, peer.get().id())) {
        limits.admitStranger(userId, true);
      }
    }
    return page;
  }

  private static ErrorResponse ack(ImpsMessage request) {
    return ErrorResponse.of(ErrorCode.SUCCESS, request.commandType());
  }
}
