package imps.server.message;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import imps.protocol.ErrorCode;
import imps.protocol.Limits;
import imps.protocol.codec.ModifiedUtf8;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.UnreadCounts;
import imps.server.account.AccountService;
import imps.server.account.UserRef;
import imps.server.cluster.SessionRouter;
import imps.server.concurrent.Offload;
import imps.server.delivery.MessageCounts;
import imps.server.delivery.Push;
import imps.server.delivery.Pushes;
import imps.server.error.RequestException;
import imps.server.limit.HeapBudget;
import imps.server.store.FriendStore;
import imps.server.store.MessageStore;
import imps.server.store.NewMessage;
import imps.server.store.StoredMessage;
import imps.server.store.UnreadTally;
import imps.server.time.TimeFormats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** C_SEND_MSG and C_AUDIO_REQ (section 7.6). */
public final class MessageService {
  // /metrics: imps_messages_received_total, _stored_total, _refused_total by kind (and reason).
  private static final Counter RECEIVED_TEXT =
      Metrics.counter("imps.messages.received", "kind", "text");
  private static final Counter RECEIVED_CLIPS =
      Metrics.counter("imps.messages.received", "kind", "clip");
  private static final Counter STORED_TEXT =
      Metrics.counter("imps.messages.stored", "kind", "text");
  private static final Counter STORED_CLIPS =
      Metrics.counter("imps.messages.stored", "kind", "clip");

  /** What S_SEND_MSG leaves for the text: a frame minus sender name, time and headers. */
  static final int MAX_TEXT_BYTES = Limits.MAX_CONTENT_LENGTH - 200;

  // Friend pairs known to be friends, bounded in bytes (4 % of the heap): per pair a Long key and
  // Caffeine's and the hash table's nodes, about 120 bytes.
  private static final int KNOWN_PAIR_BYTES = 120;
  // A friendship ended on another node is seen here at the latest this long after (section 8.5);
  // on this node at once (forgetFriendship).
  private static final Duration FRIENDSHIP_RECHECK = Duration.ofSeconds(2);
  private final Cache<Long, Boolean> knownFriends =
      Caffeine.newBuilder()
          .maximumWeight(HeapBudget.percentOfHeap(4))
          .<Long, Boolean>weigher((pair, known) -> KNOWN_PAIR_BYTES)
          .expireAfterWrite(FRIENDSHIP_RECHECK)
          .executor(Runnable::run)
          .build();
  private final MessageStore messages;
  private final FriendStore friends;
  private final AccountService accounts;
  private final SessionRouter router;
  private final Offload blocking;
  private final TimeFormats times;
  private final Clock clock;
  private final int maxChars;
  private final MessageStore.Quota quota;
  private final int maxAudioBytes;
  private final HistoryService history;
  private final MessageCounts counts = new MessageCounts();

  /** Without a quota, with history reaching back 30 days (for tests of other things). */
  public MessageService(
      MessageStore messages,
      FriendStore friends,
      AccountService accounts,
      SessionRouter router,
      Offload blocking,
      TimeFormats times,
      Clock clock,
      int maxChars,
      int maxAudioBytes) {
    this(
        messages,
        friends,
        accounts,
        router,
        blocking,
        times,
        clock,
        maxChars,
        maxAudioBytes,
        MessageStore.Quota.NONE,
        Duration.ofDays(30));
  }

  /**
   * @param quota the undelivered messages a recipient may have waiting; past it the sender gets
   *     error 10
   * @param historyRetention how far back C_HISTORY reaches ({@code history.retention})
   */
  public MessageService(
      MessageStore messages,
      FriendStore friends,
      AccountService accounts,
      SessionRouter router,
      Offload blocking,
      TimeFormats times,
      Clock clock,
      int maxChars,
      int maxAudioBytes,
      MessageStore.Quota quota,
      Duration historyRetention) {
    this.quota = quota;
    this.messages = messages;
    this.friends = friends;
    this.accounts = accounts;
    this.router = router;
    this.blocking = blocking;
    this.times = times;
    this.clock = clock;
    this.maxChars = maxChars;
    this.maxAudioBytes = maxAudioBytes;
    this.history = new HistoryService(messages, accounts, clock, historyRetention);
  }

  /**
   * This node's counts of texts and clips stored (here) and delivered (by the sessions this node's
   * transport made with them), for the admin command {@code stats}.
   */
  public MessageCounts counts() {
    return counts;
  }

  /**
   * How many messages from each friend {@code userId} has not read (C_UNREAD_REQ, PROTOCOL.md 8.8):
   * those after the newest one its C_READs covered. Blocking: one store read.
   */
  public UnreadCounts unread(long userId) {
    UnreadTally t = messages.unread(userId, UnreadCounts.MAX_COUNT);
    return new UnreadCounts(
        t.asOfSeq(),
        t.friends().stream().map(f -> new UnreadCounts.Friend(f.name(), f.count())).toList());
  }

  /** Conversation history over the same store (C_HISTORY). */
  public HistoryService history() {
    return history;
  }

  /** The longest text accepted, in characters. */
  public int maxMessageChars() {
    return maxChars;
  }

  /** The largest clip accepted, in bytes. */
  public int maxAudioBytes() {
    return maxAudioBytes;
  }

  /**
   * Stores a text for a friend and pushes it if the friend is online. Call on an event loop: the
   * checks use caches when they can and the blocking pool when they must; the future completes on
   * the database writer's thread once the message is committed and its push is on its way.
   *
   * @param clientId the sender's id of the message, 0 for none: a message with an id the sender
   *     used before is acknowledged again but neither stored nor pushed twice
   * @param wantsReceipts whether the sender asked for delivery and read receipts (with a client id)
   * @throws RequestException MALFORMED when the text is empty, too long or holds U+0000 (at once;
   *     the others fail the future: NO_SUCH_USER, NOT_FRIENDS)
   */
  public CompletableFuture<Void> sendText(
      long senderId,
      String senderName,
      String friendName,
      String text,
      long clientId,
      boolean wantsReceipts) {
    int chars = text.codePointCount(0, text.length());
    if (chars == 0
        || chars > maxChars
        || text.indexOf('\u0000') >= 0
        || ModifiedUtf8.encodedLength(text) > MAX_TEXT_BYTES) {
      throw new RequestException(ErrorCode.MALFORMED, "message empty, too long or with NUL");
    }
    return send(senderId, senderName, friendName, text, null, clientId, wantsReceipts);
  }

  /**
   * Stores a voice clip for a friend and pushes it if the friend is online; as {@link #sendText}.
   */
  public CompletableFuture<Void> sendAudio(
      long senderId,
      String senderName,
      String friendName,
      ClipBytes clip,
      long clientId,
      boolean wantsReceipts) {
    if (clip.length() == 0 || clip.length() > maxAudioBytes) {
      throw new RequestException(ErrorCode.MALFORMED, "clip empty or too long");
    }
    return send(
        senderId, senderName, friendName, null, clip.toByteArray(), clientId, wantsReceipts);
  }

  private CompletableFuture<Void> send(
      long senderId,
      String senderName,
      String friendName,
      String text,
      byte[] clip,
      long clientId,
      boolean wantsReceipts) {
    String kind = text != null ? "text" : "clip";
    (text != null ? RECEIVED_TEXT : RECEIVED_CLIPS).increment();
    return sendCounted(senderId, senderName, friendName, text, clip, clientId, wantsReceipts)
        .whenComplete(
            (ok, e) -> {
              if (e == null) {
                return;
              }
              Throwable cause = Offload.cause(e);
              String reason =
                  cause instanceof RequestException r
                      ? r.code().name().toLowerCase(java.util.Locale.ROOT)
                      : "error";
              Metrics.counter("imps.messages.refused", "kind", kind, "reason", reason).increment();
            });
  }

  private CompletableFuture<Void> sendCounted(
      long senderId,
      String senderName,
      String friendName,
      String text,
      byte[] clip,
      long clientId,
      boolean wantsReceipts) {
    Optional<UserRef> cached = accounts.lookupCached(friendName);
    CompletableFuture<Optional<UserRef>> recipient =
        cached != null
            ? CompletableFuture.completedFuture(cached)
            : blocking.supply(() -> accounts.lookup(friendName));
    return recipient.thenCompose(
        to -> {
          UserRef r = to.orElseThrow(() -> new RequestException(ErrorCode.NO_SUCH_USER));
          CompletableFuture<Boolean> friends =
              isKnownFriendPair(senderId, r.id())
                  ? CompletableFuture.completedFuture(true)
                  : blocking.supply(() -> areFriends(senderId, r.id()));
          return friends.thenCompose(
              yes -> {
                if (!yes) {
                  throw new RequestException(ErrorCode.NOT_FRIENDS);
                }
                return messages
                    .appendAsync(
                        new NewMessage(
                            senderId,
                            senderName,
                            r.id(),
                            text,
                            clip,
                            times.format(clock.instant()),
                            clientId,
                            clock.millis(),
                            wantsReceipts),
                        quota)
                    .thenAccept(
                        a -> {
                          if (a.overQuota()) {
                            throw new RequestException(
                                ErrorCode.TOO_MANY_REQUESTS, "recipient's undelivered quota");
                          }
                          // A resend of a message stored before: acknowledged again, not pushed.
                          if (!a.duplicate()) {
                            (text != null ? STORED_TEXT : STORED_CLIPS).increment();
                            counts.stored(text == null);
                            router.deliver(r.id(), push(a.message()));
                          }
                        });
              });
        });
  }

  private boolean isKnownFriendPair(long a, long b) {
    return knownFriends.getIfPresent(pair(a, b)) != null;
  }

  private static long pair(long a, long b) {
    return a < b ? (a << 32) | b : (b << 32) | a;
  }

  /**
   * A pair found to be friends is remembered for a short while ({@link #FRIENDSHIP_RECHECK}), and
   * forgotten at once when the friendship ends on this node; a negative answer is always asked
   * again, since the pair may become friends at any moment (also on another node).
   */
  private boolean areFriends(long a, long b) {
    long pair = pair(a, b);
    if (knownFriends.getIfPresent(pair) != null) {
      return true;
    }
    if (!friends.areFriends(a, b)) {
      return false;
    }
    knownFriends.put(pair, Boolean.TRUE);
    return true;
  }

  /** The friendship of {@code a} and {@code b} ended (unfriend, block, deleted account). */
  public void forgetFriendship(long a, long b) {
    knownFriends.invalidate(pair(a, b));
  }

  /** The push of a stored message, marked so that its delivery is recorded once written. */
  private static Push push(StoredMessage m) {
    return Pushes.message(m.id(), m.seq(), m.senderName(), m.text(), m.audio(), m.acceptedAt());
  }
}
