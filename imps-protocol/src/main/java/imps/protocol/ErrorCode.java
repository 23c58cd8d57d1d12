package imps.protocol;

/** The Response codes of {@code S_ERROR_RSP} (section 5 of the specification). */
public enum ErrorCode {
  /** Acknowledgement of a request that has no reply of its own. */
  SUCCESS(0, "success"),
  USER_EXISTS(1, "user already exists"),
  NO_SUCH_USER(2, "user does not exist"),
  NOT_PERMITTED(3, "not permitted in the current state"),
  ALREADY_LOGGED_IN(4, "already logged in"),
  NOT_LOGGED_IN(5, "not logged in"),
  BAD_CREDENTIALS(6, "wrong user name or password"),
  LOGGED_IN_ELSEWHERE(7, "logged in elsewhere"),
  MALFORMED(8, "malformed request"),
  NOT_FRIENDS(9, "not friends"),
  TOO_MANY_REQUESTS(10, "too many requests"),
  SERVER_ERROR(11, "server error, safe to retry"),

  // Extensions (codes from FIRST_EXTENSION on, like command numbers): sent to every client,
  // legacy ones too, since a legacy client treats an unknown code like a dropped connection.

  /**
   * Pushed unsolicited (Cmd 0) when the server shuts down gracefully: every request read before has
   * been answered, and the connection is closed next. Reconnect with back-off.
   */
  SHUTTING_DOWN(32, "server shutting down, reconnect later");

  /** Codes from this one on are extensions (docs/PROTOCOL.md, section 4). */
  public static final int FIRST_EXTENSION = 32;

  private static final ErrorCode[] BY_CODE = new ErrorCode[256];

  static {
    for (ErrorCode c : values()) {
      BY_CODE[c.code] = c;
    }
  }

  private final int code;
  private final String meaning;

  ErrorCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The byte sent on the wire. */
  public int code() {
    return code;
  }

  /** A short English description, fit for a user. */
  public String meaning() {
    return meaning;
  }

  /** The code for a wire value, or {@code null} when the value is not defined. */
  public static ErrorCode of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
