// The map pane: friends at their last shared positions (from the friend list), my own position
// while I share it, on the configured tiles or, with none, the offline basemap.

import * as L from '../../vendor/leaflet/leaflet-src.esm.js';
import { Status } from '../protocol/commands.js';
import { offlineBasemap } from '../map/basemap.js';
import { h, shortTime } from './dom.js';
import { trackBar } from './track.js';

/**
 * A friend's marker placed with `left`/`top` instead of Leaflet's 3D transform: every element
 * with a 3D transform is a compositing layer of its own, and with hundreds of friends on the map
 * composing those layers made frames of panning and zooming take over 50 ms. All of them now
 * share the marker pane's one layer. (They jump to their places when a zoom starts instead of
 * gliding with it.)
 */
const FlatMarker = L.Marker.extend({
  _setPos(pos) {
    if (this.far) {
      return; // to be taken off the map (cull): not worth placing
    }
    const icon = this._icon;
    if (icon) {
      icon._leaflet_pos = pos; // what L.DomUtil.getPosition reads
      icon.style.left = `${pos.x}px`;
      icon.style.top = `${pos.y}px`;
    }
    this._zIndex = pos.y + this.options.zIndexOffset;
    this._resetZIndex();
  },
});

/** What a friend's marker shows; the marker is touched only when this changes. */
const markerKey = (f, online) =>
  `${f.position.lat},${f.position.lon},${online},${f.time}`;

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

  // With many friends, only the markers near the view are on the map (in the page): after a
  // zoom Leaflet places every marker on the map again, which took up to 55 ms with 500. Those
  // far away are kept off it and put back when the view comes near them. With a few friends
  // all of them stay on the map.
  const CULL_ABOVE = 150;
  let near = null; // the bounds markers are kept within, or null for all
  const culling = () => markers.size > CULL_ABOVE;
  /** The view around {@code center} at {@code zoom}, with half its size again on each side. */
  const nearBounds = (center, zoom) => {
    const c = map.project(center, zoom);
    const half = map.getSize();
    const sw = map.unproject(c.add([-half.x, half.y]), zoom);
    const ne = map.unproject(c.add([half.x, -half.y]), zoom);
    return L.latLngBounds(sw, ne);
  };
  const isNear = (latlng) => near === null || near.contains(latlng);
  /**
   * Marks the markers that are not near the view at {@code bounds} far (Leaflet no longer places
   * them) and queues them to be taken off the map, and those near it to be put back: a slice per
   * animation frame, as taking hundreds off at once (inside Leaflet's zoom event) made a frame.
   */
  const cull = (bounds) => {
    near = culling() ? bounds : null;
    for (const [name, marker] of markers) {
      const wanted = isNear(marker.getLatLng());
      if (!wanted && map.hasLayer(marker)) {
        marker.far = true;
        toAdd.delete(name);
        toRemove.add(name);
      } else if (wanted && marker.far) {
        marker.far = false;
        toRemove.delete(name);
        if (map.hasLayer(marker)) {
          marker.update();
        } else {
          toAdd.add(name);
        }
      } else if (wanted && !map.hasLayer(marker)) {
        toAdd.add(name);
      }
    }
    if (toAdd.size > 0 || toRemove.size > 0) {
      queueFrame();
    }
  };
  const toAdd = new Set(); // names of markers to put back on the map, a slice per frame
  const toRemove = new Set(); // names of far markers to take off it

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

  // Updates from the friend list come in bursts (hundreds of friends at once). A marker whose
  // friend did not change is not touched; the changed ones are drawn a few milliseconds' worth
  // per animation frame, so that no frame takes long however many changed.
  const FRAME_BUDGET_MS = 8;
  const changed = new Map(); // name -> friend, still to draw
  let rescan = false;
  let frameQueued = false;

  const queueFrame = () => {
    if (!frameQueued) {
      frameQueued = true;
      requestAnimationFrame(drawSome);
    }
  };

  const queueRenderFriends = () => {
    rescan = true;
    queueFrame();
  };

  const drawSome = () => {
    frameQueued = false;
    if (signal.aborted) {
      return;
    }
    if (rescan) {
      rescan = false;
      findChanges();
    }
    const until = performance.now() + FRAME_BUDGET_MS;
    for (const [name, f] of changed) {
      changed.delete(name);
      drawFriend(f);
      if (performance.now() > until) {
        break;
      }
    }
    for (const name of toRemove) {
      if (performance.now() > until) {
        break;
      }
      toRemove.delete(name);
      const marker = markers.get(name);
      if (marker?.far) {
        marker.remove();
      }
    }
    for (const name of toAdd) {
      if (performance.now() > until) {
        break;
      }
      toAdd.delete(name);
      const marker = markers.get(name);
      if (marker && !map.hasLayer(marker) && isNear(marker.getLatLng())) {
        marker.far = false;
        marker.addTo(map);
      }
    }
    if (changed.size > 0 || toAdd.size > 0 || toRemove.size > 0) {
      frameQueued = true;
      requestAnimationFrame(drawSome);
    } else if (!fitted && markers.size > 0 && isShown()) {
      fitted = true;
      fitAll();
    }
  };

  /** Queues the friends whose marker must change, and removes the markers of those gone. */
  const findChanges = () => {
    const seen = new Set();
    for (const f of state.friends.values()) {
      if (!f.position) {
        continue;
      }
      seen.add(f.name);
      if (markers.get(f.name)?.key !== markerKey(f, f.status === Status.ONLINE)) {
        changed.set(f.name, f);
      }
    }
    for (const [name, marker] of markers) {
      if (!seen.has(name)) {
        marker.remove();
        markers.delete(name);
      }
    }
    for (const name of changed.keys()) {
      if (!seen.has(name)) {
        changed.delete(name);
      }
    }
  };

  const drawFriend = (f) => {
    const latlng = [f.position.lat, f.position.lon];
    const key = markerKey(f, f.status === Status.ONLINE);
    const icon = L.divIcon({
      html: friendIcon(f),
      className: 'friend-marker',
      iconSize: null,
      iconAnchor: [7, 7],
    });
    const existing = markers.get(f.name);
    if (existing) {
      existing.key = key;
      existing.options.icon = icon;
      const element = existing.getElement();
      if (element) {
        // The same element with new content: cheaper than Leaflet building a new one.
        element.replaceChildren(icon.options.html);
      } else {
        existing.setIcon(icon);
      }
      existing.far = false;
      existing.setLatLng(latlng);
      if (!isNear(existing.getLatLng())) {
        existing.remove();
      } else if (!map.hasLayer(existing)) {
        existing.addTo(map);
      }
    } else {
      const marker = new FlatMarker(latlng, { icon, keyboard: true, title: f.name }).on(
        'click',
        () => {
          state.select(f.name);
          state.setView('chat');
        },
      );
      marker.key = key;
      markers.set(f.name, marker);
      if (isNear(marker.getLatLng())) {
        marker.addTo(map);
      }
    }
  };

  const renderFriends = () => {
    rescan = false;
    findChanges();
    for (const f of changed.values()) {
      drawFriend(f);
    }
    changed.clear();
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
  // Before a zoom's animation (this listener comes before any marker's): markers far from where
  // the zoom ends go first, so Leaflet does not place them. After any move those come back
  // that are near the view again.
  map.on('zoomanim', (e) => cull(nearBounds(e.center, e.zoom)));
  map.on('moveend', () => cull(nearBounds(map.getCenter(), map.getZoom())));

  state.addEventListener(
    'change',
    (e) => {
      const part = e.detail;
      if (part === 'all' || part === 'friends') {
        queueRenderFriends();
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
