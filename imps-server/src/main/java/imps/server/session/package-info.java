/**
 * Who is connected and in what state: {@link imps.server.session.Session} (one per connection, with
 * its strictly ordered request queue and login-time delivery buffer), the Netty-free {@link
 * imps.server.session.Connection} it writes to, and the {@link
 * imps.server.session.RequestDispatcher} that turns each request into exactly one reply by calling
 * the domain services.
 */
package imps.server.session;
