// The field types of the IMPS wire format in the browser: u8, i8, u16, i32, i64, modified UTF-8
// strings and byte arrays, written by a Writer and read by a Reader. The commands built from them
// are in codec.js (the legacy sheet) and extensions.js (PROTOCOL.md section 8).

import { Limits } from './commands.js';

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
  return decodeRange(bytes, 0, bytes.length);
}

/**
 * decodeUtf8 of bytes[from, to). A string of ASCII without NUL (names, times, positions: most of
 * what the server pushes) becomes one string directly, with nothing else made for the garbage
 * collector: pushed positions come by the hundred.
 */
function decodeRange(all, from, to) {
  if (to - from <= 4096) {
    let ascii = true;
    for (let i = from; i < to; i++) {
      const b = all[i];
      if (b === 0 || b > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return String.fromCharCode.apply(null, from === 0 && to === all.length ? all : all.subarray(from, to));
    }
  }
  const bytes = from === 0 && to === all.length ? all : all.subarray(from, to);
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
    const s = decodeRange(this.bytes, this.at, this.at + n);
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
