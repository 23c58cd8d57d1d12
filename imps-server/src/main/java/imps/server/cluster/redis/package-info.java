/** The multi-node session router: who is online where, and pushes between nodes, over Redis. */
package imps.server.cluster.redis;
