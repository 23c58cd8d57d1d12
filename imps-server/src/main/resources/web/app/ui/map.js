// The map pane: friends at their last shared positions (from the friend list), my own position
// while I share it, on the configured tiles or, with none, the offline basemap.

import * as L from '../../vendor/leaflet/leaflet-src.esm.js';
import { Status } from '../protocol/commands.js';
import { offlineBasemap } from '../map/basemap.js';
import { h, shortTime } from './dom.js';
import { trackBar } from './track.js';

export function mapPane(state, client, geo, config, signal) {
  const container = h('div', { class: 'map', id: 'map', role: 'region', 'aria-label': 'Map' });
  const share = h('button', { type: 'button', id: 'share-location', class: 'share' });
  const fit = h('button', { type: 'button', id: 'fit-friends', text: 'Show all friends' });
  const status = h('span', { class: 'map-status', id: 'map-status', role: 'status' });
  const pane = h(
    'div',
    { class: 'map-pane' },
    h('div', { class: 'map-toolbar' }, share, fit, status),
    container,
  );

  const map = L.map(container, { worldCopyJump: true, minZoom: 1, maxZoom: 18 }).setView(
    [25, 10],
    2,
  );
  map.attributionControl.setPrefix(false);
  // Above the map: whose track, which days, and its downloads.
  pane.insertBefore(trackBar(map, state, client.tracks, signal), container);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, {
      attribution: config.tileAttribution || '',
      maxZoom: 19,
      subdomains: 'abc',
    }).addTo(map);
  } else {
    container.classList.add('offline-basemap');
    offlineBasemap()
      .then((layer) => layer.addTo(map).bringToBack())
      .catch((e) => {
        status.textContent = `The basemap did not load: ${e.message}`;
      });
    map.attributionControl.addAttribution('Natural Earth (public domain)');
  }

  // How close to zoom in on positions: the offline basemap has country outlines only.
  const closeZoom = config.tileUrl ? 13 : 6;
  const markers = new Map();
  let fitted = false;

  const friendIcon = (f) => {
    const online = f.status === Status.ONLINE;
    return h(
      'div',
      {
        class: `marker-label ${online ? 'online' : 'offline'}`,
        dataset: {
          friend: f.name,
          status: online ? 'online' : 'offline',
          lat: f.position.lat,
          lon: f.position.lon,
        },
        title: `${f.name} · ${shortTime(f.time)}`,
      },
      h('span', { class: 'presence' }),
      h('span', { class: 'marker-name', text: f.name }),
    );
  };

  const renderFriends = () => {
    const seen = new Set();
    for (const f of state.friends.values()) {
      if (!f.position) {
        continue;
      }
      seen.add(f.name);
      const latlng = [f.position.lat, f.position.lon];
      const icon = L.divIcon({
        html: friendIcon(f),
        className: 'friend-marker',
        iconSize: null,
        iconAnchor: [7, 7],
      });
      const existing = markers.get(f.name);
      if (existing) {
        existing.setLatLng(latlng).setIcon(icon);
      } else {
        const marker = L.marker(latlng, { icon, keyboard: true, title: f.name })
          .on('click', () => {
            state.select(f.name);
            state.setView('chat');
          })
          .addTo(map);
        markers.set(f.name, marker);
      }
    }
    for (const [name, marker] of markers) {
      if (!seen.has(name)) {
        marker.remove();
        markers.delete(name);
      }
    }
    if (!fitted && markers.size > 0 && isShown()) {
      fitted = true;
      fitAll();
    }
  };

  let me = null;
  const renderMe = () => {
    const p = state.myPosition;
    if (!p) {
      me?.remove();
      me = null;
      return;
    }
    const icon = L.divIcon({
      html: h('div', {
        class: 'me-label',
        id: 'my-position',
        dataset: { lat: p.lat, lon: p.lon },
        text: 'me',
      }),
      className: 'me-marker',
      iconSize: null,
      iconAnchor: [9, 9],
    });
    if (me) {
      me.setLatLng([p.lat, p.lon]).setIcon(icon);
    } else {
      me = L.marker([p.lat, p.lon], { icon, zIndexOffset: 1000, title: 'My position' }).addTo(map);
      if (markers.size === 0) {
        map.setView([p.lat, p.lon], closeZoom, { animate: false });
      }
    }
  };

  const fitAll = () => {
    const points = [...markers.values()].map((m) => m.getLatLng());
    if (me) {
      points.push(me.getLatLng());
    }
    if (points.length === 1) {
      map.setView(points[0], closeZoom, { animate: false });
    } else if (points.length > 1) {
      map.fitBounds(L.latLngBounds(points), { padding: [40, 40], maxZoom: closeZoom, animate: false });
    }
  };

  const renderShare = () => {
    share.textContent = state.sharing ? 'Stop sharing my location' : 'Share my location';
    share.setAttribute('aria-pressed', String(state.sharing));
    share.hidden = !geo.supported;
    status.textContent = state.sharing
      ? state.visible
        ? 'Friends see your position.'
        : 'You are invisible: friends see your last position from before.'
      : '';
  };

  const isShown = () => container.offsetParent !== null;

  share.addEventListener('click', () => (state.sharing ? geo.stop() : geo.start()));
  fit.addEventListener('click', fitAll);
  // The pane may be hidden when the map is created (phone layout): resize when it shows.
  const resized = new ResizeObserver(() => {
    if (!isShown()) {
      return;
    }
    map.invalidateSize();
    if (!fitted && markers.size > 0) {
      fitted = true;
      fitAll();
    }
  });
  resized.observe(container);

  state.addEventListener(
    'change',
    (e) => {
      const part = e.detail;
      if (part === 'all' || part === 'friends') {
        renderFriends();
      }
      if (part === 'all' || part === 'position' || part === 'sharing') {
        renderMe();
      }
      if (part === 'all' || part === 'sharing' || part === 'me') {
        renderShare();
      }
    },
    { signal },
  );
  signal.addEventListener('abort', () => {
    resized.disconnect();
    map.stop();
    map.remove();
  });
  renderFriends();
  renderMe();
  renderShare();
  return pane;
}
