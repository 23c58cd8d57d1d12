package imps.server.cluster;

import imps.protocol.Presence;
import imps.server.delivery.Push;

/**
 * A logged-in session as the router sees it: what it needs to route pushes to it, to replace it by
 * a newer login of its user, and to make it resend stored items after pushes to it may have been
 * lost. Implemented by {@link imps.server.session.Session}.
 */
public interface RoutedSession {

  long userId();

  /** The user's name as registered. */
  String userName();

  /** Whether the user chose to be seen (online, not invisible). */
  boolean isVisible();

  /**
   * Pushes a frame. Returns false when the session no longer takes pushes (replaced or closed): a
   * stored item then stays undelivered for the next login.
   */
  boolean deliver(Push push);

  /**
   * Ends the session because a newer login of its user replaced it: no more pushes, {@code
   * S_ERROR_RSP(7, 0)}, then the connection is closed (await {@link #awaitClosed}).
   *
   * @return what friends saw of the user through this session; {@link Presence#OFFLINE} if it had
   *     ended already
   */
  Presence replaceByNewerLogin();

  /**
   * Closes the connection for an operator (a kick, a ban, a deletion): no notice, as a dropped
   * connection; the session signs out as after any close. Returns at once.
   */
  void closeByOperator();

  /**
   * Waits (briefly) until the connection is closed, so that the deliveries it made are queued for
   * recording before a newer session reads its backlog.
   */
  void awaitClosed();

  /**
   * Pushes to this session may have been lost in transit: holds new pushes back at once, so that
   * nothing delivered after this call overtakes the stored items.
   *
   * @return true when the caller must now call {@link #resendStored}; false when a resend is queued
   *     already or the session is not active
   */
  boolean holdForResync();

  /**
   * Queues the resend of what is stored for the user (after {@link #holdForResync}), ahead of the
   * pushes held back meanwhile. Returns at once.
   */
  void resendStored();
}
