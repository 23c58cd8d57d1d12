package imps.bench;

/**
 * Thrown when setting up users (or a scenario's own preparation) fails: the scenario cannot run.
 */
public final class SetupException extends Exception {
  public SetupException(String message) {
    super(message);
  }
}
