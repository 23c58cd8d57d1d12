package imps.server.store;

/** A friend row: the friend's id and name and last shared position ("" when none). */
public record FriendView(long id, String name, String sharedTime, String sharedLocation) {}
