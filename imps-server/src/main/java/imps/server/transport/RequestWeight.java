package imps.server.transport;

import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyRequest;

/**
 * About how many bytes of heap a decoded request holds while it waits in a connection's queue: the
 * budget {@code max-pending-bytes} is counted in these. Strings count two bytes a character plus an
 * object's overhead, so a request weighs somewhat more than its frame, never less.
 */
final class RequestWeight {
  private static final int OBJECT = 48;

  private RequestWeight() {}

  static int of(ImpsMessage m) {
    if (m instanceof SendMessage s) {
      return OBJECT + text(s.userName()) + text(s.friendName()) + text(s.message());
    }
    if (m instanceof AudioRequest a) {
      return OBJECT + text(a.friendName()) + a.data().length() + text(a.datetime());
    }
    if (m instanceof HeartbeatRequest h) {
      int w = OBJECT + text(h.userName());
      for (LocationFix f : h.fixes()) {
        w += OBJECT + text(f.time()) + text(f.location());
      }
      return w;
    }
    if (m instanceof LoginRequest l) {
      return OBJECT + text(l.userName()) + text(l.password());
    }
    if (m instanceof RegisterRequest r) {
      return OBJECT + text(r.userName()) + text(r.password()) + text(r.email());
    }
    if (m instanceof AddFriendRequest r) {
      return OBJECT + text(r.userName()) + text(r.friendName());
    }
    if (m instanceof AddFriendAnswer r) {
      return OBJECT + text(r.userName());
    }
    if (m instanceof FriendListRequest r) {
      return OBJECT + text(r.userName());
    }
    if (m instanceof StatusNotifyRequest r) {
      return OBJECT + text(r.userName());
    }
    return OBJECT;
  }

  private static int text(String s) {
    return OBJECT + 2 * s.length();
  }
}
