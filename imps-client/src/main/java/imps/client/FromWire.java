package imps.client;

import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.HistoryPage;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.Receipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the protocol's records into the SDK's types; the only place that reads their fields. */
final class FromWire {
  private static final Logger log = LoggerFactory.getLogger(FromWire.class);

  private FromWire() {}

  static ConversationPage page(HistoryPage p) {
    return new ConversationPage(
        p.peer(),
        p.entries().stream()
            .map(e -> new HistoryItem(e.id(), e.outgoing(), e.acceptedAt(), e.text(), e.clip()))
            .toList(),
        p.more());
  }

  static UnreadCounts unread(imps.protocol.message.UnreadCounts u) {
    java.util.Map<String, Integer> byFriend = new java.util.LinkedHashMap<>();
    u.friends().forEach(f -> byFriend.put(f.name(), f.count()));
    return new UnreadCounts(u.asOfSeq(), byFriend);
  }

  static Track track(imps.protocol.message.Track t) {
    return new Track(
        t.userName(),
        t.total(),
        t.points().stream()
            .map(
                p ->
                    new TrackPoint(
                        java.time.Instant.ofEpochSecond(p.time()),
                        new Position(p.latitude(), p.longitude())))
            .toList());
  }

  static Account account(LoginResponse r) {
    return new Account(r.userName(), r.gender(), r.email(), r.status());
  }

  /**
   * @param seq the item's sequence number (S_STORED), 0 for a legacy push
   */
  static ReceivedMessage message(MessagePush m, long seq) {
    // S_SEND_MSG names the sender in its field "friendName".
    return new ReceivedMessage(m.friendName(), m.message(), m.datetime(), seq);
  }

  static ReceivedClip clip(AudioPush a, long seq) {
    // S_AUDIO_RSP names the sender in its field "FriName".
    return new ReceivedClip(a.friendName(), a.data(), a.datetime(), seq);
  }

  static MessageReceipt receipt(Receipt r) {
    return new MessageReceipt(
        r.peer(),
        r.upToClientMsgId(),
        r.state() == Receipt.State.READ
            ? MessageReceipt.Status.READ
            : MessageReceipt.Status.DELIVERED);
  }

  /** A friend; a location the server sent in a form this client cannot read counts as unknown. */
  static Friend friend(FriendInfo f) {
    Position position = null;
    if (!f.location().isEmpty()) {
      try {
        position = Position.parse(f.location());
      } catch (IllegalArgumentException e) {
        log.debug("unreadable location of {}: {}", f.name(), f.location());
      }
    }
    return new Friend(f.name(), f.status(), position, position == null ? null : f.time());
  }

  /**
   * The outcome of a pushed {@code S_ADDFRIEND_RSP}.
   *
   * @param fallbackName the name to use when a legacy frame names nobody
   */
  static FriendRequestOutcome outcome(AddFriendResponse r, String fallbackName) {
    String user = r.userName() != null ? r.userName() : fallbackName;
    return switch (r.result()) {
      case ACCEPTED ->
          new FriendRequestOutcome(
              user,
              FriendRequestOutcome.Result.ACCEPTED,
              friend(new FriendInfo(user, r.status(), r.time(), r.location())));
      case REFUSED -> new FriendRequestOutcome(user, FriendRequestOutcome.Result.DECLINED, null);
      case NO_SUCH_USER ->
          new FriendRequestOutcome(user, FriendRequestOutcome.Result.NO_SUCH_USER, null);
    };
  }
}
