package imps.protocol.message;

import imps.protocol.Presence;

/**
 * A friend as shown to a user: name, status as the user sees it, and the last shared location
 * ({@code time} and {@code location} are empty strings when unknown).
 */
public record FriendInfo(String name, Presence status, String time, String location) {}
