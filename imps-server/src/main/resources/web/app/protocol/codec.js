// The IMPS wire format in the browser: frames ('O' 'K', u16 length, content) and one writer and
// one reader per command: the legacy sheet's here, the extensions' in extensions.js, the field
// types in fields.js. A message is a plain object {type, ...fields}; the field names follow the
// protocol sheet in camelCase. Both directions are here so that the test vectors can be checked
// both ways.

import { Cmd, Limits } from './commands.js';
import { extensionCommands } from './extensions.js';
import { CodecError, Reader, Writer, modifiedUtf8 } from './fields.js';

export { CodecError, Reader, Writer, decodeUtf8, modifiedUtf8 } from './fields.js';

// One writer and one reader per command of the legacy sheet. Readers ignore bytes after the
// fields they know (extensions); trailing fields marked [ext] in the spec are read when present.
const LEGACY = {
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
};

/** Every command by number: the legacy sheet's and the extensions. */
const COMMANDS = { ...LEGACY, ...extensionCommands((type) => COMMANDS[type]) };

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
