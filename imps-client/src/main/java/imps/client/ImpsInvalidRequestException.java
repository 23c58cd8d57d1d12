package imps.client;

/**
 * The client did not send a request because it breaks a limit the client checks itself: a clip
 * larger than the server's announced {@code max-audio-bytes} (else {@link
 * ClientOptions#maxAudioBytes()}) or than one frame can carry, a message longer than the server's
 * announced {@code max-message-chars} (else {@link ClientOptions#maxMessageChars()}), or any
 * request that does not fit in one frame. Nothing reached the server; the connection is unaffected.
 */
public final class ImpsInvalidRequestException extends ImpsClientException {
  private static final long serialVersionUID = 1L;

  private final long limit;

  /**
   * @param message what is wrong, naming the limit, e.g. "the clip is larger than 61440 bytes"
   * @param limit the limit that was exceeded, in the unit the message names
   */
  public ImpsInvalidRequestException(String message, long limit) {
    super(message, null);
    this.limit = limit;
  }

  /** The limit that was exceeded, in the unit {@link #getMessage()} names. */
  public long limit() {
    return limit;
  }
}
