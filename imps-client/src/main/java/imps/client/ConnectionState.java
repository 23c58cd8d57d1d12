package imps.client;

import io.netty.channel.Channel;

/**
 * Where a client's connection is: one value at a time, replaced only on the client's I/O thread (by
 * {@link ClientConnection#moveTo}), read from any thread.
 *
 * <pre>
 * Disconnected --connect()--> Connected --login reply--> LoggedIn
 * LoggedIn --logout()--> LoggingOut --server closes--> Disconnected
 * LoggedIn --S_ERROR_RSP(7, 0)--> LoggedInElsewhere --server closes--> Disconnected
 * LoggedIn --drop, reconnection on--> Reconnecting(0, none)
 * Reconnecting(n, none) --delay, connect--> Reconnecting(n, channel) --login, status--> LoggedIn
 * Reconnecting(n, _) --attempt fails--> Reconnecting(n + 1, none), or Disconnected when the
 *     policy's attempts are used up or the server refuses the credentials
 * any state --close()--> Closed (terminal)
 * </pre>
 *
 * A drop in any other state leads to {@link Disconnected}. The states that carry a channel are the
 * ones in which frames are exchanged; a frame or a close from any other channel is stale and
 * ignored.
 */
sealed interface ConnectionState {

  /** The open channel of this state, or {@code null} when there is none. */
  Channel channel();

  /** What {@link ImpsClient#state()} reports for this state. */
  ImpsClient.State publicState();

  /** Not connected, and not trying to be. */
  record Disconnected() implements ConnectionState {
    @Override
    public Channel channel() {
      return null;
    }

    @Override
    public ImpsClient.State publicState() {
      return ImpsClient.State.DISCONNECTED;
    }
  }

  /** Connected, not logged in. */
  record Connected(Channel channel) implements ConnectionState {
    @Override
    public ImpsClient.State publicState() {
      return ImpsClient.State.CONNECTED;
    }
  }

  /** Logged in; heartbeats run. */
  record LoggedIn(Channel channel) implements ConnectionState {
    @Override
    public ImpsClient.State publicState() {
      return ImpsClient.State.LOGGED_IN;
    }
  }

  /**
   * Sign-out sent; the server closes the connection after its reply, and no reconnection follows.
   *
   * @param before the state to return to if the server refuses the sign-out
   */
  record LoggingOut(Channel channel, ConnectionState before) implements ConnectionState {
    @Override
    public ImpsClient.State publicState() {
      return before.publicState();
    }
  }

  /** The same user logged in on another connection; the server is closing this one. */
  record LoggedInElsewhere(Channel channel) implements ConnectionState {
    @Override
    public ImpsClient.State publicState() {
      return ImpsClient.State.DISCONNECTED;
    }
  }

  /**
   * The connection of a logged-in client dropped and {@link Reconnector} is bringing it back.
   *
   * @param attempt 0-based number of the current (or next) attempt
   * @param channel the attempt's channel while it logs in again; {@code null} while waiting
   */
  record Reconnecting(int attempt, Channel channel) implements ConnectionState {
    @Override
    public ImpsClient.State publicState() {
      return ImpsClient.State.RECONNECTING;
    }
  }

  /** {@link ImpsClient#close()} was called. */
  record Closed() implements ConnectionState {
    @Override
    public Channel channel() {
      return null;
    }

    @Override
    public ImpsClient.State publicState() {
      return ImpsClient.State.CLOSED;
    }
  }
}
