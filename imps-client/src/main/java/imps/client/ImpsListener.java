package imps.client;

import imps.protocol.ErrorCode;
import imps.protocol.Presence;

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

  /**
   * A login succeeded, made with {@link ImpsClient#login} or by automatic reconnection. Called
   * before the login's future completes and before anything the server sends after the login
   * (stored requests and messages), so it is the place for a greeting that must come first.
   */
  default void onLoggedIn(Account account) {}

  /**
   * A text message; stored ones arrive right after login, oldest first. With acknowledged delivery
   * (the default, see {@link ClientOptions#legacy()}) the client acknowledges it once this method
   * returns: a message whose callback did not return before the connection dropped comes again, and
   * a message that comes twice (same {@link ReceivedMessage#seq()}) is passed on once.
   */
  default void onMessage(ReceivedMessage message) {}

  /** A voice clip; stored ones arrive right after login, in order with the messages. */
  default void onVoiceClip(ReceivedClip clip) {}

  /**
   * A delivery or read receipt for messages this user sent (lossless-delivery extension): the
   * friend received them, or read them. Like every stored item it is acknowledged once this method
   * returns, and comes again after a reconnection until then.
   */
  default void onReceipt(MessageReceipt receipt) {}

  /**
   * A friend's status as this user now sees it: {@link Presence#ONLINE} or {@link Presence#OFFLINE}
   * (a friend who turns invisible looks offline).
   */
  default void onPresence(String friend, Presence presence) {}

  /**
   * A friend shared a new position ({@code S_LOCATION}), after {@link ImpsClient#liveLocations}:
   * the latest only, at most one per friend per the server's interval (5 s by default).
   *
   * @param time the fix's time as the server stores it, {@code yyyy-MM-dd HH:mm:ss}
   */
  default void onFriendMoved(String friend, Position position, String time) {}

  /**
   * {@code from} asks to be friends; answer with {@link ImpsClient#answerFriendRequest}. Pending
   * requests are sent again after every login.
   */
  default void onFriendRequest(String from) {}

  /**
   * What became of a friend request: the answer to one this user made (accepted or declined), or,
   * after this user accepted one, the new friend's details.
   */
  default void onFriendRequestOutcome(FriendRequestOutcome outcome) {}

  /**
   * The same user logged in on another connection; the server closes this one, and the client does
   * not reconnect (that would only push the other session out).
   */
  default void onLoggedInElsewhere() {}

  /**
   * {@code friend} is no longer a friend: they unfriended or blocked the user, or deleted their
   * account ({@code S_FRIEND_REMOVED}; only with the friends-and-account extension, which the
   * default options ask for). Messages to them are refused from now on.
   */
  default void onFriendRemoved(String friend) {}

  /**
   * Any other unsolicited error from the server, e.g. {@link ErrorCode#MALFORMED} before the server
   * drops a connection whose framing broke.
   */
  default void onServerError(ErrorCode code) {}

  /**
   * The connection closed without {@link ImpsClient#close()}.
   *
   * @param cause what closed it, or {@code null} when the peer simply closed
   * @param reconnecting whether the client will try to reconnect
   */
  default void onDisconnected(Throwable cause, boolean reconnecting) {}

  /**
   * Automatic reconnection succeeded: connected, logged in again ({@link #onLoggedIn} came first),
   * chosen status restored.
   */
  default void onReconnected(Account account) {}

  /**
   * Automatic reconnection stopped for good (attempts exhausted, or the server no longer accepts
   * the credentials).
   */
  default void onReconnectFailed(Throwable cause) {}
}
