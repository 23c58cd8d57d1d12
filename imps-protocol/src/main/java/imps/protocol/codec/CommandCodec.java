package imps.protocol.codec;

import imps.protocol.message.ImpsMessage;
import io.netty.buffer.ByteBuf;

/**
 * Reads and writes the fields of one command (everything after CMDTYPE). Implementations are
 * stateless and thread-safe.
 */
public interface CommandCodec<T extends ImpsMessage> {

  /** Reads the fields; bytes after the known fields are left unread (and ignored). */
  T read(ByteBuf in) throws MalformedException;

  /** Writes the fields of {@code message}. */
  void write(T message, ByteBuf out);
}
