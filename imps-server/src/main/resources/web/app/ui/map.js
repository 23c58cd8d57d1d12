// The map pane: friends at their last shared positions (from the friend list), my own position
// while I share it, on the configured tiles or, with none, the offline basemap.

import * as L from '../../vendor/leaflet/leaflet-src.esm.js';
import { Status } from '../protocol/commands.js';
import { offlineBasemap } from '../map/basemap.js';
import { h, shortTime } from './dom.js';
import { FriendLayer } from './friend-layer.js';
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
  let fitted = false;

  // Friends' markers, all on one canvas (friend-layer.js). Pushed positions come in bursts
  // (hundreds of friends at once): each is only noted in the state, and once per animation frame,
  // just before the canvas is drawn, the friends that changed since (their rev) are handed to it.
  const layer = new FriendLayer({ pane: 'markerPane', beforeDraw: () => applyFriends(false) });
  layer.addTo(map);
  let appliedRev = 0; // state.friendsRev when the friends were last handed to the layer
  let appliedNames = -1; // state.namesRev then

  /** Hands the layer every friend ({@code everyFriend}) or those changed since the last time. */
  const applyFriends = (everyFriend) => {
    for (const f of state.friends.values()) {
      if (!everyFriend && f.rev <= appliedRev) {
        continue;
      }
      if (f.position) {
        layer.set(f.name, f.position.lat, f.position.lon, f.status === Status.ONLINE, f.time);
      } else {
        layer.delete(f.name);
      }
    }
    if (everyFriend || appliedNames !== state.namesRev) {
      for (const name of [...layer.names()]) {
        if (!state.friends.get(name)?.position) {
          layer.delete(name);
        }
      }
    }
    appliedRev = state.friendsRev;
    appliedNames = state.namesRev;
    if (!fitted && layer.count() > 0 && isShown()) {
      fitted = true;
      fitAll();
    }
  };

  // A click on a friend's label opens the chat (not at the end of a drag); when the pointer rests
  // over one, the pointer and a tooltip say so. On the canvas itself, not as the map's events:
  // Leaflet measures the map's place in the page for each map event listened to, which forces a
  // layout in the middle of a frame for every mouse move of a drag.
  const canvas = layer.canvas();
  const friendAt = (e) => {
    const r = container.getBoundingClientRect();
    return layer.hit(map.containerPointToLayerPoint([e.clientX - r.left, e.clientY - r.top]));
  };
  // The click that ends a drag goes no further: Leaflet ignores it anyway, but only after copying
  // the event, which reads its offsetX and so forced a layout (up to 90 ms with much to lay out).
  canvas.addEventListener('click', (e) => {
    if (map.dragging?.moved()) {
      e.stopPropagation();
      return;
    }
    const f = friendAt(e);
    if (f) {
      e.stopPropagation();
      state.select(f.name);
      state.setView('chat');
    }
  });
  let hovered = null;
  let resting = 0;
  canvas.addEventListener('mousemove', (e) => {
    clearTimeout(resting);
    if (e.buttons) {
      return;
    }
    resting = setTimeout(() => {
      const f = friendAt(e);
      if (f !== hovered) {
        hovered = f;
        canvas.style.cursor = f ? 'pointer' : '';
        canvas.title = f ? `${f.name} · ${shortTime(f.time)}` : '';
      }
    }, 100);
  });

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
      if (layer.count() === 0) {
        map.setView([p.lat, p.lon], closeZoom, { animate: false });
      }
    }
  };

  const fitAll = () => {
    const points = layer.latLngs();
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
    if (!fitted && layer.count() > 0) {
      fitted = true;
      fitAll();
    }
  });
  resized.observe(container);
  state.addEventListener(
    'change',
    (e) => {
      const part = e.detail;
      if (part === 'all') {
        applyFriends(true);
      } else if (part === 'friends') {
        layer.requestDraw(); // applyFriends(false) first
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
  applyFriends(true);
  renderMe();
  renderShare();
  return pane;
}
