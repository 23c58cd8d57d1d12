package imps.protocol.codec;

import static imps.protocol.codec.Codecs.codec;
import static imps.protocol.codec.Codecs.register;
import static imps.protocol.codec.Codecs.writeFields;
import static imps.protocol.codec.Fields.checkCount;
import static imps.protocol.codec.Fields.readFlag;
import static imps.protocol.codec.Fields.readI32;
import static imps.protocol.codec.Fields.readI64;
import static imps.protocol.codec.Fields.readReceiptState;
import static imps.protocol.codec.Fields.readU16;
import static imps.protocol.codec.Fields.readU8;
import static imps.protocol.codec.Fields.readUtf;
import static imps.protocol.codec.ModifiedUtf8.write;

import imps.protocol.CommandType;
import imps.protocol.Feature;
import imps.protocol.message.Ack;
import imps.protocol.message.BlockListRequest;
import imps.protocol.message.BlockListResponse;
import imps.protocol.message.BlockRequest;
import imps.protocol.message.ChangePassword;
import imps.protocol.message.DeleteAccount;
import imps.protocol.message.FriendRemoved;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.Notice;
import imps.protocol.message.ReadNotice;
import imps.protocol.message.Receipt;
import imps.protocol.message.ResumeRequest;
import imps.protocol.message.StoredPush;
import imps.protocol.message.Unfriend;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The codecs of the extension commands (32 and up, docs/PROTOCOL.md section 8), registered by
 * {@link Codecs} with the sheet's commands.
 */
final class ExtensionCodecs {
  private ExtensionCodecs() {}

  /** Registers the codecs of the extension commands with {@link Codecs}. */
  static void registerAll() {
    register(
        CommandType.C_HELLO,
        codec(
            in -> new Hello(readU8(in), Feature.fromBits(readI32(in))),
            (Hello m, ByteBuf out) -> {
              out.writeByte(m.version());
              out.writeInt(Feature.toBits(m.features()));
            }));
    register(
        CommandType.S_HELLO,
        codec(
            in ->
                new HelloResponse(
                    readU8(in), Feature.fromBits(readI32(in)), readI32(in), readI32(in)),
            (HelloResponse m, ByteBuf out) -> {
              out.writeByte(m.version());
              out.writeInt(Feature.toBits(m.features()));
              out.writeInt(m.maxMessageChars());
              out.writeInt(m.maxAudioBytes());
            }));
    register(
        CommandType.S_STORED,
        codec(
            in -> {
              long seq = readI64(in);
              if (!in.isReadable()) {
                throw new MalformedException("S_STORED without an item");
              }
              int inner = in.getUnsignedByte(in.readerIndex());
              if (!STORABLE.contains(CommandType.valueOf(inner))) {
                throw new MalformedException("S_STORED cannot carry CMDTYPE " + inner);
              }
              Object item = FrameDecoder.decodeContent(in);
              if (item instanceof DecodeError e) {
                throw new MalformedException("S_STORED item: " + e.reason());
              }
              return new StoredPush(seq, (ImpsMessage) item);
            },
            (StoredPush m, ByteBuf out) -> {
              if (!STORABLE.contains(m.item().commandType())) {
                throw new IllegalArgumentException("S_STORED cannot carry " + m.item());
              }
              out.writeLong(m.seq());
              out.writeByte(m.item().commandType().value());
              writeFields(m.item(), out);
            }));
    register(
        CommandType.C_ACK,
        codec(in -> new Ack(readI64(in)), (Ack m, ByteBuf out) -> out.writeLong(m.seq())));
    register(
        CommandType.C_RESUME,
        codec(
            in -> new ResumeRequest(readUtf(in), readUtf(in), readI64(in)),
            (ResumeRequest m, ByteBuf out) -> {
              write(out, m.userName());
              write(out, m.token());
              out.writeLong(m.lastSeq());
            }));
    register(
        CommandType.S_RECEIPT,
        codec(
            in -> new Receipt(readUtf(in), readI64(in), readReceiptState(in)),
            (Receipt m, ByteBuf out) -> {
              write(out, m.peer());
              out.writeLong(m.upToClientMsgId());
              out.writeByte(m.state().value());
            }));
    register(
        CommandType.C_READ,
        codec(
            in -> new ReadNotice(readUtf(in), readI64(in)),
            (ReadNotice m, ByteBuf out) -> {
              write(out, m.peer());
              out.writeLong(m.upToSeq());
            }));
    HistoryCodecs.registerAll();
    registerSocial();
  }

  /** Friends and account (section 8.5). */
  private static void registerSocial() {
    register(
        CommandType.C_UNFRIEND,
        codec(
            in -> new Unfriend(readUtf(in)),
            (Unfriend m, ByteBuf out) -> write(out, m.friendName())));
    register(
        CommandType.S_FRIEND_REMOVED,
        codec(
            in -> new FriendRemoved(readUtf(in)),
            (FriendRemoved m, ByteBuf out) -> write(out, m.friendName())));
    register(
        CommandType.C_BLOCK,
        codec(
            in -> new BlockRequest(readUtf(in), readFlag(in, "Block")),
            (BlockRequest m, ByteBuf out) -> {
              write(out, m.userName());
              out.writeByte(m.block() ? 1 : 0);
            }));
    register(
        CommandType.C_BLOCKLIST_REQ,
        codec(in -> BlockListRequest.INSTANCE, (BlockListRequest m, ByteBuf out) -> {}));
    register(
        CommandType.S_BLOCKLIST_RSP,
        codec(
            in -> {
              int count = readU16(in);
              checkCount(in, count, 2);
              List<String> names = new ArrayList<>(count);
              for (int i = 0; i < count; i++) {
                names.add(readUtf(in));
              }
              return new BlockListResponse(names);
            },
            (BlockListResponse m, ByteBuf out) -> {
              if (m.names().size() > 0xFFFF) {
                throw new IllegalArgumentException("too many names for one frame");
              }
              out.writeShort(m.names().size());
              for (String n : m.names()) {
                write(out, n);
              }
            }));
    register(
        CommandType.C_PASSWD,
        codec(
            in -> new ChangePassword(readUtf(in), readUtf(in)),
            (ChangePassword m, ByteBuf out) -> {
              write(out, m.oldPassword());
              write(out, m.newPassword());
            }));
    register(
        CommandType.C_DELETE_ACCOUNT,
        codec(
            in -> new DeleteAccount(readUtf(in)),
            (DeleteAccount m, ByteBuf out) -> write(out, m.password())));
    register(
        CommandType.S_NOTICE,
        codec(in -> new Notice(readUtf(in)), (Notice m, ByteBuf out) -> write(out, m.text())));
  }

  /** The commands an {@code S_STORED} may carry: the pushes of stored items. */
  private static final Set<CommandType> STORABLE =
      EnumSet.of(
          CommandType.S_SEND_MSG,
          CommandType.S_AUDIO_RSP,
          CommandType.S_ADDFRIEND_REQ,
          CommandType.S_ADDFRIEND_RSP,
          CommandType.S_RECEIPT);
}
