package imps.client;

import imps.client.ConnectionState.Disconnected;
import imps.client.ConnectionState.LoggedIn;
import imps.client.ConnectionState.Reconnecting;
import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import imps.protocol.message.LoginRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back the connection of a logged-in client after it dropped, following the {@link
 * ReconnectPolicy}: waits, connects, logs in with the last credentials and sets again the status
 * last chosen. It does not reconnect after sign-out, after "logged in elsewhere" (that would only
 * push the other session out), or once the server refuses the credentials. All methods run on the
 * I/O thread unless they say otherwise.
 */
final class Reconnector {
  private static final Logger log = LoggerFactory.getLogger(Reconnector.class);

  /** How the client logs in again. */
  interface Relogin {
    /**
     * Any thread: logs in on the current channel with {@code credentials}, then sets {@code status}
     * when it is not {@code null}.
     */
    CompletableFuture<Account> loginAgain(LoginRequest credentials, Presence status);

    /** I/O thread: reconnection stopped for good (before the listener is told). */
    default void gaveUp() {}
  }

  private final ClientConnection connection;
  private final ReconnectPolicy policy;
  private final ImpsListener listener;
  private final Relogin relogin;
  private LoginRequest credentials;
  private Presence chosenStatus;

  Reconnector(
      ClientConnection connection, ReconnectPolicy policy, ImpsListener listener, Relogin relogin) {
    this.connection = connection;
    this.policy = policy;
    this.listener = listener;
    this.relogin = relogin;
  }

  /** A login succeeded with these credentials: they are the ones to log in again with. */
  void loggedIn(LoginRequest credentials) {
    this.credentials = credentials;
  }

  /** The user chose this status (online or invisible); it is restored after reconnecting. */
  void statusChosen(Presence status) {
    this.chosenStatus = status;
  }

  /** The user name of the last login, or {@code null}. */
  String lastUser() {
    return credentials == null ? null : credentials.userName();
  }

  /** The channel of {@code was} closed: reconnect, or settle in {@link Disconnected}. */
  void afterDrop(ConnectionState was, Throwable cause) {
    boolean retry =
        policy.enabled()
            && credentials != null
            && (was instanceof LoggedIn || was instanceof Reconnecting);
    if (retry) {
      schedule(was instanceof Reconnecting r ? r.attempt() + 1 : 0);
    } else {
      connection.moveTo(new Disconnected());
    }
    if (was instanceof LoggedIn || !retry) {
      connection.dispatch(() -> listener.onDisconnected(cause, retry));
    }
  }

  /** Stops reconnecting (sign-out while disconnected); {@code true} if it was reconnecting. */
  boolean stop() {
    if (connection.state() instanceof Reconnecting) {
      connection.abandon(new Disconnected(), "signed out");
      return true;
    }
    return false;
  }

  private void schedule(int attempt) {
    if (policy.maxAttempts() > 0 && attempt >= policy.maxAttempts()) {
      giveUp(
          new ImpsConnectionException("gave up after " + attempt + " reconnection attempts", null));
      return;
    }
    Reconnecting waiting = new Reconnecting(attempt, null);
    connection.moveTo(waiting);
    Duration delay = policy.delay(attempt);
    log.debug("reconnecting in {} ms (attempt {})", delay.toMillis(), attempt + 1);
    connection.schedule(() -> attempt(waiting), delay);
  }

  private void attempt(Reconnecting waiting) {
    if (!waiting.equals(connection.state())) {
      return; // stopped, closed, or superseded meanwhile
    }
    CompletableFuture<Void> connected = new CompletableFuture<>();
    connection.open(connected, ch -> new Reconnecting(waiting.attempt(), ch));
    LoginRequest creds = credentials;
    Presence status = chosenStatus;
    connected
        .thenCompose(ok -> relogin.loginAgain(creds, status))
        .whenComplete(
            (account, err) ->
                connection.execute(() -> afterAttempt(waiting.attempt(), account, err)));
  }

  private void afterAttempt(int attempt, Account account, Throwable err) {
    if (!(connection.state() instanceof Reconnecting r) || r.attempt() != attempt) {
      return; // closed, kicked or superseded meanwhile; whoever moved the state took over
    }
    if (r.channel() == null) {
      // The connect failed (a drop after connecting has already scheduled the next attempt).
      schedule(attempt + 1);
      return;
    }
    if (err == null) {
      connection.moveTo(new LoggedIn(r.channel()));
      connection.dispatch(() -> listener.onReconnected(account));
      return;
    }
    ImpsClientException e = ImpsClientException.unwrap(err);
    if (e instanceof ImpsRefusedException refused
        && refused.errorCode() == ErrorCode.BAD_CREDENTIALS) {
      giveUp(refused);
    } else {
      // Anything else (rate limit, server error, timeout) is worth another try: drop this
      // connection, and its close schedules the next attempt.
      r.channel().close();
    }
  }

  private void giveUp(Throwable cause) {
    connection.abandon(new Disconnected(), "reconnection failed");
    relogin.gaveUp();
    connection.dispatch(() -> listener.onReconnectFailed(cause));
  }
}
