// The IMPS wire format in the browser: frames ('O' 'K', u16 length, content), field types
// (u8, i8, u16, i32, modified UTF-8 strings, byte arrays) and one writer and one reader per
// command. A message is a plain object {type, ...fields}; the field names follow the protocol
// sheet in camelCase. Both directions are here so that the test vectors can be checked both ways.

import { Cmd, HistoryKind, Limits } from './commands.js';

/** Thrown for bytes that are not a well-formed frame or command. */
export class CodecError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CodecError';
  }
}

/**
 * A string as java.io.DataOutput.writeUTF writes it, without the length prefix: each UTF-16 code
 * unit on its own (so an emoji is two 3-byte surrogates), U+0000 as C0 80.
 */
export function modifiedUtf8(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c >= 0x01 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) {
      out[at++] = c;
    } else if (c <= 0x7ff) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
  return out;
}

/**
 * Decodes modified UTF-8 and also standard UTF-8 (4-byte sequences become surrogate pairs), as the
 * server accepts both. Malformed bytes throw.
 */
export function decodeUtf8(bytes) {
  const units = [];
  let i = 0;
  const cont = (k) => {
    if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) {
      throw new CodecError(`malformed UTF-8 at byte ${i}`);
    }
    return bytes[i + k] & 0x3f;
  };
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      if (b === 0) {
        throw new CodecError('a raw zero byte in a modified UTF-8 string');
      }
      units.push(b);
      i += 1;
    } else if ((b & 0xe0) === 0xc0) {
      const c = ((b & 0x1f) << 6) | cont(1);
      if (c < 0x80 && c !== 0) {
        throw new CodecError(`overlong UTF-8 at byte ${i}`);
      }
      units.push(c);
      i += 2;
    } else if ((b & 0xf0) === 0xe0) {
      const c = ((b & 0x0f) << 12) | (cont(1) << 6) | cont(2);
      if (c < 0x800) {
        throw new CodecError(`overlong UTF-8 at byte ${i}`);
      }
      units.push(c);
      i += 3;
    } else if ((b & 0xf8) === 0xf0) {
      const cp = ((b & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
      if (cp < 0x10000 || cp > 0x10ffff) {
        throw new CodecError(`bad 4-byte UTF-8 at byte ${i}`);
      }
      const v = cp - 0x10000;
      units.push(0xd800 | (v >> 10), 0xdc00 | (v & 0x3ff));
      i += 4;
    } else {
      throw new CodecError(`malformed UTF-8 at byte ${i}`);
    }
  }
  let s = '';
  for (let k = 0; k < units.length; k += 4096) {
    s += String.fromCharCode(...units.slice(k, k + 4096));
  }
  return s;
}

/** Appends fields to a growing buffer. */
export class Writer {
  constructor() {
    this.buf = new Uint8Array(64);
    this.length = 0;
  }

  ensure(n) {
    if (this.length + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
  }

  u8(v) {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) {
      throw new CodecError(`not a byte: ${v}`);
    }
    this.ensure(1);
    this.buf[this.length++] = v;
    return this;
  }

  i8(v) {
    if (!Number.isInteger(v) || v < -128 || v > 127) {
      throw new CodecError(`not a signed byte: ${v}`);
    }
    return this.u8(v & 0xff);
  }

  u16(v) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) {
      throw new CodecError(`not a u16: ${v}`);
    }
    this.ensure(2);
    this.buf[this.length++] = v >> 8;
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  i32(v) {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new CodecError(`not an i32: ${v}`);
    }
    this.ensure(4);
    new DataView(this.buf.buffer).setInt32(this.length, v);
    this.length += 4;
    return this;
  }

  /** i64 from a safe integer (sequence numbers and ids stay far below 2^53). */
  i64(v) {
    if (!Number.isSafeInteger(v)) {
      throw new CodecError(`not a safe integer for an i64: ${v}`);
    }
    this.ensure(8);
    new DataView(this.buf.buffer).setBigInt64(this.length, BigInt(v));
    this.length += 8;
    return this;
  }

  raw(bytes) {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /** UTF: u16 byte count, then modified UTF-8. */
  utf(text) {
    if (typeof text !== 'string') {
      throw new CodecError(`not a string: ${text}`);
    }
    const bytes = modifiedUtf8(text);
    if (bytes.length > Limits.MAX_UTF_BYTES) {
      throw new CodecError(`string of ${bytes.length} bytes is longer than a UTF field holds`);
    }
    return this.u16(bytes.length).raw(bytes);
  }

  /** Byte[]: i32 byte count, then the bytes. */
  bytes(data) {
    return this.i32(data.length).raw(data);
  }

  toBytes() {
    return this.buf.slice(0, this.length);
  }
}

/** Reads fields from one frame's content; running past the end throws. */
export class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.at = 0;
  }

  need(n, what) {
    if (this.at + n > this.bytes.length) {
      throw new CodecError(`${what} runs past the end of the frame`);
    }
  }

  remaining() {
    return this.bytes.length - this.at;
  }

  u8() {
    this.need(1, 'a byte');
    return this.bytes[this.at++];
  }

  i8() {
    this.need(1, 'a byte');
    return this.view.getInt8(this.at++);
  }

  u16() {
    this.need(2, 'a u16');
    const v = this.view.getUint16(this.at);
    this.at += 2;
    return v;
  }

  i32() {
    this.need(4, 'an i32');
    const v = this.view.getInt32(this.at);
    this.at += 4;
    return v;
  }

  /** i64 as a Number; one beyond 2^53 cannot be held exactly and throws. */
  i64() {
    this.need(8, 'an i64');
    const v = this.view.getBigInt64(this.at);
    this.at += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new CodecError(`i64 ${v} is beyond what the app holds exactly`);
    }
    return Number(v);
  }

  utf() {
    const n = this.u16();
    this.need(n, 'a string');
    const s = decodeUtf8(this.bytes.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }

  bytesField() {
    const n = this.i32();
    if (n < 0) {
      throw new CodecError(`negative byte count ${n}`);
    }
    this.need(n, 'a byte array');
    const b = this.bytes.slice(this.at, this.at + n);
    this.at += n;
    return b;
  }
}

// One writer and one reader per command. Readers ignore bytes after the fields they know
// (extensions); trailing fields marked [ext] in the spec are read when present.
const COMMANDS = {
  [Cmd.C_LOGIN_REQ]: {
    write: (w, m) => w.utf(m.userName).utf(m.password),
    read: (r) => ({ userName: r.utf(), password: r.utf() }),
  },
  [Cmd.S_LOGIN_RSP]: {
    write: (w, m) => {
      w.utf(m.userName).u8(m.gender).utf(m.email);
      if (m.status !== undefined) {
        w.u8(m.status);
        if (m.token !== undefined) {
          w.utf(m.token).i32(m.tokenTtl);
        }
      }
    },
    read: (r) => {
      const m = { userName: r.utf(), gender: r.u8(), email: r.utf() };
      // [ext] Status after C_HELLO, then Token and TokenTtl with ACKS (8.2).
      if (r.remaining() > 0) {
        m.status = r.u8();
        if (r.remaining() > 0) {
          m.token = r.utf();
          m.tokenTtl = r.i32();
        }
      }
      return m;
    },
  },
  [Cmd.C_HEARTBEAT_REQ]: {
    write: (w, m) => {
      w.utf(m.userName).i32(m.fixes.length);
      for (const f of m.fixes) {
        w.utf(f.time).utf(f.location);
      }
    },
    read: (r) => {
      const userName = r.utf();
      const n = r.i32();
      if (n < 0) {
        throw new CodecError(`negative DataSetSize ${n}`);
      }
      const fixes = [];
      for (let i = 0; i < n; i++) {
        fixes.push({ time: r.utf(), location: r.utf() });
      }
      return { userName, fixes };
    },
  },
  [Cmd.S_HEARTBEAT_RSP]: {
    write: () => {},
    read: () => ({}),
  },
  [Cmd.C_FRIENDLIST_REFURBISH_REQ]: {
    write: (w, m) => w.utf(m.userName),
    read: (r) => ({ userName: r.utf() }),
  },
  [Cmd.S_FRIENDLIST_REFURBISH_RSP]: {
    write: (w, m) => {
      w.u16(m.friends.length);
      for (const f of m.friends) {
        w.utf(f.name).u8(f.status).utf(f.time).utf(f.location);
      }
    },
    read: (r) => {
      const n = r.u16();
      const friends = [];
      for (let i = 0; i < n; i++) {
        friends.push({ name: r.utf(), status: r.u8(), time: r.utf(), location: r.utf() });
      }
      return { friends };
    },
  },
  [Cmd.C_ADDFRIEND_REQ]: {
    write: (w, m) => w.utf(m.userName).utf(m.friendName),
    read: (r) => ({ userName: r.utf(), friendName: r.utf() }),
  },
  [Cmd.C_ADDFRIEND_RSP]: {
    write: (w, m) => w.utf(m.userName).u8(m.action),
    read: (r) => ({ userName: r.utf(), action: r.u8() }),
  },
  [Cmd.S_ADDFRIEND_REQ]: {
    write: (w, m) => w.utf(m.friendName),
    read: (r) => ({ friendName: r.utf() }),
  },
  [Cmd.S_ADDFRIEND_RSP]: {
    write: (w, m) => {
      w.i8(m.result);
      if (m.result === 1) {
        w.utf(m.userName).u8(m.status).utf(m.time).utf(m.location);
      } else if (m.userName !== undefined) {
        w.utf(m.userName);
      }
    },
    read: (r) => {
      const result = r.i8();
      if (result === 1) {
        return { result, userName: r.utf(), status: r.u8(), time: r.utf(), location: r.utf() };
      }
      return r.remaining() > 0 ? { result, userName: r.utf() } : { result };
    },
  },
  [Cmd.C_SEND_MSG]: {
    write: (w, m) => {
      w.utf(m.userName).utf(m.friendName).utf(m.message);
      if (m.clientMsgId !== undefined) {
        w.i64(m.clientMsgId);
      }
    },
    read: (r) =>
      withClientMsgId(r, { userName: r.utf(), friendName: r.utf(), message: r.utf() }),
  },
  [Cmd.S_SEND_MSG]: {
    write: (w, m) => w.utf(m.friendName).utf(m.message).utf(m.datetime),
    read: (r) => ({ friendName: r.utf(), message: r.utf(), datetime: r.utf() }),
  },
  [Cmd.C_STATUS_NOTIFY]: {
    write: (w, m) => w.utf(m.userName).u8(m.status),
    read: (r) => ({ userName: r.utf(), status: r.u8() }),
  },
  [Cmd.S_STATUS_NOTIFY]: {
    write: (w, m) => w.utf(m.userName).u8(m.status),
    read: (r) => ({ userName: r.utf(), status: r.u8() }),
  },
  [Cmd.C_REGISTER]: {
    write: (w, m) => w.utf(m.userName).utf(m.password).u8(m.gender).utf(m.email),
    read: (r) => ({ userName: r.utf(), password: r.utf(), gender: r.u8(), email: r.utf() }),
  },
  [Cmd.S_REGISTER]: {
    write: (w, m) => w.u8(m.response),
    read: (r) => ({ response: r.u8() }),
  },
  [Cmd.S_ERROR_RSP]: {
    write: (w, m) => w.u8(m.code).u8(m.cmd),
    read: (r) => {
      const code = r.u8();
      return { code, cmd: r.remaining() > 0 ? r.u8() : 0 };
    },
  },
  [Cmd.C_AUDIO_REQ]: {
    write: (w, m) => {
      w.utf(m.friendName).bytes(m.data).utf(m.datetime);
      if (m.clientMsgId !== undefined) {
        w.i64(m.clientMsgId);
      }
    },
    read: (r) =>
      withClientMsgId(r, { friendName: r.utf(), data: r.bytesField(), datetime: r.utf() }),
  },
  [Cmd.S_AUDIO_RSP]: {
    write: (w, m) => w.utf(m.friendName).bytes(m.data).utf(m.datetime),
    read: (r) => ({ friendName: r.utf(), data: r.bytesField(), datetime: r.utf() }),
  },
  // Extensions (PROTOCOL.md section 8).
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
      const inner = storedCommand(m.item.type);
      w.i64(m.seq).u8(m.item.type);
      inner.write(w, m.item);
    },
    read: (r) => {
      const seq = r.i64();
      const type = r.u8();
      return { seq, item: { type, ...storedCommand(type).read(r) } };
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
};

/** A trailing [ext] ClientMsgId, kept only when present and not 0 (none). */
function withClientMsgId(r, m) {
  if (r.remaining() >= 8) {
    const id = r.i64();
    if (id !== 0) {
      m.clientMsgId = id;
    }
  }
  return m;
}

/** The commands an S_STORED may carry (8.2); anything else is a malformed frame. */
const STORABLE = new Set([
  Cmd.S_SEND_MSG,
  Cmd.S_AUDIO_RSP,
  Cmd.S_ADDFRIEND_REQ,
  Cmd.S_ADDFRIEND_RSP,
  Cmd.S_RECEIPT,
]);

function storedCommand(type) {
  if (!STORABLE.has(type)) {
    throw new CodecError(`S_STORED cannot carry command ${type}`);
  }
  return COMMANDS[type];
}

/** The whole frame of a message {type, ...fields}. */
export function encode(message) {
  const command = COMMANDS[message.type];
  if (!command) {
    throw new CodecError(`unknown command ${message.type}`);
  }
  const w = new Writer();
  w.raw([0x4f, 0x4b, 0, 0]).u8(message.type);
  command.write(w, message);
  const length = w.length - Limits.HEADER_LENGTH;
  if (length > Limits.MAX_CONTENT_LENGTH) {
    throw new CodecError(`frame content of ${length} bytes is longer than a frame holds`);
  }
  w.buf[2] = length >> 8;
  w.buf[3] = length & 0xff;
  return w.toBytes();
}

/**
 * The message in one whole frame. Anything but exactly one frame (a short, long or mistagged
 * buffer) and any field that does not parse throw a CodecError.
 */
export function decode(frame) {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.length < Limits.HEADER_LENGTH || bytes[0] !== 0x4f || bytes[1] !== 0x4b) {
    throw new CodecError('not an IMPS frame');
  }
  const length = (bytes[2] << 8) | bytes[3];
  if (length === 0 || bytes.length !== Limits.HEADER_LENGTH + length) {
    throw new CodecError(
      `frame says ${length} content bytes but the message holds ${bytes.length - 4}`,
    );
  }
  const type = bytes[4];
  const command = COMMANDS[type];
  if (!command) {
    throw new CodecError(`unknown command ${type}`);
  }
  const fields = command.read(new Reader(bytes.subarray(Limits.HEADER_LENGTH + 1)));
  return { type, ...fields };
}

/** How many bytes a string takes in a UTF field (without the length prefix). */
export function utfLength(text) {
  return modifiedUtf8(text).length;
}
