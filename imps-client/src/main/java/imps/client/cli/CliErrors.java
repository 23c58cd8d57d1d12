package imps.client.cli;

import imps.client.ImpsClientException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * The one mapping from a failed request to what the user sees: a plain message ({@link Messages})
 * and an exit code ({@link ExitCodes}). Failures that are not request failures are left to the
 * caller (a bug: exit 1 with a hint to {@code IMPS_DEBUG}).
 */
final class CliErrors {
  private CliErrors() {}

  /** A failed request as the user sees it. */
  record Failure(ImpsClientException cause, String message, int exitCode) {}

  /**
   * The failure behind {@code t}, described for {@code target}, or {@code null} when {@code t} is
   * no request failure.
   */
  static Failure of(Throwable t, String target) {
    ImpsClientException e = ImpsClientException.unwrap(t);
    return e == null ? null : new Failure(e, Messages.describe(e, target), ExitCodes.of(e));
  }

  /**
   * Runs a one-shot command's action; a failed request becomes {@code imps: MESSAGE} on stderr and
   * its exit code.
   *
   * @param target the user the action concerns, for messages; may be {@code null}
   */
  static int run(CliIo io, String target, Callable<Integer> action) throws Exception {
    try {
      return action.call();
    } catch (CompletionException e) {
      Failure f = of(e, target);
      if (f == null) {
        throw e;
      }
      io.err().println("imps: " + f.message());
      return f.exitCode();
    }
  }
}
