package imps.protocol.codec;

import static imps.protocol.codec.Fields.checkCount;
import static imps.protocol.codec.Fields.readAddFriendResult;
import static imps.protocol.codec.Fields.readClip;
import static imps.protocol.codec.Fields.readErrorCode;
import static imps.protocol.codec.Fields.readFlag;
import static imps.protocol.codec.Fields.readGender;
import static imps.protocol.codec.Fields.readI32;
import static imps.protocol.codec.Fields.readOptionalI64;
import static imps.protocol.codec.Fields.readPresence;
import static imps.protocol.codec.Fields.readU16;
import static imps.protocol.codec.Fields.readU8;
import static imps.protocol.codec.Fields.readUtf;
import static imps.protocol.codec.Fields.writeClip;
import static imps.protocol.codec.ModifiedUtf8.write;

import imps.protocol.CommandType;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StatusNotifyRequest;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** The codec of every command, indexed by CMDTYPE. */
public final class Codecs {

  /** Smallest encoded (Time, Location) pair or friend entry: two empty UTF fields. */
  static final int MIN_FIX_BYTES = 4;

  private static final int MIN_FRIEND_BYTES = 7;

  private static final CommandCodec<?>[] BY_TYPE = new CommandCodec<?>[256];

  static {
    register(
        CommandType.C_LOGIN_REQ,
        codec(
            in -> new LoginRequest(readUtf(in), readUtf(in)),
            (LoginRequest m, ByteBuf out) -> {
              write(out, m.userName());
              write(out, m.password());
            }));
    register(
        CommandType.S_LOGIN_RSP,
        codec(
            in -> {
              String name = readUtf(in);
              Gender gender = readGender(in);
              String email = readUtf(in);
              // Extension fields, to clients that opted in: status, then token and lifetime.
              Presence status = in.isReadable() ? readPresence(in) : null;
              String token = in.isReadable() ? readUtf(in) : null;
              int ttl = token != null ? readI32(in) : 0;
              return new LoginResponse(name, gender, email, status, token, ttl);
            },
            (LoginResponse m, ByteBuf out) -> {
              write(out, m.userName());
              out.writeByte(m.gender().value());
              write(out, m.email());
              if (m.status() != null) {
                out.writeByte(m.status().value());
                if (m.token() != null) {
                  write(out, m.token());
                  out.writeInt(m.tokenTtlSeconds());
                }
              }
            }));
    register(
        CommandType.C_HEARTBEAT_REQ,
        codec(
            in -> {
              String user = readUtf(in);
              int count = readI32(in);
              checkCount(in, count, MIN_FIX_BYTES);
              List<LocationFix> fixes = new ArrayList<>(count);
              for (int i = 0; i < count; i++) {
                fixes.add(new LocationFix(readUtf(in), readUtf(in)));
              }
              return new HeartbeatRequest(user, fixes);
            },
            (HeartbeatRequest m, ByteBuf out) -> {
              write(out, m.userName());
              out.writeInt(m.fixes().size());
              for (LocationFix fix : m.fixes()) {
                write(out, fix.time());
                write(out, fix.location());
              }
            }));
    register(
        CommandType.S_HEARTBEAT_RSP,
        codec(in -> HeartbeatResponse.INSTANCE, (HeartbeatResponse m, ByteBuf out) -> {}));
    register(
        CommandType.C_FRIENDLIST_REFURBISH_REQ,
        codec(
            in -> new FriendListRequest(readUtf(in)),
            (FriendListRequest m, ByteBuf out) -> write(out, m.userName())));
    register(
        CommandType.S_FRIENDLIST_REFURBISH_RSP,
        codec(
            in -> {
              int count = readU16(in);
              checkCount(in, count, MIN_FRIEND_BYTES);
              List<FriendInfo> friends = new ArrayList<>(count);
              for (int i = 0; i < count; i++) {
                friends.add(
                    new FriendInfo(readUtf(in), readPresence(in), readUtf(in), readUtf(in)));
              }
              return new FriendListResponse(friends);
            },
            (FriendListResponse m, ByteBuf out) -> {
              if (m.friends().size() > 0xFFFF) {
                throw new IllegalArgumentException("too many friends for one frame");
              }
              out.writeShort(m.friends().size());
              for (FriendInfo f : m.friends()) {
                write(out, f.name());
                out.writeByte(f.status().value());
                write(out, f.time());
                write(out, f.location());
              }
            }));
    register(
        CommandType.C_ADDFRIEND_REQ,
        codec(
            in -> new AddFriendRequest(readUtf(in), readUtf(in)),
            (AddFriendRequest m, ByteBuf out) -> {
              write(out, m.userName());
              write(out, m.friendName());
            }));
    register(
        CommandType.C_ADDFRIEND_RSP,
        codec(
            in -> new AddFriendAnswer(readUtf(in), readFlag(in, "Action")),
            (AddFriendAnswer m, ByteBuf out) -> {
              write(out, m.userName());
              out.writeByte(m.accept() ? 1 : 0);
            }));
    register(
        CommandType.S_ADDFRIEND_REQ,
        codec(
            in -> new FriendRequestPush(readUtf(in)),
            (FriendRequestPush m, ByteBuf out) -> write(out, m.friendName())));
    register(
        CommandType.S_ADDFRIEND_RSP,
        codec(
            in -> {
              AddFriendResponse.Result result = readAddFriendResult(in);
              if (result == AddFriendResponse.Result.ACCEPTED) {
                return new AddFriendResponse(
                    result, readUtf(in), readPresence(in), readUtf(in), readUtf(in));
              }
              // The user name is an extension: a legacy frame may end after STATUS.
              String name = in.isReadable() ? readUtf(in) : null;
              return new AddFriendResponse(result, name, Presence.OFFLINE, "", "");
            },
            (AddFriendResponse m, ByteBuf out) -> {
              out.writeByte(m.result().value());
              if (m.result() == AddFriendResponse.Result.ACCEPTED) {
                write(out, m.userName());
                out.writeByte(m.status().value());
                write(out, m.time());
                write(out, m.location());
              } else if (m.userName() != null) {
                write(out, m.userName());
              }
            }));
    register(
        CommandType.C_SEND_MSG,
        codec(
            in -> new SendMessage(readUtf(in), readUtf(in), readUtf(in), readOptionalI64(in)),
            (SendMessage m, ByteBuf out) -> {
              write(out, m.userName());
              write(out, m.friendName());
              write(out, m.message());
              if (m.clientMsgId() != 0) {
                out.writeLong(m.clientMsgId());
              }
            }));
    register(
        CommandType.S_SEND_MSG,
        codec(
            in -> new MessagePush(readUtf(in), readUtf(in), readUtf(in)),
            (MessagePush m, ByteBuf out) -> {
              write(out, m.friendName());
              write(out, m.message());
              write(out, m.datetime());
            }));
    register(
        CommandType.C_STATUS_NOTIFY,
        codec(
            in -> new StatusNotifyRequest(readUtf(in), readPresence(in)),
            (StatusNotifyRequest m, ByteBuf out) -> {
              write(out, m.userName());
              out.writeByte(m.status().value());
            }));
    register(
        CommandType.S_STATUS_NOTIFY,
        codec(
            in -> new StatusNotifyPush(readUtf(in), readPresence(in)),
            (StatusNotifyPush m, ByteBuf out) -> {
              write(out, m.userName());
              out.writeByte(m.status().value());
            }));
    register(
        CommandType.C_REGISTER,
        codec(
            in -> new RegisterRequest(readUtf(in), readUtf(in), readGender(in), readUtf(in)),
            (RegisterRequest m, ByteBuf out) -> {
              write(out, m.userName());
              write(out, m.password());
              out.writeByte(m.gender().value());
              write(out, m.email());
            }));
    register(
        CommandType.S_REGISTER,
        codec(
            in -> new RegisterResponse(readFlag(in, "Response")),
            (RegisterResponse m, ByteBuf out) -> out.writeByte(m.registered() ? 1 : 0)));
    register(
        CommandType.S_ERROR_RSP,
        codec(
            // Cmd is an extension: a legacy frame may end after Response.
            in -> new ErrorResponse(readErrorCode(in), in.isReadable() ? readU8(in) : 0),
            (ErrorResponse m, ByteBuf out) -> {
              out.writeByte(m.code().code());
              out.writeByte(m.cmd());
            }));
    register(
        CommandType.C_AUDIO_REQ,
        codec(
            in -> new AudioRequest(readUtf(in), readClip(in), readUtf(in), readOptionalI64(in)),
            (AudioRequest m, ByteBuf out) -> {
              write(out, m.friendName());
              writeClip(out, m.data());
              write(out, m.datetime());
              if (m.clientMsgId() != 0) {
                out.writeLong(m.clientMsgId());
              }
            }));
    register(
        CommandType.S_AUDIO_RSP,
        codec(
            in -> new AudioPush(readUtf(in), readClip(in), readUtf(in)),
            (AudioPush m, ByteBuf out) -> {
              write(out, m.friendName());
              writeClip(out, m.data());
              write(out, m.datetime());
            }));
    ExtensionCodecs.registerAll();
  }

  private Codecs() {}

  /** The codec for {@code cmd}, or {@code null} when no command has that number. */
  public static CommandCodec<?> forType(int cmd) {
    return cmd >= 0 && cmd < BY_TYPE.length ? BY_TYPE[cmd] : null;
  }

  /** Writes the fields of {@code message} (not CMDTYPE) with the codec of its type. */
  @SuppressWarnings("unchecked")
  public static void writeFields(ImpsMessage message, ByteBuf out) {
    ((CommandCodec<ImpsMessage>) BY_TYPE[message.commandType().value()]).write(message, out);
  }

  static void register(CommandType type, CommandCodec<?> codec) {
    BY_TYPE[type.value()] = codec;
  }

  @FunctionalInterface
  interface Reader<T> {
    T read(ByteBuf in) throws MalformedException;
  }

  @FunctionalInterface
  interface Writer<T> {
    void write(T message, ByteBuf out);
  }

  static <T extends ImpsMessage> CommandCodec<T> codec(Reader<T> reader, Writer<T> writer) {
    return new CommandCodec<>() {
      @Override
      public T read(ByteBuf in) throws MalformedException {
        return reader.read(in);
      }

      @Override
      public void write(T message, ByteBuf out) {
        writer.write(message, out);
      }
    };
  }
}
