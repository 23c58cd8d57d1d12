package imps.server.cluster.redis;

import imps.protocol.Presence;
import imps.protocol.codec.DecodeError;
import imps.protocol.codec.FrameDecoder;
import imps.protocol.codec.FrameEncoder;
import imps.protocol.message.ImpsMessage;
import imps.server.cluster.NodeFigures;
import imps.server.cluster.SessionInfo;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.Push;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one node sends another through its Redis stream, in a compact binary form: a push for a user
 * (the protocol frame as the client will get it, plus the delivery mark), a kick of an older
 * session, the acknowledgement of a kick, an operator's close of a session, an operator's request
 * for the sessions of every node and the answers (in parts), an operator's request for every node's
 * figures and the answers, or a request to resynchronise a user's session after pushes to it may
 * have been lost.
 */
sealed interface Envelope {
  byte PUSH = 1;
  byte KICK = 2;
  byte KICK_ACK = 3;
  byte RESYNC = 4;
  byte CLOSE = 5;
  byte LIST_SESSIONS = 6;
  byte SESSIONS_PART = 7;
  byte ASK_FIGURES = 8;
  byte FIGURES = 9;

  /** A frame to push to {@code userId}'s session on the receiving node. */
  record PushTo(long userId, Push push) implements Envelope {}

  /** End the session {@code token} of {@code userId}; acknowledge to {@code replyTo}. */
  record Kick(long userId, long token, long requestId, String replyTo) implements Envelope {}

  /**
   * A kick is done. {@code before}: online when the kicked session was online and visible, offline
   * when it was not (or was already gone).
   */
  record KickAck(long requestId, Presence before) implements Envelope {}

  /**
   * Pushes to {@code userId} may have been lost on the way: resend what is stored for the user's
   * session before the pushes that follow this envelope.
   */
  record Resync(long userId) implements Envelope {}

  /**
   * An operator closes {@code userId}'s session {@code token} (admin kick, ban, deletion); nothing
   * is acknowledged.
   */
  record Close(long userId, long token) implements Envelope {}

  /** Answer {@code replyTo} with this node's sessions ({@link SessionsPart}s). */
  record ListSessions(long requestId, String replyTo) implements Envelope {}

  /**
   * Some of instance {@code from}'s sessions, answering request {@code requestId}; {@code last} on
   * the final part.
   */
  record SessionsPart(long requestId, String from, boolean last, List<SessionInfo> sessions)
      implements Envelope {
    public SessionsPart {
      sessions = List.copyOf(sessions);
    }
  }

  /** Answer {@code replyTo} with this node's figures ({@link Figures}). */
  record AskFigures(long requestId, String replyTo) implements Envelope {}

  /** Instance {@code from}'s figures, answering request {@code requestId}. */
  record Figures(long requestId, String from, NodeFigures figures) implements Envelope {}

  static byte[] encode(Envelope e) {
    ByteBuf b = Unpooled.buffer(64);
    try {
      if (e instanceof PushTo p) {
        b.writeByte(PUSH);
        b.writeLong(p.userId());
        DeliveryMark m = p.push().mark();
        b.writeByte(m == null ? 0 : markKind(m.kind()));
        b.writeLong(m == null ? 0 : m.id());
        b.writeLong(p.push().seq());
        FrameEncoder.encodeTo(p.push().frame(), b);
      } else if (e instanceof Kick k) {
        b.writeByte(KICK);
        b.writeLong(k.userId());
        b.writeLong(k.token());
        b.writeLong(k.requestId());
        b.writeBytes(k.replyTo().getBytes(StandardCharsets.UTF_8));
      } else if (e instanceof KickAck a) {
        b.writeByte(KICK_ACK);
        b.writeLong(a.requestId());
        b.writeByte(a.before().value());
      } else if (e instanceof Resync r) {
        b.writeByte(RESYNC);
        b.writeLong(r.userId());
      } else if (e instanceof Close c) {
        b.writeByte(CLOSE);
        b.writeLong(c.userId());
        b.writeLong(c.token());
      } else if (e instanceof ListSessions l) {
        b.writeByte(LIST_SESSIONS);
        b.writeLong(l.requestId());
        b.writeBytes(l.replyTo().getBytes(StandardCharsets.UTF_8));
      } else if (e instanceof SessionsPart p) {
        b.writeByte(SESSIONS_PART);
        b.writeLong(p.requestId());
        writeText(b, p.from());
        b.writeBoolean(p.last());
        b.writeInt(p.sessions().size());
        for (SessionInfo s : p.sessions()) {
          writeText(b, s.user());
          writeText(b, s.address());
          writeText(b, s.transport());
          b.writeLong(s.since().toEpochMilli());
          writeText(b, s.node());
        }
      } else if (e instanceof AskFigures a) {
        b.writeByte(ASK_FIGURES);
        b.writeLong(a.requestId());
        writeText(b, a.replyTo());
      } else if (e instanceof Figures f) {
        b.writeByte(FIGURES);
        b.writeLong(f.requestId());
        writeText(b, f.from());
        writeText(b, f.figures().node());
        b.writeInt(f.figures().counts().size());
        for (Map.Entry<String, Long> c : f.figures().counts().entrySet()) {
          writeText(b, c.getKey());
          b.writeLong(c.getValue());
        }
      } else {
        throw new IllegalArgumentException("no encoding for " + e);
      }
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }

  static Envelope decode(byte[] bytes) {
    ByteBuf b = Unpooled.wrappedBuffer(bytes);
    byte type = b.readByte();
    switch (type) {
      case PUSH -> {
        long userId = b.readLong();
        int kind = b.readByte();
        long markId = b.readLong();
        long seq = b.readLong();
        b.skipBytes(4); // 'O' 'K' and the length: the rest is the frame's content
        Object frame = FrameDecoder.decodeContent(b);
        if (frame instanceof DecodeError err) {
          throw new IllegalArgumentException("undecodable pushed frame: " + err);
        }
        DeliveryMark mark = kind == 0 ? null : new DeliveryMark(markKind(kind), markId);
        return new PushTo(userId, new Push((ImpsMessage) frame, mark, seq));
      }
      case KICK -> {
        long userId = b.readLong();
        long token = b.readLong();
        long requestId = b.readLong();
        String replyTo = b.toString(b.readerIndex(), b.readableBytes(), StandardCharsets.UTF_8);
        return new Kick(userId, token, requestId, replyTo);
      }
      case KICK_ACK -> {
        return new KickAck(b.readLong(), Presence.valueOf(b.readByte()));
      }
      case RESYNC -> {
        return new Resync(b.readLong());
      }
      case CLOSE -> {
        return new Close(b.readLong(), b.readLong());
      }
      case LIST_SESSIONS -> {
        long requestId = b.readLong();
        return new ListSessions(
            requestId, b.toString(b.readerIndex(), b.readableBytes(), StandardCharsets.UTF_8));
      }
      case SESSIONS_PART -> {
        long requestId = b.readLong();
        String from = readText(b);
        boolean last = b.readBoolean();
        int n = b.readInt();
        List<SessionInfo> sessions = new ArrayList<>(Math.min(n, 4096));
        for (int i = 0; i < n; i++) {
          sessions.add(
              new SessionInfo(
                  readText(b),
                  readText(b),
                  readText(b),
                  Instant.ofEpochMilli(b.readLong()),
                  readText(b)));
        }
        return new SessionsPart(requestId, from, last, sessions);
      }
      case ASK_FIGURES -> {
        return new AskFigures(b.readLong(), readText(b));
      }
      case FIGURES -> {
        long requestId = b.readLong();
        String from = readText(b);
        String node = readText(b);
        int n = b.readInt();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          counts.put(readText(b), b.readLong());
        }
        return new Figures(requestId, from, new NodeFigures(node, counts));
      }
      default -> throw new IllegalArgumentException("unknown envelope type " + type);
    }
  }

  private static void writeText(ByteBuf b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.writeInt(bytes.length);
    b.writeBytes(bytes);
  }

  private static String readText(ByteBuf b) {
    int n = b.readInt();
    String s = b.toString(b.readerIndex(), n, StandardCharsets.UTF_8);
    b.skipBytes(n);
    return s;
  }

  /** A mark's kind on the wire: 1 message, 2 outcome, 3 request (0 is "no mark"). */
  private static int markKind(DeliveryMark.Kind kind) {
    return switch (kind) {
      case MESSAGE -> 1;
      case OUTCOME -> 2;
      case REQUEST -> 3;
      case RECEIPT -> 4;
    };
  }

  private static DeliveryMark.Kind markKind(int wire) {
    return switch (wire) {
      case 1 -> DeliveryMark.Kind.MESSAGE;
      case 2 -> DeliveryMark.Kind.OUTCOME;
      case 3 -> DeliveryMark.Kind.REQUEST;
      case 4 -> DeliveryMark.Kind.RECEIPT;
      default -> throw new IllegalArgumentException("unknown mark kind " + wire);
    };
  }
}
