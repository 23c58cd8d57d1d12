package imps.protocol.message;

import imps.protocol.CommandType;

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
        AudioPush,
        Hello,
        HelloResponse,
        StoredPush,
        Ack,
        ResumeRequest,
        Receipt,
        ReadNotice,
        Unfriend,
        FriendRemoved,
        BlockRequest,
        BlockListRequest,
        BlockListResponse,
        ChangePassword,
        DeleteAccount,
        HistoryRequest,
        HistoryPage,
        LiveLocationsRequest,
        LocationPush,
        TrackRequest,
        Track,
        Notice,
        UnreadRequest,
        UnreadCounts {

  /** The command this record is. */
  CommandType commandType();
}
