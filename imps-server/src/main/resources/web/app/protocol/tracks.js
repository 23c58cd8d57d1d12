// Tracks (PROTOCOL.md section 8.6, feature TRACKS): C_TRACK and S_TRACK, both directions so the
// byte examples can be checked both ways. Kept beside codec.js, which frames every other command;
// net/connection.js hands these two commands here.

import { CodecError, Reader, Writer } from './codec.js';
import { Cmd, Limits } from './commands.js';

/** The most points one S_TRACK carries (a MaxPoints of 0 or above counts as this). */
export const MAX_TRACK_POINTS = 4000;

/** Whether this module frames the command {@code type}. */
export function isTrackCommand(type) {
  return type === Cmd.C_TRACK || type === Cmd.S_TRACK;
}

/**
 * The whole frame of C_TRACK {userName, from, to, maxPoints} (epoch seconds, both inclusive) or
 * S_TRACK {userName, total, points: [{time, lat, lon}]} (time in epoch seconds, degrees).
 */
export function encodeTrack(message) {
  const w = new Writer();
  w.raw([0x4f, 0x4b, 0, 0]).u8(message.type);
  if (message.type === Cmd.C_TRACK) {
    w.utf(message.userName).i64(message.from).i64(message.to).u16(message.maxPoints);
  } else if (message.type === Cmd.S_TRACK) {
    w.utf(message.userName).i32(message.total).u16(message.points.length);
    for (const p of message.points) {
      w.i64(p.time).i32(Math.round(p.lat * 1e6)).i32(Math.round(p.lon * 1e6));
    }
  } else {
    throw new CodecError(`not a track command: ${message.type}`);
  }
  const length = w.length - Limits.HEADER_LENGTH;
  if (length > Limits.MAX_CONTENT_LENGTH) {
    throw new CodecError(`frame content of ${length} bytes is longer than a frame holds`);
  }
  w.buf[2] = length >> 8;
  w.buf[3] = length & 0xff;
  return w.toBytes();
}

/** The message in one whole C_TRACK or S_TRACK frame (the caller checked the frame header). */
export function decodeTrack(bytes) {
  const type = bytes[Limits.HEADER_LENGTH];
  const r = new Reader(bytes.subarray(Limits.HEADER_LENGTH + 1));
  let message;
  if (type === Cmd.C_TRACK) {
    message = { type, userName: r.utf(), from: r.i64(), to: r.i64(), maxPoints: r.u16() };
  } else if (type === Cmd.S_TRACK) {
    const userName = r.utf();
    const total = r.i32();
    const n = r.u16();
    const points = [];
    for (let i = 0; i < n; i++) {
      points.push({ time: r.i64(), lat: r.i32() / 1e6, lon: r.i32() / 1e6 });
    }
    message = { type, userName, total, points };
  } else {
    throw new CodecError(`not a track command: ${type}`);
  }
  // Like codec.js: bytes after the known fields are later extensions, ignored.
  return message;
}
