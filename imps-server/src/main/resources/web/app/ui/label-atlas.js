// Friends' labels (presence dot and name) for the map's canvas (friend-layer.js), each drawn once
// on one atlas canvas, from which the map's canvas copies them.

import { cssVar } from './dom.js';

export const LABEL_HEIGHT = 22; // CSS px, with the shadow's margin
export const DOT_X = 10; // where the dot's centre (the friend's position) is in a label
export const DOT_Y = 11;
export const ATLAS_WIDTH = 1024; // CSS px

/** The label's colours and font from the page's stylesheet (light or dark). */
export function labelStyle(element) {
  const v = (name) => cssVar(name, element);
  return {
    font: `600 12px ${v('--font')}`,
    panel: v('--panel'),
    line: v('--line'),
    text: v('--text'),
    online: v('--online'),
    offline: v('--offline'),
  };
}

/**
 * Every label drawn once, in rows, on one canvas (in device pixels). A label keeps its place; one
 * whose friend went on- or offline is drawn again in it. When full it grows, keeping what it has.
 */
export class LabelAtlas {
  constructor(ratio, style) {
    this.ratio = ratio;
    this.style = style;
    this.canvas = document.createElement('canvas');
    this.canvas.width = Math.round(ATLAS_WIDTH * ratio);
    this.canvas.height = Math.round(LABEL_HEIGHT * 16 * ratio);
    this.ctx = this.canvas.getContext('2d');
    this.x = 0;
    this.y = 0;
  }

  label(f) {
    const ctx = this.ctx;
    const r = this.ratio;
    const st = this.style;
    let s = f.slot;
    if (!s || s.atlas !== this) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.font = st.font;
      const textWidth = Math.min(Math.ceil(ctx.measureText(f.name).width), ATLAS_WIDTH - 40);
      const w = textWidth + 30;
      const pw = Math.ceil(w * r);
      const ph = Math.round(LABEL_HEIGHT * r);
      if (this.x + pw > this.canvas.width) {
        this.x = 0;
        this.y += ph;
      }
      if (this.y + ph > this.canvas.height) {
        this.grow();
      }
      s = f.slot = { atlas: this, x: this.x, y: this.y, w, textWidth, stale: false };
      this.x += pw;
    }
    ctx.setTransform(r, 0, 0, r, s.x, s.y);
    ctx.clearRect(0, 0, s.w, LABEL_HEIGHT);
    // The pill: panel colour, a thin border and a soft shadow.
    ctx.save();
    ctx.shadowColor = 'rgb(0 0 0 / 25%)';
    ctx.shadowBlur = 3;
    ctx.shadowOffsetY = 1;
    ctx.fillStyle = st.panel;
    ctx.beginPath();
    ctx.roundRect(2, 2, s.w - 4, LABEL_HEIGHT - 4, (LABEL_HEIGHT - 4) / 2);
    ctx.fill();
    ctx.restore();
    ctx.strokeStyle = st.line;
    ctx.lineWidth = 1;
    ctx.stroke();
    ctx.fillStyle = f.online ? st.online : st.offline;
    ctx.beginPath();
    ctx.arc(DOT_X, DOT_Y, 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.font = st.font;
    ctx.fillStyle = st.text;
    ctx.textBaseline = 'middle';
    ctx.fillText(f.name, DOT_X + 9, DOT_Y + 0.5, s.textWidth);
    s.stale = false;
  }

  /** Twice as tall, with what it holds copied over. */
  grow() {
    const old = this.canvas;
    const next = document.createElement('canvas');
    next.width = old.width;
    next.height = old.height * 2;
    const ctx = next.getContext('2d');
    ctx.drawImage(old, 0, 0);
    this.canvas = next;
    this.ctx = ctx;
  }
}
