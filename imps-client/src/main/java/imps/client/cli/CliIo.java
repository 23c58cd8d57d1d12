package imps.client.cli;

import java.io.PrintWriter;
import java.util.Map;

/**
 * What the commands talk to, injected so that tests can script input and read output.
 *
 * @param out results (stdout)
 * @param err diagnostics and errors (stderr)
 * @param env environment variables ({@code IMPS_PASSWORD}, {@code XDG_DATA_HOME}, ...)
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

  /** Where passwords come from for this I/O. */
  Passwords passwords() {
    return new Passwords(env, secrets);
  }
}
