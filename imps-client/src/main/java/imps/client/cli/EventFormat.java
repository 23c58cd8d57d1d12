package imps.client.cli;

import imps.client.Friend;
import imps.client.FriendRequestOutcome;
import imps.client.Position;
import imps.client.ReceivedClip;
import imps.client.ReceivedMessage;
import imps.protocol.Presence;

/** One line of text per event, shared by the chat, {@code recv} and the other commands. */
public final class EventFormat {
  private EventFormat() {}

  public static String message(ReceivedMessage m) {
    return "[" + m.acceptedAt() + "] " + m.sender() + ": " + m.text();
  }

  public static String voice(ReceivedClip clip, String savedAs) {
    return "["
        + clip.acceptedAt()
        + "] "
        + clip.sender()
        + " sent a voice clip ("
        + clip.size()
        + " bytes)"
        + (savedAs != null ? ", saved to " + savedAs : "");
  }

  public static String presence(String friend, Presence presence) {
    return friend + " is now " + presence.label();
  }

  public static String friendRequest(String from) {
    return "friend request from " + from;
  }

  public static String outcome(FriendRequestOutcome o) {
    return switch (o.result()) {
      case ACCEPTED -> "you and " + o.user() + " are now friends";
      case NO_SUCH_USER -> "there is no user named " + o.user();
      case DECLINED -> o.user() + " declined your friend request";
    };
  }

  /** A friend's live position, with distance and direction when {@code me} is known. */
  public static String moved(String friend, Position at, String time, Position me) {
    return friend
        + " is at "
        + at
        + " ("
        + time
        + ")"
        + (me != null ? ", " + Geo.describe(me, at) : "");
  }

  /** One friend: name, status, and where and when last seen. */
  public static String friend(Friend f) {
    return friend(f, null);
  }

  /**
   * One friend, and, when {@code me} (the user's own last shared position) is known, how far away
   * and in which direction the friend was seen.
   */
  public static String friend(Friend f, Position me) {
    String where =
        !f.hasPosition()
            ? "location unknown"
            : "at "
                + f.position()
                + " ("
                + f.positionTime()
                + ")"
                + (me != null ? ", " + Geo.describe(me, f.position()) : "");
    return f.name() + "  " + f.status().label() + "  " + where;
  }
}
