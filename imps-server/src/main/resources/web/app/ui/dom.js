// A tiny element builder. Text always goes in as text (never as HTML), so nothing a user or the
// server sends can become markup; no inline styles either (the page's policy forbids them).

/**
 * h('button', {class: 'x', onclick: fn, dataset: {a: 1}}, 'text', child) → element.
 * Props: class, dataset, text, on<event> handlers, anything else as an attribute (true → "").
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) {
      continue;
    }
    if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) {
        if (dv != null) {
          el.dataset[dk] = String(dv);
        }
      }
    } else if (k === 'text') {
      el.textContent = v;
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'value') {
      el.value = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false));
  return el;
}

export function clear(el) {
  while (el.firstChild) {
    el.firstChild.remove();
  }
  return el;
}

/** Replaces the children of {@code el}. */
export function replace(el, ...children) {
  clear(el).append(...children.flat(Infinity).filter((c) => c != null && c !== false));
  return el;
}

/** "2026-11-28 12:00:01" → "12:00" today, "28 Nov 12:00" before. */
export function shortTime(wire) {
  if (!wire) {
    return '';
  }
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})/.exec(wire);
  if (!m) {
    return wire;
  }
  const today = new Date();
  const sameDay =
    Number(m[1]) === today.getFullYear() &&
    Number(m[2]) === today.getMonth() + 1 &&
    Number(m[3]) === today.getDate();
  if (sameDay) {
    return `${m[4]}:${m[5]}`;
  }
  const month = new Date(Number(m[1]), Number(m[2]) - 1, 1).toLocaleString(undefined, {
    month: 'short',
  });
  return `${Number(m[3])} ${month} ${m[4]}:${m[5]}`;
}

/**
 * The stylesheet's custom property `name` on `element` (the document's root by default), trimmed;
 * '' when the stylesheet does not set it. Colours and fonts live in style.css only: code that draws
 * on a canvas reads them here rather than repeating them as fallbacks.
 */
export function cssVar(name, element = document.documentElement) {
  return getComputedStyle(element).getPropertyValue(name).trim();
}
