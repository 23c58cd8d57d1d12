package imps.server.store;

/** A friend request waiting for an answer. */
public record PendingRequest(long id, long fromId, String fromName, long toId) {}
