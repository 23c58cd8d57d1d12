package imps.server;

/**
 * The server could not start because something it needs is unavailable: its port is taken, or the
 * store or Redis cannot be reached. The message names what and where, in one line; {@link Main}
 * prints it and exits with status 4 (a supervisor may try again later, unlike for an invalid
 * configuration, status 2).
 */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
