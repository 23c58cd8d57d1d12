/**
 * The Netty side: the pipeline (framing, idle and login timeouts), the thin handler that hands
 * decoded requests to a session's queue, and the {@link imps.server.session.Connection} over a
 * Netty channel. No SQL or Redis here.
 */
package imps.server.transport;
