// Tracks (PROTOCOL.md section 8.6): a user's own or a friend's fixes over a time range, and the
// GPX 1.1 and GeoJSON documents `./imps track` writes for them (imps-client TrackExport).

import { Cmd, Feature } from './protocol/commands.js';

export class Tracks {
  /** @param {import('./net/session.js').Session} session */
  constructor(session) {
    this.session = session;
  }

  /** Whether the server answers C_TRACK on this connection. */
  get available() {
    return this.session.has(Feature.TRACKS);
  }

  /**
   * The track of {@code userName} from {@code from} to {@code to} (Dates, both inclusive), at most
   * {@code maxPoints} points (thinned by the server): {userName, total, points: [{time, lat, lon}]}
   * with times in epoch seconds. Rejects with ImpsError (9: not a friend) or Disconnected.
   */
  request(userName, from, to, maxPoints = 2000) {
    return this.session.request({
      type: Cmd.C_TRACK,
      userName,
      from: Math.floor(from.getTime() / 1000),
      to: Math.floor(to.getTime() / 1000),
      maxPoints,
    });
  }
}

/** Degrees as the protocol writes them: at most 6 decimals, no trailing zeros, never 1e-7. */
function degrees(d) {
  const e6 = Math.round(d * 1e6);
  const sign = e6 < 0 ? '-' : '';
  const abs = Math.abs(e6);
  const fraction = String(abs % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(abs / 1_000_000)}${fraction ? `.${fraction}` : ''}`;
}

/** An instant as Java's ISO_INSTANT writes whole seconds: 2026-11-28T12:00:00Z. */
function isoTime(seconds) {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

const xml = (s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** GPX 1.1: one {@code <trk>} named after the user, one {@code <trkseg>}, times in UTC. */
export function trackGpx(track) {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="imps" xmlns="http://www.topografix.com/GPX/1/1">',
    '  <trk>',
    `    <name>${xml(track.userName)}</name>`,
    '    <trkseg>',
    ...track.points.map(
      (p) =>
        `      <trkpt lat="${degrees(p.lat)}" lon="${degrees(p.lon)}">` +
        `<time>${isoTime(p.time)}</time></trkpt>`,
    ),
    '    </trkseg>',
    '  </trk>',
    '</gpx>',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * GeoJSON (RFC 7946): a FeatureCollection with one feature, a LineString of [lon, lat] (a Point
 * for one fix, no feature for none), with name, total and coordTimes as properties.
 */
export function trackGeoJson(track) {
  const points = track.points;
  // Numbers written as the protocol's decimals (JSON numbers, so without quotes).
  const position = (p) => `[${degrees(p.lon)},${degrees(p.lat)}]`;
  let features = '';
  if (points.length > 0) {
    const geometry =
      points.length === 1
        ? `{"type":"Point","coordinates":${position(points[0])}}`
        : `{"type":"LineString","coordinates":[${points.map(position).join(',')}]}`;
    const times = points.map((p) => JSON.stringify(isoTime(p.time))).join(',');
    features =
      `{"type":"Feature","properties":{"name":${JSON.stringify(track.userName)}` +
      `,"total":${track.total},"coordTimes":[${times}]},"geometry":${geometry}}`;
  }
  return `{"type":"FeatureCollection","features":[${features}]}\n`;
}
