package imps.client.cli;

import imps.client.ImpsClientException;
import imps.client.ImpsException;
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
    if (!(e instanceof ImpsException ie)) {
      return e.getMessage();
    }
    String who = target != null ? target : "that user";
    ErrorCode code = ie.errorCode();
    CommandType cmd = CommandType.valueOf(ie.command());
    return switch (code) {
      case SUCCESS -> "done";
      case USER_EXISTS -> "the user name " + who + " is already taken";
      case NO_SUCH_USER -> "there is no user named " + who;
      case NOT_PERMITTED ->
          cmd == CommandType.C_ADDFRIEND_RSP
              ? "there is no pending friend request from " + who
              : "not permitted right now";
      case ALREADY_LOGGED_IN -> "already logged in on this connection";
      case NOT_LOGGED_IN -> "not logged in";
      case BAD_CREDENTIALS -> "wrong user name or password";
      case LOGGED_IN_ELSEWHERE -> "logged in elsewhere; this session was closed";
      case MALFORMED -> malformed(cmd, who);
      case NOT_FRIENDS -> who + " is not your friend (send a request with add first)";
      case TOO_MANY_REQUESTS -> "too many requests; wait a moment and try again";
      case SERVER_ERROR -> "server error; nothing was changed, try again";
    };
  }

  private static String malformed(CommandType cmd, String who) {
    if (cmd == null) {
      return "the server rejected the request as invalid";
    }
    return switch (cmd) {
      case C_REGISTER ->
          "invalid registration: a name has 1-20 letters, digits, '_', '-' or '.', a password"
              + " 6-128 characters, an email one '@' and no spaces";
      case C_LOGIN_REQ -> "invalid user name or password";
      case C_ADDFRIEND_REQ -> "you cannot add yourself as a friend";
      case C_SEND_MSG -> "the message is empty or too long";
      case C_AUDIO_REQ -> "the voice clip is empty or too large";
      case C_HEARTBEAT_REQ -> "invalid location fix";
      default -> "the server rejected the request as invalid";
    };
  }
}
