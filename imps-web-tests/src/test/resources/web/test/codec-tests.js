// The browser codec's tests: every test vector both ways, plus the edge cases of the field
// types. Runs in a browser (codec-test.html) and, for development, in Node.

import { CodecError, decode, decodeUtf8, encode, modifiedUtf8 } from '../app/protocol/codec.js';
import { Cmd } from '../app/protocol/commands.js';
import { VECTORS } from './codec-vectors.js';
import { EXTENSION_VECTORS } from './extension-vectors.js';
import { trackGeoJson, trackGpx } from '../app/tracks.js';

export function hexToBytes(hex) {
  const digits = hex.replace(/\s+/g, '');
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(digits.substr(i * 2, 2), 16);
  }
  return out;
}

export function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function same(a, b) {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && bytesToHex(a) === bytesToHex(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
    );
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return same(ka, kb) && ka.every((k) => same(a[k], b[k]));
  }
  return a === b;
}

function show(v) {
  return JSON.stringify(v, (k, x) => (x instanceof Uint8Array ? `bytes[${bytesToHex(x)}]` : x));
}

function throwsCodecError(fn) {
  try {
    fn();
    return false;
  } catch (e) {
    return e instanceof CodecError;
  }
}

/** Each test: [name, () => null when it passes, or a description of the failure]. */
export function tests() {
  const list = [];
  for (const v of [...VECTORS, ...EXTENSION_VECTORS]) {
    list.push([
      `encode ${v.name}`,
      () => {
        const got = bytesToHex(encode(v.message));
        const want = bytesToHex(hexToBytes(v.hex));
        return got === want ? null : `got ${got}, want ${want}`;
      },
    ]);
    list.push([
      `decode ${v.name}`,
      () => {
        const got = decode(hexToBytes(v.hex));
        return same(got, v.message) ? null : `got ${show(got)}, want ${show(v.message)}`;
      },
    ]);
  }
  // The S_TRACK example as `./imps track` writes it (imps-client TrackExport).
  const track = EXTENSION_VECTORS.find((v) => v.message.type === Cmd.S_TRACK).message;
  const expect = (name, got, want) =>
    list.push([name, () => (got() === want ? null : `got ${got()}, want ${want}`)]);
  expect(
    'the S_TRACK example as GeoJSON',
    () => trackGeoJson(track),
    '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"bob",' +
      '"total":3,"coordTimes":["2026-11-28T12:00:00Z","2026-11-28T12:01:00Z"]},' +
      '"geometry":{"type":"LineString","coordinates":[[113.26,23.13],[113.26225,23.1315]]}}]}\n',
  );
  expect(
    'the S_TRACK example as GPX 1.1',
    () => trackGpx(track),
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<gpx version="1.1" creator="imps" xmlns="http://www.topografix.com/GPX/1/1">\n' +
      '  <trk>\n    <name>bob</name>\n    <trkseg>\n' +
      '      <trkpt lat="23.13" lon="113.26"><time>2026-11-28T12:00:00Z</time></trkpt>\n' +
      '      <trkpt lat="23.1315" lon="113.26225"><time>2026-11-28T12:01:00Z</time></trkpt>\n' +
      '    </trkseg>\n  </trk>\n</gpx>\n',
  );
  expect(
    'one fix as a GeoJSON Point, none as no feature',
    () =>
      trackGeoJson({ ...track, points: track.points.slice(0, 1) }) +
      trackGeoJson({ ...track, points: [] }),
    '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"bob",' +
      '"total":3,"coordTimes":["2026-11-28T12:00:00Z"]},' +
      '"geometry":{"type":"Point","coordinates":[113.26,23.13]}}]}\n' +
      '{"type":"FeatureCollection","features":[]}\n',
  );
  const check = (name, ok, detail) => list.push([name, () => (ok() ? null : detail)]);
  check(
    'U+0000 is C0 80 in modified UTF-8',
    () => bytesToHex(modifiedUtf8('a\u0000b')) === '61 c0 80 62',
    'NUL not encoded as C0 80',
  );
  check(
    'an emoji is two 3-byte surrogates',
    () => bytesToHex(modifiedUtf8('😀')) === 'ed a0 bd ed b8 80',
    'emoji not encoded as surrogates',
  );
  check(
    'standard 4-byte UTF-8 decodes too',
    () => decodeUtf8(hexToBytes('f0 9f 98 80 e4 bd a0')) === '😀你',
    '4-byte UTF-8 not accepted',
  );
  check(
    'a truncated sequence is refused',
    () => throwsCodecError(() => decodeUtf8(hexToBytes('e4 bd'))),
    'truncated UTF-8 accepted',
  );
  check(
    'a lone continuation byte is refused',
    () => throwsCodecError(() => decodeUtf8(hexToBytes('80'))),
    'lone continuation byte accepted',
  );
  check(
    'a string running past the end of the frame is refused',
    () => throwsCodecError(() => decode(hexToBytes('4f 4b 00 03 0f 00 09'))),
    'over-long string accepted',
  );
  check(
    'a message holding two frames is refused',
    () => throwsCodecError(() => decode(hexToBytes('4f 4b 00 01 04 4f 4b 00 01 04'))),
    'two frames accepted as one',
  );
  check(
    'a message holding part of a frame is refused',
    () => throwsCodecError(() => decode(hexToBytes('4f 4b 00 08 05 00 05 61'))),
    'partial frame accepted',
  );
  check(
    'a bad tag is refused',
    () => throwsCodecError(() => decode(hexToBytes('4f 58 00 01 04'))),
    'bad tag accepted',
  );
  check(
    'trailing bytes after the known fields are ignored',
    () => same(decode(hexToBytes('4f 4b 00 03 04 aa bb')), { type: Cmd.S_HEARTBEAT_RSP }),
    'extension bytes not ignored',
  );
  check(
    'S_ERROR_RSP without the [ext] Cmd reads Cmd 0',
    () => same(decode(hexToBytes('4f 4b 00 02 11 06')), { type: Cmd.S_ERROR_RSP, code: 6, cmd: 0 }),
    'legacy S_ERROR_RSP misread',
  );
  check(
    'a frame over 65535 content bytes is refused',
    () =>
      throwsCodecError(() =>
        encode({
          type: Cmd.C_AUDIO_REQ,
          friendName: 'bob',
          data: new Uint8Array(70000),
          datetime: '',
        }),
      ),
    'oversized frame encoded',
  );
  check(
    'a 60 KiB clip round-trips',
    () => {
      const data = new Uint8Array(60 * 1024).map((_, i) => (i * 31) & 0xff);
      const m = { type: Cmd.C_AUDIO_REQ, friendName: '李雷', data, datetime: 'x' };
      return same(decode(encode(m)), m);
    },
    'clip changed on the way',
  );
  check(
    'S_STORED carrying a command that is not a stored item is refused',
    () => throwsCodecError(() => decode(hexToBytes('4f 4b 00 0a 22 00 00 00 00 00 00 00 01 04'))),
    'S_STORED(S_HEARTBEAT_RSP) accepted',
  );
  check(
    'C_SEND_MSG without ClientMsgId has none',
    () =>
      same(decode(hexToBytes('4f 4b 00 11 0b 00 05 61 6c 69 63 65 00 03 62 6f 62 00 02 68 69')), {
        type: Cmd.C_SEND_MSG,
        userName: 'alice',
        friendName: 'bob',
        message: 'hi',
      }),
    'legacy C_SEND_MSG misread',
  );
  check(
    'an i64 beyond 2^53 is refused rather than rounded',
    () => throwsCodecError(() => decode(hexToBytes('4f 4b 00 09 23 00 20 00 00 00 00 00 01'))),
    'inexact i64 accepted',
  );
  return list;
}

/** Runs every test; returns {passed, failed, failures: [{name, detail}]}. */
export function run() {
  const result = { passed: 0, failed: 0, failures: [] };
  for (const [name, fn] of tests()) {
    let detail;
    try {
      detail = fn();
    } catch (e) {
      detail = `threw ${e}`;
    }
    if (detail == null) {
      result.passed++;
    } else {
      result.failed++;
      result.failures.push({ name, detail });
    }
  }
  return result;
}
