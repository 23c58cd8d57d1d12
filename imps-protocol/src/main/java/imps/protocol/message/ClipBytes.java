package imps.protocol.message;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of a voice clip, immutable: the value keeps its own copy, hands out copies or read-only
 * views, and compares by content.
 */
public final class ClipBytes {
  private final byte[] bytes;

  private ClipBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A clip holding a copy of {@code bytes}. */
  public static ClipBytes copyOf(byte[] bytes) {
    return new ClipBytes(bytes.clone());
  }

  /** The length in bytes. */
  public int length() {
    return bytes.length;
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** A read-only view of the bytes, for writing them out without a copy. */
  public ByteBuffer asReadOnlyBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClipBytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return bytes.length + " bytes";
  }
}
