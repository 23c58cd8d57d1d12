package imps.client;

import imps.protocol.Feature;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.HistoryPage;
import imps.protocol.message.HistoryRequest;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LiveLocationsRequest;
import imps.protocol.message.LocationFix;
import imps.protocol.message.ReadNotice;
import imps.protocol.message.SendMessage;
import imps.protocol.message.TrackRequest;
import imps.protocol.message.UnreadRequest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * The conversation requests of {@link ImpsClient}: messages and clips (through the {@link Outbox}
 * unless legacy), read notices, unread counts, history pages, tracks, heartbeats with locations and
 * live locations. The contracts are documented on {@link ImpsClient}'s public methods, which
 * delegate here.
 */
final class ConversationRequests {
  private static final DateTimeFormatter ISO_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
  private static final DateTimeFormatter WIRE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final ClientOptions options;
  private final ClientConnection connection;
  private final Outbox outbox;
  private final Logins logins;

  ConversationRequests(
      ClientOptions options, ClientConnection connection, Outbox outbox, Logins logins) {
    this.options = options;
    this.connection = connection;
    this.outbox = outbox;
    this.logins = logins;
  }

  CompletableFuture<Void> heartbeat(List<LocationFix> fixes) {
    return connection
        .request(new HeartbeatRequest(logins.nameOrEmpty(), fixes))
        .thenApply(
            reply -> {
              Replies.as(reply, HeartbeatResponse.class);
              return null;
            });
  }

  CompletableFuture<Void> shareLocation(Position position) {
    Objects.requireNonNull(position, "position");
    String now = ISO_SECONDS.format(options.clock().instant().atZone(options.clock().getZone()));
    return heartbeat(List.of(new LocationFix(now, position.toString())));
  }

  CompletableFuture<Long> sendMessage(String friendName, String text) {
    Objects.requireNonNull(friendName, "friendName");
    Objects.requireNonNull(text, "text");
    int max = logins.maxMessageChars();
    if (text.codePointCount(0, text.length()) > max) {
      return CompletableFuture.failedFuture(
          new ImpsInvalidRequestException(
              "the message is longer than " + max + " characters", max));
    }
    String me = logins.nameOrEmpty();
    return send(
        id -> new SendMessage(me, friendName, text, id), new SendMessage(me, friendName, text));
  }

  CompletableFuture<Long> sendVoice(String friendName, byte[] clip) {
    Objects.requireNonNull(friendName, "friendName");
    Objects.requireNonNull(clip, "clip");
    String now = WIRE_TIME.format(options.clock().instant().atZone(options.clock().getZone()));
    // The client message id takes 8 bytes of the frame.
    int room = Replies.clipRoom(friendName, now) - (options.legacy() ? 0 : Long.BYTES);
    int max = Math.min(logins.maxAudioBytes(), room);
    if (clip.length > max) {
      return CompletableFuture.failedFuture(
          new ImpsInvalidRequestException("the clip is larger than " + max + " bytes", max));
    }
    ClipBytes bytes = ClipBytes.copyOf(clip);
    return send(
        id -> new AudioRequest(friendName, bytes, now, id),
        new AudioRequest(friendName, bytes, now));
  }

  /** Legacy: the plain request, id 0; else through the outbox, which numbers and re-sends it. */
  private CompletableFuture<Long> send(LongFunction<ImpsMessage> withId, ImpsMessage legacy) {
    if (options.legacy()) {
      return connection.request(legacy).thenApply(Replies::ack).thenApply(v -> 0L);
    }
    return outbox.submit(withId, legacy);
  }

  CompletableFuture<Void> markRead(String peer, long upToSeq) {
    Objects.requireNonNull(peer, "peer");
    if (upToSeq <= 0 || !logins.extensions().contains(Feature.RECEIPTS)) {
      return CompletableFuture.completedFuture(null);
    }
    return connection.request(new ReadNotice(peer, upToSeq)).thenApply(Replies::ack);
  }

  CompletableFuture<UnreadCounts> unread() {
    return connection
        .request(UnreadRequest.INSTANCE)
        .thenApply(
            reply -> FromWire.unread(Replies.as(reply, imps.protocol.message.UnreadCounts.class)));
  }

  CompletableFuture<Void> liveLocations(boolean on) {
    return connection.request(new LiveLocationsRequest(on)).thenApply(Replies::ack);
  }

  CompletableFuture<ConversationPage> history(String peer, long fromId, boolean newer, int max) {
    Objects.requireNonNull(peer, "peer");
    return connection
        .request(new HistoryRequest(peer, fromId, newer, Math.max(0, Math.min(max, 0xFFFF))))
        .thenApply(reply -> FromWire.page(Replies.as(reply, HistoryPage.class)));
  }

  CompletableFuture<Track> track(String user, Instant from, Instant to, int maxPoints) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    return connection
        .request(
            new TrackRequest(
                user,
                from.getEpochSecond(),
                to.getEpochSecond(),
                Math.max(0, Math.min(maxPoints, 0xFFFF))))
        .thenApply(reply -> FromWire.track(Replies.as(reply, imps.protocol.message.Track.class)));
  }
}
