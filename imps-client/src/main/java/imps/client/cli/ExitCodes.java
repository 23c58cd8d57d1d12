package imps.client.cli;

import imps.client.ImpsClientException;
import imps.client.ImpsConnectionException;
import imps.client.ImpsInvalidRequestException;
import imps.client.ImpsRefusedException;
import imps.client.ImpsTimeoutException;

/** Exit codes of the commands; documented in {@code docs/CLIENT.md}. */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;

  /** Unexpected failure (a bug, or an I/O error such as an unreadable file). */
  public static final int FAILURE = 1;

  /** Bad command line, or no password available. */
  public static final int USAGE = 2;

  /** The server could not be reached, the connection dropped, or it did not answer in time. */
  public static final int UNAVAILABLE = 3;

  /** Wrong user name or password, or the session was taken over by another login. */
  public static final int AUTH = 4;

  /**
   * Refused: name taken, no such user, not friends, no pending request, invalid value (by the
   * server, or by the client before sending: too large, blank).
   */
  public static final int REFUSED = 5;

  /** Temporary: too many requests or a server error; the request was not applied, try again. */
  public static final int RETRY = 6;

  private ExitCodes() {}

  /** The exit code for a failed request. */
  public static int of(ImpsClientException e) {
    if (e instanceof ImpsConnectionException || e instanceof ImpsTimeoutException) {
      return UNAVAILABLE;
    }
    if (e instanceof ImpsInvalidRequestException) {
      return REFUSED;
    }
    return switch (((ImpsRefusedException) e).errorCode()) {
      case BAD_CREDENTIALS, LOGGED_IN_ELSEWHERE -> AUTH;
      case TOO_MANY_REQUESTS, SERVER_ERROR -> RETRY;
      case NOT_LOGGED_IN, ALREADY_LOGGED_IN, SUCCESS -> FAILURE;
      default -> REFUSED;
    };
  }
}
