/**
 * Where users are online and how pushes reach them: {@link imps.server.cluster.SessionRouter}, with
 * the in-process {@link imps.server.cluster.InMemorySessionRouter} for a single node. A multi-node
 * implementation replaces it without touching the services.
 */
package imps.server.cluster;
