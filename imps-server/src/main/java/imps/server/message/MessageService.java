package imps.server.message;

import imps.protocol.ErrorCode;
import imps.protocol.message.AudioPush;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.MessagePush;
import imps.server.account.AccountService;
import imps.server.cluster.SessionRouter;
import imps.server.location.TimeFormats;
import imps.server.session.Push;
import imps.server.session.RequestException;
import imps.server.store.FriendStore;
import imps.server.store.MessageStore;
import imps.server.store.StoredMessage;
import imps.server.store.UserRecord;
import java.time.Clock;

/** C_SEND_MSG and C_AUDIO_REQ (section 7.6). */
public final class MessageService {
  private final MessageStore messages;
  private final FriendStore friends;
  private final AccountService accounts;
  private final SessionRouter router;
  private final TimeFormats times;
  private final Clock clock;
  private final int maxChars;
  private final int maxAudioBytes;

  public MessageService(
      MessageStore messages,
      FriendStore friends,
      AccountService accounts,
      SessionRouter router,
      TimeFormats times,
      Clock clock,
      int maxChars,
      int maxAudioBytes) {
    this.messages = messages;
    this.friends = friends;
    this.accounts = accounts;
    this.router = router;
    this.times = times;
    this.clock = clock;
    this.maxChars = maxChars;
    this.maxAudioBytes = maxAudioBytes;
  }

  /** Stores a text for a friend and pushes it if the friend is online. */
  public void sendText(long senderId, String senderName, String friendName, String text) {
    int chars = text.codePointCount(0, text.length());
    if (chars == 0 || chars > maxChars || text.indexOf('\u0000') >= 0) {
      throw new RequestException(ErrorCode.MALFORMED, "message empty, too long or with NUL");
    }
    send(senderId, senderName, friendName, text, null);
  }

  /** Stores a voice clip for a friend and pushes it if the friend is online. */
  public void sendAudio(long senderId, String senderName, String friendName, byte[] clip) {
    if (clip.length == 0 || clip.length > maxAudioBytes) {
      throw new RequestException(ErrorCode.MALFORMED, "clip empty or too long");
    }
    send(senderId, senderName, friendName, null, clip);
  }

  private void send(long senderId, String senderName, String friendName, String text, byte[] clip) {
    UserRecord to =
        accounts.find(friendName).orElseThrow(() -> new RequestException(ErrorCode.NO_SUCH_USER));
    if (!friends.areFriends(senderId, to.id())) {
      throw new RequestException(ErrorCode.NOT_FRIENDS);
    }
    StoredMessage m =
        messages.append(senderId, senderName, to.id(), text, clip, times.format(clock.instant()));
    router.deliver(to.id(), push(m));
  }

  /** The push of a stored message, marked so that its delivery is recorded once written. */
  public static Push push(StoredMessage m) {
    ImpsMessage frame =
        m.isAudio()
            ? new AudioPush(m.senderName(), m.audio(), m.acceptedAt())
            : new MessagePush(m.senderName(), m.text(), m.acceptedAt());
    return new Push(frame, new Push.DeliveryMark(Push.DeliveryMark.Kind.MESSAGE, m.id()));
  }
}
