package imps.server;

import imps.testsupport.FrameClient;

/**
 * Two users who are friends, each logged in on a connection with nothing left to read.
 *
 * @param a the first user's name, who asked
 * @param ca the first user's connection
 * @param b the second user's name, who accepted
 * @param cb the second user's connection
 */
public record LoggedInFriends(String a, FrameClient ca, String b, FrameClient cb) {}
