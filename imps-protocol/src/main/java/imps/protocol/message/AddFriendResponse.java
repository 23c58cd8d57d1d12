package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code S_ADDFRIEND_RSP} (10): the outcome of a friend request.
 *
 * <p>With {@code result == 1} the frame carries the new friend's name, status, time and location.
 * Otherwise it carries only the (extension) user name, which is {@code null} when a legacy frame
 * left it out; {@code status}, {@code time} and {@code location} are then 0, "" and "".
 *
 * @param result 1 success, 0 refused, -1 no such user (a signed byte on the wire)
 */
public record AddFriendResponse(
    int result, String userName, int status, String time, String location) implements ImpsMessage {
  public static final int ACCEPTED = 1;
  public static final int REFUSED = 0;
  public static final int NO_SUCH_USER = -1;

  /** A success carrying what the receiver sees of the new friend. */
  public static AddFriendResponse accepted(FriendInfo friend) {
    return new AddFriendResponse(
        ACCEPTED, friend.name(), friend.status(), friend.time(), friend.location());
  }

  /** A refusal concerning {@code userName}. */
  public static AddFriendResponse refused(String userName) {
    return new AddFriendResponse(REFUSED, userName, 0, "", "");
  }

  /** "No such user" concerning {@code userName}. */
  public static AddFriendResponse noSuchUser(String userName) {
    return new AddFriendResponse(NO_SUCH_USER, userName, 0, "", "");
  }

  /** The friend's details; only meaningful when {@code result == 1}. */
  public FriendInfo friend() {
    return new FriendInfo(userName, status, time, location);
  }

  @Override
  public int commandType() {
    return CommandType.S_ADDFRIEND_RSP;
  }
}
