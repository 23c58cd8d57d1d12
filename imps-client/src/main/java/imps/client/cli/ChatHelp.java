package imps.client.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The chat's commands with their help lines, in the order {@code /help} shows them. */
final class ChatHelp {
  static final Map<String, String> COMMANDS = commands();

  private ChatHelp() {}

  private static Map<String, String> commands() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("/msg", "/msg NAME [TEXT]    send TEXT to NAME; NAME becomes the conversation");
    m.put("/history", "/history NAME [N]   the last N (20) messages with NAME; again: older ones");
    m.put("/friends", "/friends            list friends with status and position");
    m.put("/add", "/add NAME           ask NAME to be your friend");
    m.put("/accept", "/accept NAME        accept NAME's friend request");
    m.put("/reject", "/reject NAME        reject NAME's friend request");
    m.put("/unfriend", "/unfriend NAME       stop being friends with NAME (both ways)");
    m.put(
        "/block", "/block NAME         block NAME: unfriends, ignores their requests and messages");
    m.put("/unblock", "/unblock NAME       lift the block on NAME");
    m.put("/blocked", "/blocked            list the users you blocked");
    m.put("/passwd", "/passwd             change your password (asked without echo)");
    m.put(
        "/delete-account",
        "/delete-account     delete your account for good (asks your name and password)");
    m.put("/voice", "/voice NAME FILE    send FILE as a voice clip");
    m.put("/where", "/where NAME         show NAME's status, position and distance");
    m.put(
        "/track",
        "/track NAME FROM TO [FILE]  your or a friend's track: a summary, or written to FILE"
            + " (.gpx, .geojson)");
    m.put(
        "/live",
        "/live on|off        show friends' new positions as they move (distance, direction)");
    m.put("/share", "/share LAT,LON      share your position, e.g. /share 23.13,113.26");
    m.put("/walk", "/walk [KMH [BEARING]]  walk on from your position, sharing it (demo)");
    m.put("/stop", "/stop               stop walking");
    m.put("/status", "/status online|invisible  set your status");
    m.put("/reconnect", "/reconnect          log in again after the connection was lost");
    m.put("/help", "/help               this list");
    m.put("/quit", "/quit               sign out and leave (or Ctrl-D; Ctrl-C clears the line)");
    return Collections.unmodifiableMap(m);
  }
}
