package imps.client.cli;

import imps.client.ClientOptions;
import imps.client.ImpsClientException;
import imps.client.ImpsRefusedException;
import imps.protocol.CommandType;
import imps.protocol.ErrorCode;

/** Plain-language text for every error a user can meet, in the context of what they tried. */
public final class Messages {
  private Messages() {}

  /**
   * Describes a failed request.
   *
   * @param target the user the request concerned (friend, recipient, new account), or {@code null}
   */
  public static String describe(ImpsClientException e, String target) {
    if (!(e instanceof ImpsRefusedException ie)) {
      return e.getMessage();
    }
    String who = target != null ? target : "that user";
    ErrorCode code = ie.errorCode();
    CommandType cmd = ie.command();
    return switch (code) {
      case SUCCESS -> "done";
      case USER_EXISTS -> "the user name " + who + " is already taken";
      case NO_SUCH_USER -> "there is no user named " + who;
      case NOT_PERMITTED -> notPermitted(cmd, who);
      case ALREADY_LOGGED_IN -> "already logged in on this connection";
      case NOT_LOGGED_IN -> "not logged in";
      case BAD_CREDENTIALS ->
          cmd == CommandType.C_PASSWD || cmd == CommandType.C_DELETE_ACCOUNT
              ? "wrong password"
              : "wrong user name or password";
      case LOGGED_IN_ELSEWHERE -> "logged in elsewhere; this session was closed";
      case MALFORMED -> malformed(cmd, who);
      case NOT_FRIENDS -> who + " is not your friend (send a request with add first)";
      case TOO_MANY_REQUESTS -> tooMany(cmd);
      case SERVER_ERROR -> "server error; nothing was changed, try again";
      case SHUTTING_DOWN -> "the server is shutting down; try again in a moment";
    };
  }

  private static String notPermitted(CommandType cmd, String who) {
    if (cmd == CommandType.C_ADDFRIEND_RSP) {
      return "there is no pending friend request from " + who;
    }
    if (cmd != null && cmd.isExtension()) {
      return "the server does not offer this (" + cmd + "); it may be an older version";
    }
    return "not permitted right now";
  }

  private static String tooMany(CommandType cmd) {
    if (cmd == CommandType.C_LOGIN_REQ) {
      // The server does not say how long; these are its defaults (docs/SECURITY.md, "Logins").
      return "too many failed logins for this user or from this address; the server delays"
          + " further attempts (by default 1 s after 5 failures, doubling with each further"
          + " failure, at most 10 min; an address that keeps failing gets one attempt every 30 s):"
          + " wait and try again";
    }
    if (cmd == CommandType.C_REGISTER) {
      return "too many registrations from this address; try again later";
    }
    return "too many requests; wait a moment and try again";
  }

  private static String malformed(CommandType cmd, String who) {
    if (cmd == null) {
      return "the server rejected the request as invalid";
    }
    return switch (cmd) {
      case C_REGISTER ->
          "invalid registration: "
              + InputRules.NAME_RULE
              + ", "
              + InputRules.PASSWORD_RULE
              + ", "
              + InputRules.EMAIL_RULE;
      case C_LOGIN_REQ -> "invalid user name or password";
      case C_ADDFRIEND_REQ -> "you cannot add yourself as a friend";
      case C_SEND_MSG ->
          "the server refused the message: empty, or longer than its limit ("
              + ClientOptions.DEFAULT_MAX_MESSAGE_CHARS
              + " characters by default)";
      case C_AUDIO_REQ ->
          "the server refused the clip: empty, or larger than its limit ("
              + ClientOptions.DEFAULT_MAX_AUDIO_BYTES
              + " bytes by default; tell the client with --max-clip-bytes)";
      case C_HEARTBEAT_REQ -> "invalid location fix";
      case C_BLOCK -> "you cannot block yourself";
      case C_PASSWD -> "invalid new password: " + InputRules.PASSWORD_RULE;
      default -> "the server rejected the request as invalid";
    };
  }
}
