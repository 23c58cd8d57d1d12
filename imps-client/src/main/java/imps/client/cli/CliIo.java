package imps.client.cli;

import java.io.PrintWriter;
import java.util.Map;

/**
 * What the commands talk to, injected so that tests can script input and read output.
 *
 * @param out results (stdout)
 * @param err diagnostics and errors (stderr)
 * @param env environment variables ({@code IMPS_PASSWORD})
 * @param secrets asks for a secret without echo; returns {@code null} when no terminal is there
 */
public record CliIo(
    PrintWriter out, PrintWriter err, Map<String, String> env, SecretPrompt secrets) {

  /** Reads a secret (a password) without echoing it. */
  @FunctionalInterface
  public interface SecretPrompt {
    /** The secret, or {@code null} when it cannot be asked for (no terminal). */
    char[] read(String prompt);
  }

  /** The process's own stdout, stderr, environment and console. */
  public static CliIo system() {
    return new CliIo(
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true),
        System.getenv(),
        prompt -> System.console() != null ? System.console().readPassword("%s", prompt) : null);
  }

  /**
   * The password: {@code IMPS_PASSWORD} if set, otherwise asked for (never a flag, which would land
   * in shell history and process lists).
   *
   * @throws picocli.CommandLine.ParameterException-like {@link IllegalStateException} when neither
   *     is available
   */
  public String password(String prompt) {
    String fromEnv = env.get("IMPS_PASSWORD");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    char[] typed = secrets.read(prompt);
    if (typed == null) {
      throw new NoPasswordException();
    }
    return new String(typed);
  }

  /** Neither {@code IMPS_PASSWORD} nor a terminal to ask on. */
  public static final class NoPasswordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoPasswordException() {
      super("no password: set IMPS_PASSWORD or run in a terminal to be asked");
    }
  }
}
