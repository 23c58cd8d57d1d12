package imps.client.cli;

import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One line of text per event, shared by {@code chat} and {@code recv}. */
public final class EventFormat {
  private EventFormat() {}

  public static String message(MessagePush m) {
    return "[" + m.datetime() + "] " + m.friendName() + ": " + m.message();
  }

  public static String voice(AudioPush clip, String savedAs) {
    return "["
        + clip.datetime()
        + "] "
        + clip.friendName()
        + " sent a voice clip ("
        + clip.data().length()
        + " bytes)"
        + (savedAs != null ? ", saved to " + savedAs : "");
  }

  public static String presence(StatusNotifyPush p) {
    return p.userName() + " is now " + p.status().label();
  }

  public static String friendRequest(FriendRequestPush r) {
    return "friend request from " + r.friendName();
  }

  public static String outcome(AddFriendResponse r) {
    String who = r.userName() != null ? r.userName() : "?";
    return switch (r.result()) {
      case ACCEPTED -> "you and " + who + " are now friends";
      case NO_SUCH_USER -> "there is no user named " + who;
      case REFUSED -> who + " declined your friend request";
    };
  }

  /** One friend: name, status, and where and when last seen. */
  public static String friend(FriendInfo f) {
    String where =
        f.location().isEmpty()
            ? "location unknown"
            : "at " + f.location() + (f.time().isEmpty() ? "" : " (" + f.time() + ")");
    return f.name() + "  " + f.status().label() + "  " + where;
  }

  /**
   * Saves a clip under {@code dir} as {@code SENDER-yyyyMMdd-HHmmss.bin} (with {@code -N} added
   * when taken) and returns the path. The sender's name is reduced to safe file-name characters.
   */
  public static Path saveClip(Path dir, AudioPush clip) throws IOException {
    Files.createDirectories(dir);
    String sender = clip.friendName().replaceAll("[^\\p{L}\\p{N}_-]", "_");
    String stamp = clip.datetime().replaceAll("[^0-9]", "");
    if (stamp.length() == 14) {
      stamp = stamp.substring(0, 8) + "-" + stamp.substring(8);
    }
    for (int n = 0; ; n++) {
      Path p = dir.resolve(sender + "-" + stamp + (n == 0 ? "" : "-" + n) + ".bin");
      try {
        Files.write(
            p, clip.data().toByteArray(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return p;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // try the next suffix
      }
    }
  }
}
