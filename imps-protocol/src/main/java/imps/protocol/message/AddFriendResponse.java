package imps.protocol.message;

import imps.protocol.CommandType;
import imps.protocol.Presence;

/**
 * {@code S_ADDFRIEND_RSP} (10): the outcome of a friend request.
 *
 * <p>With {@link Result#ACCEPTED} the frame carries the new friend's name, status, time and
 * location. Otherwise it carries only the (extension) user name, which is {@code null} when a
 * legacy frame left it out; {@code status}, {@code time} and {@code location} are then {@link
 * Presence#OFFLINE}, "" and "".
 */
public record AddFriendResponse(
    Result result, String userName, Presence status, String time, String location)
    implements ImpsMessage {

  /** The STATUS byte (signed on the wire). */
  public enum Result {
    NO_SUCH_USER(-1),
    REFUSED(0),
    ACCEPTED(1);

    private final int value;

    Result(int value) {
      this.value = value;
    }

    /** The signed STATUS byte. */
    public int value() {
      return value;
    }

    /** The result of a signed STATUS byte, or {@code null} when it is not a defined one. */
    public static Result valueOf(int value) {
      return switch (value) {
        case -1 -> NO_SUCH_USER;
        case 0 -> REFUSED;
        case 1 -> ACCEPTED;
        default -> null;
      };
    }
  }

  /** A success carrying what the receiver sees of the new friend. */
  public static AddFriendResponse accepted(FriendInfo friend) {
    return new AddFriendResponse(
        Result.ACCEPTED, friend.name(), friend.status(), friend.time(), friend.location());
  }

  /** A refusal concerning {@code userName}. */
  public static AddFriendResponse refused(String userName) {
    return new AddFriendResponse(Result.REFUSED, userName, Presence.OFFLINE, "", "");
  }

  /** "No such user" concerning {@code userName}. */
  public static AddFriendResponse noSuchUser(String userName) {
    return new AddFriendResponse(Result.NO_SUCH_USER, userName, Presence.OFFLINE, "", "");
  }

  /** The friend's details; only meaningful when {@link #result()} is {@link Result#ACCEPTED}. */
  public FriendInfo friend() {
    return new FriendInfo(userName, status, time, location);
  }

  @Override
  public CommandType commandType() {
    return CommandType.S_ADDFRIEND_RSP;
  }
}
