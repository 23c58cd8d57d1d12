/**
 * Where users are online and how pushes reach them: {@link imps.server.cluster.SessionRouter} over
 * the narrow {@link imps.server.cluster.RoutedSession} it owns, with the in-process {@link
 * imps.server.cluster.InMemorySessionRouter} for a single node and {@link
 * imps.server.cluster.redis} for several nodes sharing one Redis.
 */
package imps.server.cluster;
