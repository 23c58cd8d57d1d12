package imps.client;

import imps.protocol.CommandType;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.BlockListResponse;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.HistoryPage;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterResponse;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Matches incoming frames to requests. The protocol answers every request exactly once and in
 * request order, so the pending requests form a FIFO and a reply always belongs to its head; what
 * is left to decide is whether a frame is a reply or a push. Not thread-safe: the client confines
 * it to its I/O thread.
 *
 * <p>The rule, by frame type:
 *
 * <ul>
 *   <li>{@code S_SEND_MSG}, {@code S_AUDIO_RSP}, {@code S_STATUS_NOTIFY}, {@code S_ADDFRIEND_REQ}:
 *       always pushes.
 *   <li>{@code S_ERROR_RSP(code, 0)}: always a push (unsolicited).
 *   <li>{@code S_ERROR_RSP(code, cmd)}, cmd &ne; 0: the reply to the head, whose CMDTYPE must be
 *       {@code cmd}.
 *   <li>{@code S_LOGIN_RSP}, {@code S_REGISTER}, {@code S_HEARTBEAT_RSP}, {@code
 *       S_FRIENDLIST_REFURBISH_RSP}, {@code S_HELLO}, {@code S_HISTORY}, {@code S_TRACK}, {@code
 *       S_UNREAD_RSP}: the reply to the head, which must be the matching request ({@code
 *       S_LOGIN_RSP} answers {@code C_LOGIN_REQ} and {@code C_RESUME}).
 *   <li>{@code S_STORED}: always a push (a stored item with its sequence number).
 *   <li>{@code S_ADDFRIEND_RSP}: the reply to the head if the head is a {@code C_ADDFRIEND_REQ} and
 *       the frame names the requested user (or names nobody, as a legacy frame may); otherwise a
 *       push (the later outcome of an earlier request).
 * </ul>
 *
 * <p>The one ambiguity: while a {@code C_ADDFRIEND_REQ} for B is in flight, a push about an earlier
 * request to B (B just answered it) looks exactly like the reply. It is then taken as the reply,
 * and the real reply that follows is treated as a push ({@code S_ADDFRIEND_RSP}) or dropped (an
 * {@code S_ERROR_RSP(x, 7)} that no pending request expects). Correlation of later requests is not
 * affected.
 *
 * <p>Anything else (a reply of the wrong type for the head, or a reply with nothing pending) means
 * the client and the server disagree about the conversation, and the client drops the connection.
 */
final class Correlator {

  /** What an incoming frame is. */
  enum Kind {
    /** The reply to the request returned by {@link Route#pending()}, now removed. */
    REPLY,
    /** A push for the listener. */
    PUSH,
    /** A late reply that can be recognised but has nobody waiting for it. */
    DROP,
    /** Cannot be matched: the conversation is out of step. */
    VIOLATION
  }

  /** Where a frame goes; {@code pending} is set only for {@link Kind#REPLY}. */
  record Route(Kind kind, Pending pending, String why) {}

  private final ArrayDeque<Pending> fifo = new ArrayDeque<>();

  void add(Pending p) {
    fifo.addLast(p);
  }

  int size() {
    return fifo.size();
  }

  /** Removes and returns every pending request (connection closed). */
  List<Pending> drain() {
    List<Pending> all = new ArrayList<>(fifo);
    fifo.clear();
    return all;
  }

  Route route(ImpsMessage m) {
    Pending head = fifo.peekFirst();
    int headCmd = head == null ? 0 : head.request().commandType().value();
    if (m instanceof ErrorResponse e) {
      if (e.cmd() == 0) {
        return push();
      }
      if (headCmd == e.cmd()) {
        return reply();
      }
      if (e.cmd() == CommandType.C_ADDFRIEND_REQ.value()) {
        // The consequence of the documented ambiguity: an add-friend request was answered by a
        // push that looked like its reply; this is its real reply.
        return new Route(Kind.DROP, null, "stray reply to C_ADDFRIEND_REQ");
      }
      return violation(m, headCmd);
    }
    if (m instanceof AddFriendResponse r) {
      if (head != null
          && head.request() instanceof AddFriendRequest req
          && (r.userName() == null || sameName(r.userName(), req.friendName()))) {
        return reply();
      }
      return push();
    }
    if (m instanceof LoginResponse) {
      // C_RESUME is a login with a session token and answered like one.
      return headCmd == CommandType.C_RESUME.value()
          ? reply()
          : expect(headCmd, CommandType.C_LOGIN_REQ, m);
    }
    if (m instanceof HelloResponse) {
      return expect(headCmd, CommandType.C_HELLO, m);
    }
    if (m instanceof RegisterResponse) {
      return expect(headCmd, CommandType.C_REGISTER, m);
    }
    if (m instanceof HeartbeatResponse) {
      return expect(headCmd, CommandType.C_HEARTBEAT_REQ, m);
    }
    if (m instanceof FriendListResponse) {
      return expect(headCmd, CommandType.C_FRIENDLIST_REFURBISH_REQ, m);
    }
    if (m instanceof BlockListResponse) {
      return expect(headCmd, CommandType.C_BLOCKLIST_REQ, m);
    }
    if (m instanceof HistoryPage) {
      return expect(headCmd, CommandType.C_HISTORY, m);
    }
    if (m instanceof imps.protocol.message.Track) {
      return expect(headCmd, CommandType.C_TRACK, m);
    }
    if (m instanceof imps.protocol.message.UnreadCounts) {
      return expect(headCmd, CommandType.C_UNREAD_REQ, m);
    }
    if (m.commandType().isClientToServer()) {
      return violation(m, headCmd);
    }
    return push();
  }

  /**
   * Whether two user names denote the same account. Names are unique under NFKC and case folding;
   * upper- then lower-casing approximates the fold closely enough for matching a reply.
   */
  static boolean sameName(String a, String b) {
    return fold(a).equals(fold(b));
  }

  private static String fold(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFKC)
        .toUpperCase(Locale.ROOT)
        .toLowerCase(Locale.ROOT);
  }

  private Route expect(int headCmd, CommandType wanted, ImpsMessage m) {
    return headCmd == wanted.value() ? reply() : violation(m, headCmd);
  }

  private Route reply() {
    return new Route(Kind.REPLY, fifo.removeFirst(), null);
  }

  private static Route push() {
    return new Route(Kind.PUSH, null, null);
  }

  private static Route violation(ImpsMessage m, int headCmd) {
    return new Route(
        Kind.VIOLATION,
        null,
        "unexpected "
            + m
            + (headCmd == 0
                ? " with no request pending"
                : " while waiting for the reply to " + CommandType.nameOf(headCmd)));
  }
}
