package imps.server.account;

/** A user's id and name as registered: both never change, so they can be cached freely. */
public record UserRef(long id, String name) {}
