package imps.server.transport;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Voice clips that carry their number in their first four bytes, for the backlog tests. */
final class NumberedClips {
  private NumberedClips() {}

  /**
   * Sends clip number {@code i} of {@code size} bytes from {@code from} to {@code to} and waits for
   * its acknowledgement (it is stored then).
   */
  static void sendAndAwaitAck(FrameClient from, String to, int i, int size) throws IOException {
    byte[] clip = new byte[size];
    ByteBuffer.wrap(clip).putInt(0, i);
    from.send(new AudioRequest(to, ClipBytes.copyOf(clip), ""));
    from.awaitMatching(
        ErrorResponse.class,
        r -> r.equals(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_AUDIO_REQ)));
  }
}
