package imps.protocol.codec;

/**
 * Thrown inside the codec when a field does not parse; the frame decoder turns it into a {@link
 * DecodeError}, so it never escapes the pipeline. Stack traces are not filled in: malformed input
 * is expected and must be cheap.
 */
public final class MalformedException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedException(String message) {
    super(message, null, false, false);
  }
}
