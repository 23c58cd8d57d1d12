package imps.bench;

import imps.protocol.ErrorCode;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;

/** Reading the server's replies. */
final class Replies {
  private Replies() {}

  /** Whether {@code reply} is the plain acknowledgement, {@code S_ERROR_RSP(0, cmd)}. */
  static boolean isSuccess(ImpsMessage reply) {
    return reply instanceof ErrorResponse e && e.code() == ErrorCode.SUCCESS;
  }

  /** A reply for an error message: error responses with their code's meaning. */
  static String describe(ImpsMessage reply) {
    if (reply instanceof ErrorResponse e) {
      return "S_ERROR_RSP(" + e.code().code() + " " + e.code().meaning() + ", cmd " + e.cmd() + ")";
    }
    return String.valueOf(reply);
  }

  /** Like {@link #describe}, with "closed" for the null reply of a connection that closed. */
  static String describeOrClosed(ImpsMessage reply) {
    return reply == null ? "closed" : describe(reply);
  }
}
