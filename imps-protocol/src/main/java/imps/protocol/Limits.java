package imps.protocol;

/**
 * Fixed limits of the wire format and the defaults of section 6. Server-side configurable values
 * start from these defaults.
 */
public final class Limits {
  /** Frame header: 'O', 'K', u16 content length. */
  public static final int HEADER_LENGTH = 4;

  /** The largest Content-Length (CMDTYPE plus fields). */
  public static final int MAX_CONTENT_LENGTH = 0xFFFF;

  /** The largest encoded length of one UTF field. */
  public static final int MAX_UTF_BYTES = 0xFFFF;

  public static final int USERNAME_MAX_CHARS = 20;
  public static final int USERNAME_MAX_BYTES = 60;
  public static final int PASSWORD_MIN_CHARS = 6;
  public static final int PASSWORD_MAX_CHARS = 128;
  public static final int EMAIL_MAX_CHARS = 254;
  public static final int MAX_FRIENDS = 500;
  public static final int DEFAULT_MAX_MESSAGE_CHARS = 4096;
  public static final int DEFAULT_MAX_AUDIO_BYTES = 60 * 1024;

  /** Malformed frames tolerated on one connection before it is closed. */
  public static final int DEFAULT_MAX_VIOLATIONS = 16;

  public static final int DEFAULT_LOGIN_TIMEOUT_SECONDS = 30;
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 180;

  private Limits() {}
}
