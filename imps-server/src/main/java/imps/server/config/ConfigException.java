package imps.server.config;

/**
 * Invalid configuration; the message says which setting and why, and the server refuses to start.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  /** The message for a value a setting refuses: {@code invalid value for port: '70000' (why)}. */
  static String invalidValue(String key, String shown, String why) {
    return "invalid value for " + key + ": '" + shown + "' (" + why + ")";
  }
}
