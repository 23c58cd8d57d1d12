package imps.client;

import imps.client.ConnectionState.LoggingOut;
import imps.protocol.Presence;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.StatusNotifyRequest;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The session side of {@link ImpsClient}: wires its parts (connection, heartbeats, reconnection,
 * push dispatch, deliveries, outbox, logins) and keeps the bookkeeping of signing in, signing out
 * and the chosen status across reconnections. The contracts are documented on {@link ImpsClient}'s
 * public methods, which delegate here.
 */
final class ClientSession {
  final ClientConnection connection;
  final Outbox outbox;
  final Logins logins;
  private final Heartbeats heartbeats;
  private final Reconnector reconnector;
  private final Deliveries deliveries;

  ClientSession(ClientOptions options, ImpsListener listener) {
    this.connection = new ClientConnection(options);
    this.heartbeats = new Heartbeats(connection, options.heartbeatInterval(), this::nameOrEmpty);
    this.deliveries = new Deliveries(connection);
    this.outbox = new Outbox(connection, options.clock());
    this.reconnector =
        new Reconnector(
            connection,
            options.reconnect(),
            listener,
            new Reconnector.Relogin() {
              @Override
              public CompletableFuture<Account> loginAgain(LoginRequest credentials, Presence s) {
                return ClientSession.this.loginAgain(credentials, s);
              }

              @Override
              public void gaveUp() {
                outbox.failAll("reconnection failed");
              }
            });
    this.logins =
        new Logins(options, connection, listener, reconnector, deliveries, outbox, heartbeats);
    PushDispatcher pushes = new PushDispatcher(connection, listener, deliveries);
    connection.bind(
        pushes::route,
        (was, cause) -> {
          heartbeats.stop();
          deliveries.dropped();
          outbox.dropped();
          reconnector.afterDrop(was, cause);
          if (!(connection.state() instanceof ConnectionState.Reconnecting)) {
            outbox.failAll("connection closed");
          }
        });
  }

  CompletableFuture<Void> logout() {
    return connection
        .request(
            new StatusNotifyRequest(nameOrEmpty(), Presence.OFFLINE),
            this::beforeLogout,
            reply -> {
              if (!Replies.isSuccess(reply) && connection.state() instanceof LoggingOut out) {
                connection.moveTo(out.before());
              }
            })
        .thenApply(Replies::ack);
  }

  CompletableFuture<Void> setStatus(Presence presence) {
    Objects.requireNonNull(presence, "presence");
    if (presence == Presence.OFFLINE) {
      throw new IllegalArgumentException("use logout() to go offline");
    }
    return connection
        .request(
            new StatusNotifyRequest(nameOrEmpty(), presence),
            () -> {},
            reply -> {
              if (Replies.isSuccess(reply)) {
                reconnector.statusChosen(presence);
              }
            })
        .thenApply(Replies::ack);
  }

  void close() {
    connection.execute(() -> outbox.failAll("client closed"));
    connection.close();
  }

  /** I/O thread: logout (or an accepted account deletion) is about to close the connection. */
  void beforeLogout() {
    logins.signingOut();
    if (reconnector.stop()) {
      outbox.failAll("signed out");
      return; // the request then fails: there is no connection to sign out of
    }
    ConnectionState before = connection.state();
    if (before.channel() != null) {
      connection.moveTo(new LoggingOut(before.channel(), before));
    }
  }

  /** Reconnection: logs in again on the new channel and restores the chosen status. */
  private CompletableFuture<Account> loginAgain(LoginRequest credentials, Presence status) {
    CompletableFuture<Account> login = logins.loginAgain(credentials);
    return status == null ? login : login.thenCompose(a -> setStatus(status).thenApply(v -> a));
  }

  String nameOrEmpty() {
    return logins.nameOrEmpty();
  }
}
