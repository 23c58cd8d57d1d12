package imps.client;

import imps.protocol.Feature;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.LocationFix;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous IMPS client: one TCP connection to one server, speaking the frame protocol of
 * {@code docs/PROTOCOL.md}.
 *
 * <pre>{@code
 * try (ImpsClient client = new ImpsClient(ClientOptions.builder().port(7600).build(), listener)) {
 *   client.connect().join();
 *   client.login("alice", "secret1").join();
 *   client.sendMessage("bob", "hi").join();   // C_SEND_MSG, acknowledged by S_ERROR_RSP(0, 11)
 * }
 * }</pre>
 *
 * <p><b>Requests and replies.</b> Every request method returns at once with a {@link
 * CompletableFuture} that completes with the reply, or fails with an {@link ImpsClientException}:
 * {@link ImpsRefusedException} when the server refused (error code and meaning), {@link
 * ImpsConnectionException} when there is no connection or it closed before the reply, {@link
 * ImpsTimeoutException} when no reply came within {@link ClientOptions#requestTimeout()}, {@link
 * ImpsInvalidRequestException} when the client did not send a request that breaks a limit. No
 * future stays pending longer than the request timeout, except a send that waits for a reconnection
 * (below). Replies are matched by order (the server answers every request once, in order); see
 * {@code docs/CLIENT.md} for the one ambiguity of {@code S_ADDFRIEND_RSP}.
 *
 * <p><b>Threading.</b> All methods are thread-safe, and requests from several threads go out in the
 * order their calls returned. Network I/O runs on one Netty thread per client; futures are
 * completed and listener methods called on one separate event thread per client, in the order the
 * frames arrived. Never block on a future of this client inside a listener callback or a dependent
 * stage that runs on that thread (use the {@code *Async} stages or {@code thenCompose}).
 *
 * <p><b>Nullability.</b> No method accepts or returns {@code null} unless it says so; arguments are
 * checked with {@link Objects#requireNonNull}.
 *
 * <p><b>Session.</b> After {@link #login} the client sends a heartbeat every {@link
 * ClientOptions#heartbeatInterval()}; if one goes unanswered the connection is considered dead and
 * closed. With a {@link ReconnectPolicy} enabled, a dropped connection of a logged-in client is
 * re-established with backoff, logged in again and given back the status last set with {@link
 * #setStatus}. Requests made while disconnected fail at once with {@link ImpsConnectionException}.
 *
 * <p><b>Lossless delivery.</b> Unless {@link ClientOptions#legacy()}, every login opts into the
 * protocol's extensions ({@code C_HELLO}): pushed items are acknowledged ({@code C_ACK}) once the
 * listener has returned from them and repeats are dropped; a reconnection resumes the session with
 * its token ({@code C_RESUME}), falling back to the password; a message or clip whose
 * acknowledgement was lost is sent again with its client message id ({@link #sendMessage}). They
 * also bring receipts ({@link ImpsListener#onReceipt}, {@link #markRead}) and the {@link #unread}
 * counts. See {@code docs/CLIENT.md}.
 */
public final class ImpsClient implements AutoCloseable {
  /** Where the client is in its life. */
  public enum State {
    /** Not connected (never, or after a drop without reconnection, or after logout). */
    DISCONNECTED,
    /** Connected, not logged in. */
    CONNECTED,
    /** Connected and logged in. */
    LOGGED_IN,
    /** Connection lost; waiting for or making a reconnection attempt. */
    RECONNECTING,
    /** {@link #close()} was called; terminal. */
    CLOSED
  }

  private final ClientOptions options;
  private final ClientSession session;
  private final Logins logins;
  private final SocialRequests social;
  private final ConversationRequests conversations;

  /**
   * Creates a client; nothing is connected until {@link #connect()}.
   *
   * @param options connection settings
   * @param listener receives pushes and connection changes; use {@code new ImpsListener() {}} to
   *     ignore them
   */
  public ImpsClient(ClientOptions options, ImpsListener listener) {
    this.options = Objects.requireNonNull(options, "options");
    this.session = new ClientSession(options, Objects.requireNonNull(listener, "listener"));
    this.logins = session.logins;
    this.social = new SocialRequests(session.connection, logins, session::beforeLogout);
    this.conversations =
        new ConversationRequests(options, session.connection, session.outbox, logins);
  }

  /** The settings this client was made with. */
  public ClientOptions options() {
    return options;
  }

  /** The current state; changes asynchronously. */
  public State state() {
    return session.connection.state().publicState();
  }

  /** The user name as registered, once logged in; {@code null} before the first login. */
  public String userName() {
    return logins.userName();
  }

  /**
   * The protocol extensions the server granted at the current (or last) login: with the default
   * options {@link Feature#ACKS}, {@link Feature#IDEMPOTENT_SENDS}, {@link Feature#RECEIPTS},
   * {@link Feature#SOCIAL}, {@link Feature#HISTORY}, {@link Feature#LIVE_LOCATIONS}, {@link
   * Feature#TRACKS} and {@link Feature#UNREAD}; empty with {@link ClientOptions#legacy()} or a
   * server that does not offer them.
   */
  public Set<Feature> extensions() {
    return logins.extensions();
  }

  // Connection and session -----------------------------------------------------------------
  /**
   * Opens the connection. Completes when connected, or fails with {@link ImpsConnectionException}
   * (refused, unreachable, connect timeout, or reconnecting already). Completes at once when
   * already connected.
   */
  public CompletableFuture<Void> connect() {
    return session.connection.connect();
  }

  /**
   * Registers an account ({@code C_REGISTER}); allowed before or after login and does not log in.
   *
   * @param gender as the user gives it
   * @param email may be empty
   * @return {@code true} when registered, {@code false} when the name is taken; fails with {@link
   *     ImpsRefusedException} code 8 when a field is invalid
   */
  public CompletableFuture<Boolean> register(
      String user, String password, Gender gender, String email) {
    return social.register(user, password, gender, email);
  }

  /**
   * Logs in ({@code C_LOGIN_REQ}); on success starts automatic heartbeats and remembers the
   * credentials for reconnection. {@link ImpsListener#onLoggedIn} is called before this future
   * completes; stored friend requests, outcomes, messages and clips follow as pushes.
   *
   * @return the account as registered; fails with {@link ImpsRefusedException} code 6 (wrong name
   *     or password), 4 (already logged in) or 10 (too many failed logins)
   */
  public CompletableFuture<Account> login(String user, String password) {
    return logins.login(user, password);
  }

  /**
   * Sets the own status ({@code C_STATUS_NOTIFY}) to {@link Presence#ONLINE} or {@link
   * Presence#INVISIBLE}; the choice is restored after an automatic reconnection. Use {@link
   * #logout()} to go offline.
   */
  public CompletableFuture<Void> setStatus(Presence presence) {
    return session.setStatus(presence);
  }

  /**
   * Signs out ({@code C_STATUS_NOTIFY} with status 0): friends are told, the server acknowledges
   * and closes the connection. No reconnection follows. While reconnecting it stops reconnecting
   * and, like every request without a connection, fails with {@link ImpsConnectionException}.
   */
  public CompletableFuture<Void> logout() {
    return session.logout();
  }

  /**
   * Closes the connection and releases the client's threads; pending futures fail with {@link
   * ImpsConnectionException}. Idempotent; the client cannot be used afterwards.
   */
  @Override
  public void close() {
    session.close();
  }

  // Friends and account --------------------------------------------------------------------
  /** The friend list ({@code C_FRIENDLIST_REFURBISH_REQ}) with status and last position. */
  public CompletableFuture<List<Friend>> friends() {
    return social.friends();
  }

  /**
   * Asks {@code friendName} to be friends ({@code C_ADDFRIEND_REQ}). The answer, when it comes
   * later, reaches {@link ImpsListener#onFriendRequestOutcome}.
   *
   * @return the immediate outcome; fails with {@link ImpsRefusedException} code 8 when asking
   *     oneself
   */
  public CompletableFuture<AddFriendResult> addFriend(String friendName) {
    return social.addFriend(friendName);
  }

  /**
   * Answers the pending friend request of {@code requester} ({@code C_ADDFRIEND_RSP}). Fails with
   * {@link ImpsRefusedException} code 3 when there is no such pending request. After an accept the
   * new friend's details follow as {@link ImpsListener#onFriendRequestOutcome}.
   */
  public CompletableFuture<Void> answerFriendRequest(String requester, boolean accept) {
    return social.answerFriendRequest(requester, accept);
  }

  /**
   * Ends the friendship with {@code friendName}, both ways ({@code C_UNFRIEND}): no more messages,
   * presence or locations between the two; their client is told ({@link
   * ImpsListener#onFriendRemoved}). Completes also when they were not friends. Fails with {@link
   * ImpsRefusedException} code 2 (no such user), or 3 when the connection has not the
   * friends-and-account extension ({@link Feature#SOCIAL}: legacy options, or an older server).
   */
  public CompletableFuture<Void> unfriend(String friendName) {
    return social.unfriend(friendName);
  }

  /**
   * Blocks {@code userName}, friend or not ({@code C_BLOCK}): ends a friendship as {@link
   * #unfriend} does, and from then on their friend requests and messages never reach the user (they
   * are not told). Fails with {@link ImpsRefusedException} code 2 (no such user), 8 (oneself) or 3
   * (no {@link Feature#SOCIAL}).
   */
  public CompletableFuture<Void> block(String userName) {
    return social.block(userName, true);
  }

  /** Lifts a block ({@code C_BLOCK} with 0); the friendship does not come back. */
  public CompletableFuture<Void> unblock(String userName) {
    return social.block(userName, false);
  }

  /** The users the user has blocked, in name order ({@code C_BLOCKLIST_REQ}). */
  public CompletableFuture<List<String>> blocked() {
    return social.blocked();
  }

  /**
   * Changes the user's password ({@code C_PASSWD}); needs the current one. The server revokes every
   * session token, so other devices must log in with the new password; this client stays logged in
   * and reconnects with the new password. Fails with {@link ImpsRefusedException} code 6 (wrong
   * current password; counts as a failed login), 8 (the new one is invalid), 10 (throttled) or 3
   * (no {@link Feature#SOCIAL}).
   */
  public CompletableFuture<Void> changePassword(String currentPassword, String newPassword) {
    return social.changePassword(currentPassword, newPassword);
  }

  /**
   * Deletes the user's account and everything the server keeps of it ({@code C_DELETE_ACCOUNT});
   * needs the password. Former friends see the user go offline and removed; the name is free again.
   * The server then closes the connection and the client does not reconnect. Fails with {@link
   * ImpsRefusedException} code 6 (wrong password; counts as a failed login), 10 (throttled) or 3
   * (no {@link Feature#SOCIAL}).
   */
  public CompletableFuture<Void> deleteAccount(String password) {
    return social.deleteAccount(password);
  }

  // Messages and clips ---------------------------------------------------------------------
  /**
   * Sends a text message ({@code C_SEND_MSG}); completes once the server has stored it, with the
   * message's client id (0 on a legacy connection), which {@link MessageReceipt}s name later.
   *
   * <p>With idempotent sends (the default) a send whose acknowledgement the connection dropped is
   * kept and sent again with the same id after the automatic reconnection, and the server stores it
   * once; sends made while reconnecting wait for the connection. Such a future can therefore stay
   * pending longer than the request timeout: it fails with {@link ImpsConnectionException} only
   * when the client stops reconnecting, signs out or closes. Fails with {@link
   * ImpsRefusedException} code 9 (not friends), 2 (no such user) or 8 (empty or too long for the
   * server), or with {@link ImpsInvalidRequestException} when longer than the server's {@code
   * max-message-chars} as it announced it at the login ({@code S_HELLO}), or than {@link
   * ClientOptions#maxMessageChars()} when it announced none (then nothing is sent).
   */
  public CompletableFuture<Long> sendMessage(String friendName, String text) {
    return conversations.sendMessage(friendName, text);
  }

  /**
   * Sends a voice clip ({@code C_AUDIO_REQ}); the same rules as {@link #sendMessage}. The bytes are
   * delivered unchanged. A clip larger than the server's {@code max-audio-bytes} as it announced it
   * at the login ({@code S_HELLO}; {@link ClientOptions#maxAudioBytes()} when it announced none),
   * or than one frame can carry with the friend's name, fails with {@link
   * ImpsInvalidRequestException} and is not sent.
   */
  public CompletableFuture<Long> sendVoice(String friendName, byte[] clip) {
    return conversations.sendVoice(friendName, clip);
  }

  /**
   * Tells the server that the user has read {@code peer}'s messages up to and including the stored
   * item {@code upToSeq} ({@code C_READ}, see {@link ReceivedMessage#seq()}); the sender learns it
   * through a read receipt, and the server advances the user's read mark for {@code peer}, from
   * which {@link #unread} counts. Completes at once, sending nothing, when the connection has no
   * receipts (legacy) or {@code upToSeq} is 0.
   */
  public CompletableFuture<Void> markRead(String peer, long upToSeq) {
    return conversations.markRead(peer, upToSeq);
  }

  /** {@link #markRead(String, long)} for one received message (and everything before it). */
  public CompletableFuture<Void> markRead(ReceivedMessage message) {
    return markRead(message.sender(), message.seq());
  }

  /** {@link #markRead(String, long)} for one received clip (and everything before it). */
  public CompletableFuture<Void> markRead(ReceivedClip clip) {
    return markRead(clip.sender(), clip.seq());
  }

  /**
   * How many messages and clips from each friend the user has not read yet ({@code C_UNREAD_REQ},
   * docs/PROTOCOL.md 8.8), counted by the server: a message is unread until a {@link #markRead} of
   * the user, from any client, covers it (delivered is not read). {@code markRead(friend,
   * counts.asOfSeq())} marks all of a friend's counted messages read, also those the client saw
   * only through {@link #history}. Reading the counts changes nothing. Fails with {@link
   * ImpsRefusedException} code 3 when the server does not offer them (or the options are legacy).
   */
  public CompletableFuture<UnreadCounts> unread() {
    return conversations.unread();
  }

  /**
   * The newest messages and clips of the conversation with {@code peer}, both directions, newest
   * first ({@code C_HISTORY}, docs/PROTOCOL.md 8.6); page on with {@link #history(String, long,
   * boolean, int)} from {@link ConversationPage#lastId()}.
   */
  public CompletableFuture<ConversationPage> history(String peer, int max) {
    return history(peer, 0, false, max);
  }

  /**
   * A page of the conversation with {@code peer} by message number: with {@code newer} false the
   * messages numbered below {@code fromId} (0: from the newest), newest first; else those above it,
   * oldest first. At most {@code max} (the server gives at most 100, and no more than fit one
   * frame). Fails with {@link ImpsRefusedException} code 2 (no such user) or 3 (the server does not
   * offer history, or the options are legacy).
   */
  public CompletableFuture<ConversationPage> history(
      String peer, long fromId, boolean newer, int max) {
    return conversations.history(peer, fromId, newer, max);
  }

  // Locations ------------------------------------------------------------------------------
  /**
   * Sends a heartbeat ({@code C_HEARTBEAT_REQ}) with location fixes, as the protocol carries them.
   *
   * @param fixes may be empty; time as {@code yyyy-MM-dd HH:mm:ss} (or ISO-8601 with offset, or
   *     epoch milliseconds), location as {@code lat,lon}. One invalid fix fails the future with
   *     {@link ImpsRefusedException} code 8 and nothing is stored.
   */
  public CompletableFuture<Void> heartbeat(List<LocationFix> fixes) {
    return conversations.heartbeat(fixes);
  }

  /**
   * Shares where the user is now: a heartbeat with one fix, stamped with the time of {@link
   * ClientOptions#clock()} (sent with its offset, so the server's zone does not matter).
   */
  public CompletableFuture<Void> shareLocation(Position position) {
    return conversations.shareLocation(position);
  }

  /**
   * Starts ({@code on}) or stops friends' live positions ({@code C_LIVE_LOCATIONS}): each friend's
   * new position then reaches {@link ImpsListener#onFriendMoved}. For the current connection: call
   * it again from {@link ImpsListener#onReconnected}. Fails with {@link ImpsRefusedException} code
   * 3 when the server does not offer them (or the options are legacy).
   */
  public CompletableFuture<Void> liveLocations(boolean on) {
    return conversations.liveLocations(on);
  }

  /**
   * The track of {@code user} (the user's own name or a friend's) between {@code from} and {@code
   * to}, both included, to the second ({@code C_TRACK}, docs/PROTOCOL.md 8.6): the fixes oldest
   * first, thinned by the server uniformly by time to at most {@code maxPoints} (0, or more than
   * the server's bound of 4,000, means 4,000), the last fix always kept. A friend's track has no
   * fix from a time the friend was invisible. Fails with {@link ImpsRefusedException} code 9 when
   * the name is neither the user's nor a friend's (unknown names too) and 3 when the server does
   * not offer tracks (or the options are legacy).
   */
  public CompletableFuture<Track> track(String user, Instant from, Instant to, int maxPoints) {
    return conversations.track(user, from, to, maxPoints);
  }
}
