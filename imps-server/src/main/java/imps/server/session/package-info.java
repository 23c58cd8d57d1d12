/**
 * Who is connected and in what state: {@link imps.server.session.Session} (one per connection, with
 * its strictly ordered request queue and login-time delivery buffer) and the Netty-free {@link
 * imps.server.session.Connection} it writes to. A session is what {@link
 * imps.server.cluster.SessionRouter} routes pushes to; the requests themselves are handled one
 * layer up, in {@link imps.server.dispatch}.
 */
package imps.server.session;
