/**
 * The application layer: {@link imps.server.dispatch.RequestDispatcher} turns each request of a
 * session into exactly one reply by calling the domain services, and runs the login sequence;
 * {@link imps.server.dispatch.Backlog} sends what is stored for a user who logs in.
 */
package imps.server.dispatch;
