package imps.protocol.message;

/**
 * One IMPS command, in either direction. Every implementation is an immutable record and is safe to
 * share between threads.
 */
public sealed interface ImpsMessage
    permits LoginRequest,
        LoginResponse,
        HeartbeatRequest,
        HeartbeatResponse,
        FriendListRequest,
        FriendListResponse,
        AddFriendRequest,
        AddFriendAnswer,
        FriendRequestPush,
        AddFriendResponse,
        SendMessage,
        MessagePush,
        StatusNotifyRequest,
        StatusNotifyPush,
        RegisterRequest,
        RegisterResponse,
        ErrorResponse,
        AudioRequest,
        AudioPush {

  /** The CMDTYPE byte of this command. */
  int commandType();
}
