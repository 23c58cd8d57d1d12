// Friends' markers on the map, all on one canvas: a label per friend (presence dot and name),
// drawn from an atlas where each label is drawn once.
//
// Why a canvas: with 500 friends, 500 marker elements cost style, layout, paint and compositing
// on every pan, zoom and pushed position, which made frames take over 50 ms. The canvas is one
// element: a pan moves it with the map, a zoom scales it while animating (as Leaflet's own canvas
// renderer does), and a change draws it again: one drawImage per friend in view from the atlas.

import * as L from '../../vendor/leaflet/leaflet-src.esm.js';
import { ATLAS_WIDTH, DOT_X, DOT_Y, LABEL_HEIGHT, LabelAtlas, labelStyle } from './label-atlas.js';
/** At most this many ms of each draw go to making new labels; the rest are drawn later. */
const LABEL_BUDGET_MS = 4;
/** With more changes than this before a draw, the whole canvas is drawn again. */
const MAX_DIRTY = 120;

export const FriendLayer = L.Renderer.extend({
  options: {
    // How far beyond the view the canvas reaches (in view sizes): what a pan brings in is there
    // already, until the pan ends and the canvas is drawn again around the new view.
    padding: 0.25,
  },

  initialize(options) {
    L.Renderer.prototype.initialize.call(this, options);
    /** name → {name, lat, lon, online, time, slot, zoom, px, py, x, y, shown, painted} */
    this._friends = new Map();
    /** The friends painted on the canvas, bottom to top. */
    this._drawn = [];
    this._full = true; // the whole canvas to be drawn again
    this._changed = new Set(); // friends to be drawn again where they were and are
    this._dirty = []; // rectangles to be drawn again (where friends were)
    this._drawQueued = false;
    this._atlas = null;
  },

  /** Adds or moves a friend's marker (time: of the position); drawn at the next frame. */
  set(name, lat, lon, online, time) {
    let f = this._friends.get(name);
    if (!f) {
      f = { name, lat, lon, online, time, slot: null, zoom: -1, px: 0, py: 0, x: 0, y: 0 };
      f.shown = false; // within the canvas at the last draw
      f.painted = null; // where the canvas shows it: {x, y, w} in layer pixels
      this._friends.set(name, f);
    } else {
      if (f.lat !== lat || f.lon !== lon) {
        f.lat = lat;
        f.lon = lon;
        f.zoom = -1; // to be projected again
      }
      if (f.online !== online && f.slot) {
        f.slot.stale = true; // the same place in the atlas, drawn again with the other colour
      }
      f.online = online;
      f.time = time;
    }
    this._touch(f);
  },

  delete(name) {
    const f = this._friends.get(name);
    if (f) {
      this._friends.delete(name);
      this._changed.delete(f);
      this._touch(null, f.painted);
    }
  },

  /**
   * Notes what the next draw must paint again: where {@code f} was and will be, or a rectangle
   * that is to be cleared. Only those places are drawn again, unless so many changed that the
   * whole canvas is.
   */
  _touch(f, gone = null) {
    if (!this._full) {
      if (f) {
        if (f.painted) {
          this._dirty.push({ ...f.painted }); // a copy: the draw moves f.painted in place
        }
        this._changed.add(f);
      }
      if (gone) {
        this._dirty.push(gone);
      }
      if (this._changed.size + this._dirty.length > MAX_DIRTY) {
        this._full = true;
      }
    }
    this.requestDraw();
  },

  names() {
    return this._friends.keys();
  },

  latLngs() {
    return [...this._friends.values()].map((f) => L.latLng(f.lat, f.lon));
  },

  // (Methods, not getters: L.Class.extend copies the properties, which would call a getter.)
  count() {
    return this._friends.size;
  },

  canvas() {
    return this._container;
  },

  /** The topmost friend whose label covers {@code layerPoint}, or null. */
  hit(layerPoint) {
    for (let i = this._drawn.length - 1; i >= 0; i--) {
      const f = this._drawn[i];
      const dx = layerPoint.x - f.x + DOT_X;
      const dy = layerPoint.y - f.y + DOT_Y;
      if (f.slot && dx >= 0 && dy >= 2 && dx < f.slot.w && dy < LABEL_HEIGHT - 2) {
        return f;
      }
    }
    return null;
  },

  /**
   * What the map shows, for tests and debugging: every friend the layer holds, whether the last
   * draw painted them, and where (in the canvas's pixels, to read them back).
   */
  markers() {
    const painted = new Set(this._drawn);
    const b = this._bounds;
    const ratio = this._ratio ?? 1;
    return [...this._friends.values()].map((f) => ({
      name: f.name,
      lat: f.lat,
      lon: f.lon,
      online: f.online,
      drawn: painted.has(f),
      canvasX: b ? Math.round((f.x - b.min.x) * ratio) : null,
      canvasY: b ? Math.round((f.y - b.min.y) * ratio) : null,
    }));
  },

  /**
   * Draws at the next animation frame (once, however many changes come before it), after the
   * {@code beforeDraw} option has had its say (it may set and delete friends).
   */
  requestDraw() {
    if (!this._drawQueued && this._map) {
      this._drawQueued = true;
      requestAnimationFrame(() => {
        if (this._map) {
          this.options.beforeDraw?.();
        }
        this._drawQueued = false;
        this._draw();
      });
    }
  },

  _initContainer() {
    const canvas = (this._container = document.createElement('canvas'));
    canvas.className = 'friend-layer';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', "Friends' positions (also in the friend list)");
    canvas.friendMarkers = () => this.markers();
    this._ctx = canvas.getContext('2d');
    this._dark = window.matchMedia?.('(prefers-color-scheme: dark)');
    this._onScheme = () => {
      this._atlas = null; // labels in the other scheme's colours
      this.requestDraw();
    };
    this._dark?.addEventListener('change', this._onScheme);
  },

  _destroyContainer() {
    this._dark?.removeEventListener('change', this._onScheme);
    L.DomUtil.remove(this._container);
    delete this._ctx;
    delete this._container;
    this._drawn = [];
  },

  _update() {
    if (this._map._animatingZoom && this._bounds) {
      return; // drawn at the zoom's end
    }
    L.Renderer.prototype._update.call(this);
    const canvas = this._container;
    const size = this._bounds.getSize();
    const ratio = window.devicePixelRatio || 1;
    L.DomUtil.setPosition(canvas, this._bounds.min);
    // A canvas is cleared (and its memory taken anew) when its size is set: only when it changes.
    if (this._ratio !== ratio || this._cssSize?.x !== size.x || this._cssSize?.y !== size.y) {
      this._ratio = ratio;
      this._cssSize = size;
      canvas.width = Math.round(size.x * ratio);
      canvas.height = Math.round(size.y * ratio);
      canvas.style.width = `${size.x}px`;
      canvas.style.height = `${size.y}px`;
      this._view = null; // cleared: drawn whole (the labels stay in their atlas)
    }
    // A reset of the view is followed by its moveend, with the same view: drawn once.
    const origin = this._map.getPixelOrigin();
    const view = `${this._zoom} ${origin.x} ${origin.y} ${this._bounds.min.x} ${this._bounds.min.y} ${size.x} ${size.y}`;
    if (view !== this._view) {
      this._view = view;
      this._full = true;
    }
    this._draw();
  },

  /**
   * Draws the changes since the last draw: the places where changed friends were and are (with
   * every label that overlaps them, in order), or, after a move, a zoom or many changes, all.
   */
  _draw() {
    const ctx = this._ctx;
    const map = this._map;
    if (!ctx || !map || !this._bounds) {
      return;
    }
    if (map._animatingZoom || map.getZoom() !== this._zoom) {
      return; // the canvas is scaled while the zoom goes on; drawn again at its end (moveend)
    }
    const ratio = this._ratio;
    const b = this._bounds;
    const zoom = this._zoom;
    const origin = map.getPixelOrigin();
    const shown = [];
    for (const f of this._friends.values()) {
      if (f.zoom !== zoom) {
        const p = map.project([f.lat, f.lon], zoom);
        f.px = Math.round(p.x);
        f.py = Math.round(p.y);
        f.zoom = zoom;
      }
      f.x = f.px - origin.x;
      f.y = f.py - origin.y;
      f.shown =
        f.x - DOT_X + (f.slot?.w ?? ATLAS_WIDTH) > b.min.x &&
        f.x - DOT_X < b.max.x &&
        f.y + LABEL_HEIGHT > b.min.y &&
        f.y - LABEL_HEIGHT < b.max.y;
      if (f.shown) {
        shown.push(f);
      } else if (f.painted) {
        this._dirty.push(f.painted); // moved off the canvas: where it was is cleared
        f.painted = null;
      }
    }
    // Lower on the map in front, as Leaflet stacks markers.
    shown.sort((a, c) => a.y - c.y);

    // Labels first (a new one's width decides where it paints): at most a few ms' worth, the
    // others in the next frames.
    const atlas = this._atlasFor(ratio);
    const until = performance.now() + LABEL_BUDGET_MS;
    const later = [];
    for (const f of shown) {
      if (!f.slot || f.slot.atlas !== atlas || f.slot.stale) {
        if (performance.now() > until) {
          later.push(f);
          continue;
        }
        atlas.label(f);
      }
    }

    const full = this._full;
    let dirty = null;
    if (!full) {
      dirty = this._dirty;
      for (const f of this._changed) {
        if (f.shown && f.slot?.atlas === atlas && !f.slot.stale) {
          dirty.push({ x: f.x - DOT_X, y: f.y - DOT_Y, w: f.slot.w });
        }
      }
    }
    this._full = false;
    this._changed = new Set(later);
    this._dirty = [];
    if (later.length > 0) {
      this.requestDraw();
    }
    if (dirty?.length === 0) {
      return;
    }

    const px = (v, min) => Math.round((v - min) * ratio);
    const h = Math.round(LABEL_HEIGHT * ratio);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.save();
    if (full) {
      ctx.clearRect(0, 0, this._container.width, this._container.height);
    } else {
      ctx.beginPath();
      for (const r of dirty) {
        ctx.rect(px(r.x, b.min.x), px(r.y, b.min.y), Math.round(r.w * ratio), h);
      }
      ctx.clip();
      for (const r of dirty) {
        ctx.clearRect(px(r.x, b.min.x), px(r.y, b.min.y), Math.round(r.w * ratio), h);
      }
    }
    const drawn = [];
    for (const f of shown) {
      const s = f.slot;
      if (!s || s.atlas !== atlas || s.stale) {
        f.painted = null;
        continue;
      }
      const x = f.x - DOT_X;
      const y = f.y - DOT_Y;
      drawn.push(f);
      if (f.painted) {
        f.painted.x = x; // in place: no garbage for 500 friends at every draw
        f.painted.y = y;
        f.painted.w = s.w;
      } else {
        f.painted = { x, y, w: s.w };
      }
      if (!full && !dirty.some((r) => overlap(r, x, y, s.w))) {
        continue; // untouched: what the canvas shows of it stays
      }
      const w = Math.round(s.w * ratio);
      ctx.drawImage(atlas.canvas, s.x, s.y, w, h, px(x, b.min.x), px(y, b.min.y), w, h);
    }
    ctx.restore();
    this._drawn = drawn;
  },

  _atlasFor(ratio) {
    if (!this._atlas || this._atlas.ratio !== ratio) {
      this._atlas = new LabelAtlas(ratio, labelStyle(this._map.getContainer()));
      this._full = true;
    }
    return this._atlas;
  },
});

/** Whether a label's rectangle {@code r} and one at x, y, w wide overlap. */
function overlap(r, x, y, w) {
  return r.x < x + w && x < r.x + r.w && r.y < y + LABEL_HEIGHT && y < r.y + LABEL_HEIGHT;
}
