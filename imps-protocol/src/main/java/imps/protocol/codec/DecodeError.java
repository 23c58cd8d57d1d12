package imps.protocol.codec;

/**
 * What malformed input becomes: the frame decoder emits this instead of a message, and never
 * throws.
 *
 * @param kind what went wrong
 * @param cmd the CMDTYPE of the frame, or 0 when the framing itself broke
 * @param reason a short description for logs
 */
public record DecodeError(Kind kind, int cmd, String reason) {

  /** How bad the input was, which decides whether the connection can go on. */
  public enum Kind {
    /** Bad tag or Content-Length 0: the stream is out of sync and must be closed. */
    FRAMING,
    /** A well-delimited frame with an unknown CMDTYPE: the stream is still in sync. */
    UNKNOWN_COMMAND,
    /** A well-delimited frame whose fields do not parse: the stream is still in sync. */
    MALFORMED_FIELDS,
    /**
     * A well-formed frame over a limit of the reader (such as the fixes a heartbeat may carry),
     * refused before its fields are decoded: the stream is still in sync.
     */
    OVER_LIMIT
  }

  /** Whether the stream is out of sync, so that nothing more can be read from it. */
  public boolean isFatal() {
    return kind == Kind.FRAMING;
  }
}
