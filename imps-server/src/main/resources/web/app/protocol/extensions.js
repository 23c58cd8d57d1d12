// The writers and readers of the extension commands (PROTOCOL.md section 8), numbered from 32;
// codec.js joins them to the legacy sheet's commands. Readers ignore bytes after the fields they
// know.

import { Cmd, HistoryKind } from './commands.js';
import { CodecError } from './fields.js';

/** The commands an S_STORED may carry (8.2); anything else is a malformed frame. */
const STORABLE = new Set([
  Cmd.S_SEND_MSG,
  Cmd.S_AUDIO_RSP,
  Cmd.S_ADDFRIEND_REQ,
  Cmd.S_ADDFRIEND_RSP,
  Cmd.S_RECEIPT,
]);

function storedCommand(type, commandOf) {
  if (!STORABLE.has(type)) {
    throw new CodecError(`S_STORED cannot carry command ${type}`);
  }
  return commandOf(type);
}

/**
 * The extension commands by number, each {write(w, m), read(r)}. S_STORED carries a stored
 * command, which it writes and reads with `commandOf(type)`, the codec of any command.
 */
export function extensionCommands(commandOf) {
  return {
    [Cmd.C_HELLO]: {
      write: (w, m) => w.u8(m.version).i32(m.features),
      read: (r) => ({ version: r.u8(), features: r.i32() }),
    },
    [Cmd.S_HELLO]: {
      write: (w, m) => w.u8(m.version).i32(m.features).i32(m.maxMessageChars).i32(m.maxAudioBytes),
      read: (r) => ({
        version: r.u8(),
        features: r.i32(),
        maxMessageChars: r.i32(),
        maxAudioBytes: r.i32(),
      }),
    },
    [Cmd.S_STORED]: {
      write: (w, m) => {
        const inner = storedCommand(m.item.type, commandOf);
        w.i64(m.seq).u8(m.item.type);
        inner.write(w, m.item);
      },
      read: (r) => {
        const seq = r.i64();
        const type = r.u8();
        return { seq, item: { type, ...storedCommand(type, commandOf).read(r) } };
      },
    },
    [Cmd.C_ACK]: {
      write: (w, m) => w.i64(m.seq),
      read: (r) => ({ seq: r.i64() }),
    },
    [Cmd.C_RESUME]: {
      write: (w, m) => w.utf(m.userName).utf(m.token).i64(m.lastSeq),
      read: (r) => ({ userName: r.utf(), token: r.utf(), lastSeq: r.i64() }),
    },
    [Cmd.S_RECEIPT]: {
      write: (w, m) => w.utf(m.peer).i64(m.upToClientMsgId).u8(m.state),
      read: (r) => ({ peer: r.utf(), upToClientMsgId: r.i64(), state: r.u8() }),
    },
    [Cmd.C_READ]: {
      write: (w, m) => w.utf(m.peer).i64(m.upToSeq),
      read: (r) => ({ peer: r.utf(), upToSeq: r.i64() }),
    },
    [Cmd.C_UNFRIEND]: {
      write: (w, m) => w.utf(m.friendName),
      read: (r) => ({ friendName: r.utf() }),
    },
    [Cmd.S_FRIEND_REMOVED]: {
      write: (w, m) => w.utf(m.friendName),
      read: (r) => ({ friendName: r.utf() }),
    },
    [Cmd.C_BLOCK]: {
      write: (w, m) => w.utf(m.userName).u8(m.block ? 1 : 0),
      read: (r) => ({ userName: r.utf(), block: r.u8() === 1 }),
    },
    [Cmd.C_BLOCKLIST_REQ]: {
      write: () => {},
      read: () => ({}),
    },
    [Cmd.S_BLOCKLIST_RSP]: {
      write: (w, m) => {
        w.u16(m.names.length);
        m.names.forEach((n) => w.utf(n));
      },
      read: (r) => {
        const n = r.u16();
        const names = [];
        for (let i = 0; i < n; i++) {
          names.push(r.utf());
        }
        return { names };
      },
    },
    [Cmd.C_PASSWD]: {
      write: (w, m) => w.utf(m.oldPassword).utf(m.newPassword),
      read: (r) => ({ oldPassword: r.utf(), newPassword: r.utf() }),
    },
    [Cmd.C_DELETE_ACCOUNT]: {
      write: (w, m) => w.utf(m.password),
      read: (r) => ({ password: r.utf() }),
    },
    [Cmd.C_HISTORY]: {
      write: (w, m) => w.utf(m.peer).i64(m.fromId).u8(m.newer ? 1 : 0).u16(m.maxItems),
      read: (r) => ({ peer: r.utf(), fromId: r.i64(), newer: r.u8() === 1, maxItems: r.u16() }),
    },
    [Cmd.S_HISTORY]: {
      write: (w, m) => {
        w.utf(m.peer).u8(m.more ? 1 : 0).u16(m.entries.length);
        for (const e of m.entries) {
          w.i64(e.id).u8(e.outgoing ? 1 : 0).utf(e.acceptedAt).u8(e.kind);
          if (e.kind === HistoryKind.TEXT) {
            w.utf(e.text);
          } else {
            w.bytes(e.data);
          }
        }
      },
      read: (r) => {
        const peer = r.utf();
        const more = r.u8() === 1;
        const n = r.u16();
        const entries = [];
        for (let i = 0; i < n; i++) {
          const e = { id: r.i64(), outgoing: r.u8() === 1, acceptedAt: r.utf(), kind: r.u8() };
          if (e.kind === HistoryKind.TEXT) {
            e.text = r.utf();
          } else if (e.kind === HistoryKind.CLIP) {
            e.data = r.bytesField();
          } else {
            throw new CodecError(`unknown history entry kind ${e.kind}`);
          }
          entries.push(e);
        }
        return { peer, more, entries };
      },
    },
    [Cmd.C_LIVE_LOCATIONS]: {
      write: (w, m) => w.u8(m.on ? 1 : 0),
      read: (r) => ({ on: r.u8() === 1 }),
    },
    [Cmd.S_LOCATION]: {
      write: (w, m) => w.utf(m.friendName).utf(m.time).utf(m.location),
      read: (r) => ({ friendName: r.utf(), time: r.utf(), location: r.utf() }),
    },
    // C_TRACK {userName, from, to, maxPoints}: epoch seconds, both inclusive.
    [Cmd.C_TRACK]: {
      write: (w, m) => w.utf(m.userName).i64(m.from).i64(m.to).u16(m.maxPoints),
      read: (r) => ({ userName: r.utf(), from: r.i64(), to: r.i64(), maxPoints: r.u16() }),
    },
    // S_TRACK {userName, total, points: [{time, lat, lon}]}: time in epoch seconds, degrees
    // (millionths on the wire).
    [Cmd.S_TRACK]: {
      write: (w, m) => {
        w.utf(m.userName).i32(m.total).u16(m.points.length);
        for (const p of m.points) {
          w.i64(p.time).i32(Math.round(p.lat * 1e6)).i32(Math.round(p.lon * 1e6));
        }
      },
      read: (r) => {
        const userName = r.utf();
        const total = r.i32();
        const n = r.u16();
        const points = [];
        for (let i = 0; i < n; i++) {
          points.push({ time: r.i64(), lat: r.i32() / 1e6, lon: r.i32() / 1e6 });
        }
        return { userName, total, points };
      },
    },
    [Cmd.C_UNREAD_REQ]: {
      write: () => {},
      read: () => ({}),
    },
    // S_UNREAD_RSP {asOfSeq, friends: [{name, count}]}: unread messages per friend (8.8).
    [Cmd.S_UNREAD_RSP]: {
      write: (w, m) => {
        w.i64(m.asOfSeq).u16(m.friends.length);
        for (const f of m.friends) {
          w.utf(f.name).i32(f.count);
        }
      },
      read: (r) => {
        const asOfSeq = r.i64();
        const n = r.u16();
        const friends = [];
        for (let i = 0; i < n; i++) {
          friends.push({ name: r.utf(), count: r.i32() });
        }
        return { asOfSeq, friends };
      },
    },
  };
}
