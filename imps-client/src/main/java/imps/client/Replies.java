package imps.client;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Limits;
import imps.protocol.codec.ModifiedUtf8;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;

/** Reading replies, and the room a request has in one frame. */
final class Replies {
  private Replies() {}

  /** Whether {@code reply} is the acknowledgement {@code S_ERROR_RSP(0, cmd)}. */
  static boolean isSuccess(ImpsMessage reply) {
    return reply instanceof ErrorResponse e && e.code() == ErrorCode.SUCCESS;
  }

  /**
   * The reply as {@code type}.
   *
   * @throws ImpsRefusedException when the reply is an {@code S_ERROR_RSP}
   */
  static <T extends ImpsMessage> T as(ImpsMessage reply, Class<T> type) {
    if (reply instanceof ErrorResponse e) {
      throw refused(e);
    }
    return type.cast(reply);
  }

  /**
   * Checks an acknowledgement.
   *
   * @throws ImpsRefusedException when its code is not success
   */
  static Void ack(ImpsMessage reply) {
    ErrorResponse e = (ErrorResponse) reply;
    if (e.code() != ErrorCode.SUCCESS) {
      throw refused(e);
    }
    return null;
  }

  private static ImpsRefusedException refused(ErrorResponse e) {
    return new ImpsRefusedException(e.code(), CommandType.valueOf(e.cmd()));
  }

  /**
   * The room for clip bytes in one {@code C_AUDIO_REQ} to {@code friendName} stamped {@code time}.
   */
  static int clipRoom(String friendName, String time) {
    int fixed = 1 + 2 + 4 + 2; // CMDTYPE, the two UTF counts, the Byte[] count
    return Limits.MAX_CONTENT_LENGTH
        - fixed
        - ModifiedUtf8.encodedLength(friendName)
        - ModifiedUtf8.encodedLength(time);
  }
}
