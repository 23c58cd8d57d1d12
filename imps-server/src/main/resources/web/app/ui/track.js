// The map's track bar: pick myself or a friend and a date range, draw their track (C_TRACK) as a
// line on the map, and download it as GPX or GeoJSON (Blob object URLs; nothing inline).

import { ErrorCode } from '../protocol/commands.js';
import { ImpsError } from '../net/session.js';
import * as L from '../../vendor/leaflet/leaflet-src.esm.js';
import { FastPolyline } from '../map/fast-lines.js';
import { trackGeoJson, trackGpx } from '../tracks.js';
import { cssVar, h, replace } from './dom.js';

/** The most points drawn (the server thins longer tracks uniformly by time). */
const MAX_POINTS = 2000;
/** Longer tracks are simplified to the pixels they cover (Leaflet's smoothing) and clipped. */
const LONG_TRACK = 200;

/** yyyy-mm-dd of a Date in local time, as <input type=date> takes it. */
function day(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A safe file name part: letters and digits of any script, the rest as '_'. */
const fileName = (s) => s.replace(/[^\p{L}\p{N}._-]/gu, '_');

export function trackBar(map, state, tracks, signal) {
  const who = h('select', { id: 'track-who', 'aria-label': 'Whose track' });
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  const from = h('input', {
    type: 'date',
    id: 'track-from',
    'aria-label': 'From',
    value: day(yesterday),
  });
  const to = h('input', { type: 'date', id: 'track-to', 'aria-label': 'To', value: day(today) });
  const show = h('button', { type: 'button', id: 'track-show', text: 'Show track' });
  const gpx = h('a', { id: 'track-gpx', class: 'download', text: 'Download GPX', hidden: true });
  const geojson = h('a', {
    id: 'track-geojson',
    class: 'download',
    text: 'Download GeoJSON',
    hidden: true,
  });
  const status = h('span', { class: 'map-status', id: 'track-status', role: 'status' });
  const bar = h(
    'div',
    { class: 'map-toolbar track-bar' },
    h('label', { text: 'Track of ' }, who),
    h('label', { text: 'from ' }, from),
    h('label', { text: 'to ' }, to),
    show,
    gpx,
    geojson,
    status,
  );

  let line = null;
  const urls = [];
  // A long track is drawn on a canvas of its own: as an SVG, Chromium rastered it again in tiles
  // at the scale a zoom animation reached (up to 8 times the view's pixels, 270 tiles, 130-220 ms
  // of raster right after a zoom in, in which no frame could be shown); a canvas is scaled as it
  // is while the zoom animates and drawn again once at its end. Its colour is the stylesheet's
  // --accent (the one place it is set), read again when the colour scheme changes; a stylesheet
  // without one leaves Leaflet's default.
  const canvas = L.canvas({ padding: 0.25 });
  const scheme = window.matchMedia?.('(prefers-color-scheme: dark)');
  const colour = () => {
    const accent = cssVar('--accent');
    return accent ? { color: accent } : {};
  };
  const recolour = () => line?.options.renderer === canvas && line.setStyle(colour());
  scheme?.addEventListener('change', recolour, { signal });
  const clearTrack = () => {
    line?.remove();
    line = null;
    urls.splice(0).forEach((u) => URL.revokeObjectURL(u));
    gpx.hidden = true;
    geojson.hidden = true;
    delete status.dataset.points;
  };
  const offer = (a, text, type, name) => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    urls.push(url);
    a.href = url;
    a.download = name;
    a.hidden = false;
  };

  const byName = new Intl.Collator().compare;
  // The choice is built again only when the names change (state.namesRev): the friend list
  // changes with every position a friend sends, and with 500 friends rebuilding it took 5-15 ms
  // each time (and even comparing the 500 names on every position made garbage to collect).
  let shownMe = null;
  let shownNames = -1;
  const renderWho = () => {
    const chosen = who.value;
    const me = state.me?.userName;
    if (me === shownMe && state.namesRev === shownNames) {
      return;
    }
    shownMe = me;
    shownNames = state.namesRev;
    const names = [...state.friends.keys()].sort(byName);
    replace(
      who,
      me ? h('option', { value: me, text: `me (${me})` }) : null,
      names.map((n) => h('option', { value: n, text: n })),
    );
    if ([...who.options].some((o) => o.value === chosen)) {
      who.value = chosen;
    }
  };

  show.addEventListener('click', async () => {
    const name = who.value;
    // The whole days chosen, in local time: from the start of the first to the end of the last.
    const start = from.valueAsDate && new Date(`${from.value}T00:00:00`);
    const end = to.valueAsDate && new Date(`${to.value}T23:59:59`);
    if (!name || !start || !end) {
      status.textContent = 'Pick whose track and both dates.';
      return;
    }
    if (!tracks.available) {
      status.textContent = 'This server does not keep tracks.';
      return;
    }
    clearTrack();
    status.textContent = 'Loading the track…';
    show.disabled = true;
    try {
      const track = await tracks.request(name, start, end, MAX_POINTS);
      const points = track.points.map((p) => [p.lat, p.lon]);
      status.dataset.points = String(points.length);
      if (points.length === 0) {
        status.textContent = `No positions from ${name} in these days.`;
        return;
      }
      // A short track is drawn point for point (no smoothing, no clipping) as an SVG path, so the
      // line has them all; a long one is cut to the view and simplified to the pixels it covers at
      // each zoom (the line looks the same), on the track's canvas.
      const long = points.length > LONG_TRACK;
      line = new FastPolyline(points, {
        className: 'track-line',
        smoothFactor: long ? 1 : 0,
        noClip: !long,
        interactive: false,
        ...(long ? { renderer: canvas, ...colour(), weight: 4, opacity: 1 } : {}),
      }).addTo(map);
      if (long) {
        canvas._container?.classList.add('track-canvas'); // for tests and debugging
      }
      map.fitBounds(line.getBounds(), { padding: [40, 40], animate: false, maxZoom: 13 });
      status.textContent =
        track.total > points.length
          ? `${points.length} of ${track.total} positions (thinned evenly by time).`
          : `${points.length} positions.`;
      const base = `track-${fileName(name)}-${from.value}-${to.value}`;
      offer(gpx, trackGpx(track), 'application/gpx+xml', `${base}.gpx`);
      offer(geojson, trackGeoJson(track), 'application/geo+json', `${base}.geojson`);
    } catch (e) {
      status.textContent =
        e instanceof ImpsError && e.code === ErrorCode.NOT_FRIENDS
          ? `${name} is not your friend any more.`
          : `The track did not load: ${e.message}`;
    } finally {
      show.disabled = false;
    }
  });

  state.addEventListener(
    'change',
    (e) => {
      if (e.detail === 'all' || e.detail === 'friends' || e.detail === 'me') {
        renderWho();
      }
    },
    { signal },
  );
  signal.addEventListener('abort', clearTrack);
  renderWho();
  return bar;
}
