package imps.server;

import imps.server.account.AccountService;
import imps.server.account.SessionTokens;
import imps.server.cluster.SessionRouter;
import imps.server.concurrent.Offload;
import imps.server.config.ServerConfig;
import imps.server.delivery.BatchingDeliveryRecorder;
import imps.server.dispatch.Backlog;
import imps.server.dispatch.CommandLimits;
import imps.server.dispatch.RequestDispatcher;
import imps.server.friend.FriendService;
import imps.server.location.LiveLocations;
import imps.server.location.LocationService;
import imps.server.location.TrackService;
import imps.server.message.MessageService;
import imps.server.message.ReceiptService;
import imps.server.presence.PresenceService;
import imps.server.store.MessageStore;
import imps.server.store.Store;
import imps.server.time.TimeFormats;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The services over one store and router, and the request dispatcher that serves them: what {@link
 * ImpsServer} hands to its transport, its housekeeping and its admin endpoints. Only the parts
 * those need are kept; the others live on inside the dispatcher.
 */
record Services(
    SessionTokens tokens,
    LocationService locations,
    ReceiptService receipts,
    CommandLimits limits,
    RequestDispatcher dispatcher) {

  /**
   * Wires the services by constructor. {@code scheduler} runs the live-location ticks (the
   * housekeeping thread); {@code accounts} is built first, by {@link ServerWiring#accounts}.
   */
  static Services wire(
      ServerConfig config,
      Clock clock,
      Store store,
      SessionRouter router,
      BatchingDeliveryRecorder recorder,
      Offload workers,
      AccountService accounts,
      ScheduledExecutorService scheduler) {
    TimeFormats times = new TimeFormats(config.timeZone());
    FriendService friends =
        new FriendService(
            store.friends(),
            accounts,
            router,
            config.maxFriends(),
            config.get(ServerConfig.Key.FRIEND_REQUESTS_PENDING_PER_SENDER),
            config.get(ServerConfig.Key.FRIEND_REQUESTS_PENDING_PER_RECIPIENT));
    MessageService messages =
        new MessageService(
            store.messages(),
            store.friends(),
            accounts,
            router,
            workers,
            times,
            clock,
            config.maxMessageChars(),
            config.maxAudioBytes(),
            new MessageStore.Quota(
                config.get(ServerConfig.Key.QUOTA_UNDELIVERED_ITEMS),
                config.get(ServerConfig.Key.QUOTA_UNDELIVERED_BYTES)),
            config.historyRetention());
    LocationService locations =
        new LocationService(
            store.locations(),
            times,
            clock,
            // Fixes are tracks too, kept no longer than history (PROTOCOL.md decision 40).
            shorter(config.locationRetention(), config.historyRetention()),
            new LiveLocations(
                store.friends(), router, clock, config.locationLiveInterval(), scheduler),
            new TrackService(
                store.locations(), store.friends(), accounts, clock, config.historyRetention()));
    PresenceService presence = new PresenceService(store.friends(), router);
    ReceiptService receipts = new ReceiptService(store.messages(), router);
    SessionTokens tokens =
        new SessionTokens(
            store.tokens(),
            clock,
            config.get(ServerConfig.Key.SESSION_TOKEN_TTL),
            config.get(ServerConfig.Key.SESSION_TOKENS_PER_USER));
    CommandLimits limits = ServerWiring.commandLimits(config, clock);
    RequestDispatcher dispatcher =
        new RequestDispatcher(
            accounts,
            friends,
            messages,
            locations,
            presence,
            router,
            new Backlog(
                store.accounts(), store.friends(), store.messages(), friends, recorder, workers),
            tokens,
            receipts,
            workers,
            limits);
    return new Services(tokens, locations, receipts, limits, dispatcher);
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
