package imps.client;

import imps.protocol.message.ClipBytes;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A voice clip a friend sent. Immutable: {@link #clip()} hands out a copy of the bytes.
 *
 * <p>Equal when sender, bytes, time and sequence number are equal.
 */
public final class ReceivedClip {
  private final String sender;
  private final ClipBytes clip;
  private final String acceptedAt;
  private final long seq;

  /**
   * @param sender the friend who sent it
   * @param clip the bytes; a copy is kept
   * @param acceptedAt when the server accepted it
   */
  public ReceivedClip(String sender, byte[] clip, String acceptedAt) {
    this(sender, ClipBytes.copyOf(clip), acceptedAt, 0);
  }

  ReceivedClip(String sender, ClipBytes clip, String acceptedAt, long seq) {
    this.sender = Objects.requireNonNull(sender, "sender");
    this.clip = Objects.requireNonNull(clip, "clip");
    this.acceptedAt = Objects.requireNonNull(acceptedAt, "acceptedAt");
    this.seq = seq;
  }

  /** The friend who sent it, as registered. */
  public String sender() {
    return sender;
  }

  /** A copy of the clip's bytes, exactly as sent. */
  public byte[] clip() {
    return clip.toByteArray();
  }

  /** A read-only view of the clip's bytes, for writing them out without a copy. */
  public ByteBuffer clipBuffer() {
    return clip.asReadOnlyBuffer();
  }

  /** The clip's length in bytes. */
  public int size() {
    return clip.length();
  }

  /** When the server accepted it, {@code yyyy-MM-dd HH:mm:ss} in the server's zone. */
  public String acceptedAt() {
    return acceptedAt;
  }

  /**
   * The server's sequence number of the clip among everything stored for this user (acknowledged
   * delivery), for {@link ImpsClient#markRead}; 0 on a legacy connection.
   */
  public long seq() {
    return seq;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReceivedClip other
        && sender.equals(other.sender)
        && clip.equals(other.clip)
        && acceptedAt.equals(other.acceptedAt)
        && seq == other.seq;
  }

  @Override
  public int hashCode() {
    return Objects.hash(sender, clip, acceptedAt, seq);
  }

  @Override
  public String toString() {
    return "ReceivedClip[sender="
        + sender
        + ", "
        + clip
        + ", acceptedAt="
        + acceptedAt
        + ", seq="
        + seq
        + "]";
  }
}
