/**
 * Storage interfaces, one per domain, and the records they hold. Every method is blocking and
 * durable: when a write method returns, its change is committed. Implementations batch concurrent
 * writes into one commit (group commit), so callers run on worker threads, never on an event loop.
 */
package imps.server.store;
