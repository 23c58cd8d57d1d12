package imps.client;

import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;

/**
 * Receives what the server pushes, and changes of the connection. Every method has an empty
 * default, so implement only what you need.
 *
 * <p>Threading: all calls of one client come from that client's single event thread, one at a time,
 * in the order the frames arrived (the same thread also completes the client's futures, so events
 * and replies are seen in wire order). Do not block in a callback, and in particular never wait for
 * a future of the same client there: its reply could only be delivered by the thread you are
 * blocking. Exceptions thrown by a callback are logged and otherwise ignored.
 */
public interface ImpsListener {

  /** A text message ({@code S_SEND_MSG}); stored ones arrive right after login, oldest first. */
  default void onMessage(MessagePush message) {}

  /** A voice clip ({@code S_AUDIO_RSP}). */
  default void onVoiceClip(AudioPush clip) {}

  /** A friend's status as this user now sees it ({@code S_STATUS_NOTIFY}). */
  default void onPresence(StatusNotifyPush presence) {}

  /**
   * Someone asks to be friends ({@code S_ADDFRIEND_REQ}); answer with {@link
   * ImpsClient#answerFriendRequest}.
   */
  default void onFriendRequest(FriendRequestPush request) {}

  /**
   * The later outcome of a friend request ({@code S_ADDFRIEND_RSP} that is not a reply): result 1
   * means the friendship now exists, 0 that the request was rejected.
   */
  default void onFriendRequestOutcome(AddFriendResponse outcome) {}

  /**
   * The same user logged in on another connection ({@code S_ERROR_RSP(7, 0)}); the server closes
   * this one, and the client does not reconnect (that would only push the other session out).
   */
  default void onLoggedInElsewhere() {}

  /**
   * Any other unsolicited {@code S_ERROR_RSP(code, 0)}, e.g. 8 before the server drops a connection
   * whose framing broke.
   */
  default void onServerError(imps.protocol.ErrorCode code) {}

  /**
   * The connection closed without {@link ImpsClient#close()} or {@link ImpsClient#logout()}.
   *
   * @param cause what closed it, or {@code null} when the peer simply closed
   * @param reconnecting whether the client will try to reconnect
   */
  default void onDisconnected(Throwable cause, boolean reconnecting) {}

  /** Automatic reconnection succeeded: connected, logged in again, chosen status restored. */
  default void onReconnected(LoginResponse login) {}

  /**
   * Automatic reconnection stopped for good (attempts exhausted, or the server no longer accepts
   * the credentials).
   */
  default void onReconnectFailed(Throwable cause) {}
}
