/**
 * The multi-node session router: who is online where, and pushes between nodes, over Redis.
 *
 * <p>{@link imps.server.cluster.redis.RedisSessionRouter} composes the parts: {@code
 * RedisDirectory} (user entries and instance sets, changed by the Lua scripts among this package's
 * resources), {@code StreamBus} (envelopes between instances over Redis streams; what arrives is
 * handed on by {@code StreamInbox}), {@code RemotePushes} (pushes to other instances, with a resync
 * after a push may have been lost), {@code Kicks} (newest login wins across nodes), {@code
 * NodeLiveness} (keep-alive, dead-node cleanup, recovery after an outage), and for the admin
 * commands across nodes {@code SessionLists} and {@code FigureRequests} on {@code NodeQuestions}.
 */
package imps.server.cluster.redis;
