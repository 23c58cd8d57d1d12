package imps.protocol.codec;

import static imps.protocol.codec.Codecs.codec;
import static imps.protocol.codec.Codecs.register;
import static imps.protocol.codec.Fields.checkCount;
import static imps.protocol.codec.Fields.readClip;
import static imps.protocol.codec.Fields.readFlag;
import static imps.protocol.codec.Fields.readI32;
import static imps.protocol.codec.Fields.readI64;
import static imps.protocol.codec.Fields.readU16;
import static imps.protocol.codec.Fields.readU8;
import static imps.protocol.codec.Fields.readUtf;
import static imps.protocol.codec.Fields.writeClip;
import static imps.protocol.codec.ModifiedUtf8.write;

import imps.protocol.CommandType;
import imps.protocol.message.HistoryPage;
import imps.protocol.message.HistoryRequest;
import imps.protocol.message.LiveLocationsRequest;
import imps.protocol.message.LocationPush;
import imps.protocol.message.Track;
import imps.protocol.message.TrackRequest;
import imps.protocol.message.UnreadCounts;
import imps.protocol.message.UnreadRequest;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The codecs of the history, live location and track commands (docs/PROTOCOL.md 8.6), and the sizes
 * the server needs to fill a page up to one frame.
 */
public final class HistoryCodecs {
  private static final int TEXT = 1;
  private static final int CLIP = 2;

  /** S_HISTORY without its entries: CMDTYPE, Peer (count only), More, Count. */
  private static final int PAGE_OVERHEAD = 1 + 2 + 1 + 2;

  /** The bytes of one S_TRACK point: Time i64, LatE6 i32, LonE6 i32. */
  public static final int POINT_LENGTH = 8 + 4 + 4;

  private HistoryCodecs() {}

  /** The bytes of an S_HISTORY's content for {@code peer} and no entries. */
  public static int pageOverhead(String peer) {
    return PAGE_OVERHEAD + ModifiedUtf8.encodedLength(peer);
  }

  /** The bytes one entry adds to an S_HISTORY's content. */
  public static int entryLength(HistoryPage.Entry e) {
    int body = e.isClip() ? 4 + e.clip().length() : 2 + ModifiedUtf8.encodedLength(e.text());
    return 8 + 1 + 2 + ModifiedUtf8.encodedLength(e.acceptedAt()) + 1 + body;
  }

  static void registerAll() {
    registerTracks();
    registerUnread();
    register(
        CommandType.C_LIVE_LOCATIONS,
        codec(
            in -> new LiveLocationsRequest(readFlag(in, "On")),
            (LiveLocationsRequest m, ByteBuf out) -> out.writeByte(m.on() ? 1 : 0)));
    register(
        CommandType.S_LOCATION,
        codec(
            in -> new LocationPush(readUtf(in), readUtf(in), readUtf(in)),
            (LocationPush m, ByteBuf out) -> {
              write(out, m.friendName());
              write(out, m.time());
              write(out, m.location());
            }));
    register(
        CommandType.C_HISTORY,
        codec(
            in -> new HistoryRequest(readUtf(in), readI64(in), readFlag(in, "Newer"), readU16(in)),
            (HistoryRequest m, ByteBuf out) -> {
              write(out, m.peer());
              out.writeLong(m.fromId());
              out.writeByte(m.newer() ? 1 : 0);
              out.writeShort(m.maxItems());
            }));
    register(
        CommandType.S_HISTORY,
        codec(
            in -> {
              String peer = readUtf(in);
              boolean more = readFlag(in, "More");
              int count = readU16(in);
              List<HistoryPage.Entry> entries = new ArrayList<>(Math.min(count, 256));
              for (int i = 0; i < count; i++) {
                long id = readI64(in);
                boolean outgoing = readFlag(in, "Outgoing");
                String at = readUtf(in);
                int kind = readU8(in);
                entries.add(
                    switch (kind) {
                      case TEXT -> HistoryPage.Entry.text(id, outgoing, at, readUtf(in));
                      case CLIP -> HistoryPage.Entry.clip(id, outgoing, at, readClip(in));
                      default -> throw new MalformedException("history Kind " + kind);
                    });
              }
              return new HistoryPage(peer, more, entries);
            },
            (HistoryPage m, ByteBuf out) -> {
              write(out, m.peer());
              out.writeByte(m.more() ? 1 : 0);
              out.writeShort(m.entries().size());
              for (HistoryPage.Entry e : m.entries()) {
                out.writeLong(e.id());
                out.writeByte(e.outgoing() ? 1 : 0);
                write(out, e.acceptedAt());
                if (e.isClip()) {
                  out.writeByte(CLIP);
                  writeClip(out, e.clip());
                } else {
                  out.writeByte(TEXT);
                  write(out, e.text());
                }
              }
            }));
  }

  /** C_TRACK and S_TRACK: a point is Time i64, LatE6 i32, LonE6 i32. */
  private static void registerTracks() {
    register(
        CommandType.C_TRACK,
        codec(
            in -> new TrackRequest(readUtf(in), readI64(in), readI64(in), readU16(in)),
            (TrackRequest m, ByteBuf out) -> {
              write(out, m.userName());
              out.writeLong(m.from());
              out.writeLong(m.to());
              out.writeShort(m.maxPoints());
            }));
    register(
        CommandType.S_TRACK,
        codec(
            in -> {
              String user = readUtf(in);
              int total = readI32(in);
              int count = readU16(in);
              checkCount(in, count, POINT_LENGTH);
              List<Track.Point> points = new ArrayList<>(count);
              for (int i = 0; i < count; i++) {
                points.add(new Track.Point(readI64(in), readI32(in), readI32(in)));
              }
              return new Track(user, total, points);
            },
            (Track m, ByteBuf out) -> {
              if (m.points().size() > 0xFFFF) {
                throw new IllegalArgumentException("too many points for one frame");
              }
              write(out, m.userName());
              out.writeInt(m.total());
              out.writeShort(m.points().size());
              for (Track.Point p : m.points()) {
                out.writeLong(p.time());
                out.writeInt(p.latE6());
                out.writeInt(p.lonE6());
              }
            }));
  }

  /**
   * C_UNREAD_REQ (no fields) and S_UNREAD_RSP: AsOfSeq i64, Count u16, Count × (Name, Unread i32).
   */
  private static void registerUnread() {
    register(
        CommandType.C_UNREAD_REQ,
        codec(in -> UnreadRequest.INSTANCE, (UnreadRequest m, ByteBuf out) -> {}));
    register(
        CommandType.S_UNREAD_RSP,
        codec(
            in -> {
              long asOfSeq = readI64(in);
              int count = readU16(in);
              checkCount(in, count, 2 + 4);
              List<UnreadCounts.Friend> friends = new ArrayList<>(count);
              for (int i = 0; i < count; i++) {
                friends.add(new UnreadCounts.Friend(readUtf(in), readI32(in)));
              }
              return new UnreadCounts(asOfSeq, friends);
            },
            (UnreadCounts m, ByteBuf out) -> {
              if (m.friends().size() > 0xFFFF) {
                throw new IllegalArgumentException("too many friends for one frame");
              }
              out.writeLong(m.asOfSeq());
              out.writeShort(m.friends().size());
              for (UnreadCounts.Friend f : m.friends()) {
                write(out, f.name());
                out.writeInt(f.count());
              }
            }));
  }
}
