// The friends pane: add a friend, answer requests, the friend list with presence dots (each
// with unfriend and block behind its ⋯ button), and the users I block.

import { Status } from '../protocol/commands.js';
import { nameProblem } from '../state/errors.js';
import { h, replace, shortTime } from './dom.js';

const OUTGOING_TEXT = {
  pending: 'waiting for an answer',
  refused: 'declined',
  unknown: 'no such user',
  full: 'friend list full',
};

export function friendsPane(state, client, signal) {
  const input = h('input', {
    id: 'add-friend-name',
    placeholder: 'Name of a friend',
    'aria-label': 'Name of a friend to add',
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'none',
  });
  const result = h('p', { class: 'add-result', id: 'add-friend-result', role: 'status' });
  const form = h(
    'form',
    { class: 'add-friend', id: 'add-friend-form' },
    input,
    h('button', { type: 'submit', id: 'add-friend-submit' }, 'Add'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = input.value.trim();
    const problem = nameProblem(name);
    if (problem) {
      result.textContent = problem;
      return;
    }
    if (name.normalize('NFKC').toLowerCase() === client.me.normalize('NFKC').toLowerCase()) {
      result.textContent = 'You cannot add yourself.';
      return;
    }
    try {
      result.textContent = await client.addFriend(name);
      input.value = '';
    } catch (err) {
      result.textContent = err.message;
    }
  });

  const requests = h('section', { class: 'requests', id: 'requests', 'aria-label': 'Friend requests' });
  const list = h('ul', { class: 'friend-list', id: 'friend-list', 'aria-label': 'Friends' });
  const blocked = h('section', { class: 'blocked', id: 'blocked', 'aria-label': 'Blocked users' });
  const pane = h('div', { class: 'friends' }, form, result, requests, list, blocked);

  /** The friend whose actions are open, and the action waiting to be confirmed. */
  let menu = null;
  let confirming = null;
  const act = async (name, action) => {
    menu = null;
    confirming = null;
    try {
      await (action === 'unfriend' ? client.unfriend(name) : client.block(name, true));
    } catch (err) {
      state.setNotice(`Could not ${action} ${name}: ${err.message}`, 'error');
    }
    renderFriends();
  };
  const CONFIRM = {
    unfriend: (name) => `Unfriend ${name}? Either of you can ask again later.`,
    block: (name) =>
      `Block ${name}? They are not told; their messages and friend requests stop reaching you.`,
  };
  const actions = (name) => {
    if (confirming?.name === name) {
      return h(
        'div',
        { class: 'friend-actions confirming', dataset: { confirm: confirming.action } },
        h('span', { class: 'confirm-text', text: CONFIRM[confirming.action](name) }),
        h('button', {
          type: 'button',
          class: 'confirm danger',
          text: confirming.action === 'unfriend' ? 'Unfriend' : 'Block',
          onclick: () => act(name, confirming.action),
        }),
        h('button', {
          type: 'button',
          class: 'cancel',
          text: 'Cancel',
          onclick: () => {
            confirming = null;
            renderFriends();
          },
        }),
      );
    }
    const ask = (action) => () => {
      confirming = { name, action };
      renderFriends();
    };
    return h(
      'div',
      { class: 'friend-actions' },
      h('button', { type: 'button', class: 'unfriend', text: 'Unfriend', onclick: ask('unfriend') }),
      h('button', { type: 'button', class: 'block', text: 'Block', onclick: ask('block') }),
    );
  };

  const renderBlocked = () => {
    replace(
      blocked,
      state.blocked.length ? h('h2', { text: 'Blocked' }) : null,
      state.blocked.length
        ? h(
            'ul',
            {},
            state.blocked.map((name) =>
              h(
                'li',
                { class: 'request blocked-user', dataset: { blocked: name } },
                h('span', { class: 'request-name', text: name }),
                h('span', { class: 'request-text', text: 'blocked' }),
                h('button', {
                  type: 'button',
                  class: 'unblock',
                  text: 'Unblock',
                  onclick: () =>
                    client.block(name, false).catch((e) => state.setNotice(e.message, 'error')),
                }),
              ),
            ),
          )
        : null,
    );
  };

  const renderRequests = () => {
    const incoming = [...state.incoming].map((name) =>
      h(
        'li',
        { class: 'request', dataset: { request: name } },
        h('span', { class: 'request-name', text: name }),
        h('span', { class: 'request-text', text: 'wants to be your friend' }),
        h(
          'span',
          { class: 'request-actions' },
          h('button', {
            class: 'accept',
            text: 'Accept',
            onclick: () => client.answer(name, true).catch((e) => state.setNotice(e.message, 'error')),
          }),
          h('button', {
            class: 'reject',
            text: 'Reject',
            onclick: () => client.answer(name, false).catch((e) => state.setNotice(e.message, 'error')),
          }),
        ),
      ),
    );
    const outgoing = [...state.outgoing].map(([name, st]) =>
      h(
        'li',
        { class: `request outgoing outgoing-${st}`, dataset: { outgoing: name } },
        h('span', { class: 'request-name', text: name }),
        h('span', { class: 'request-text', text: OUTGOING_TEXT[st] ?? st }),
        st !== 'pending'
          ? h('button', {
              class: 'dismiss',
              text: 'OK',
              'aria-label': `Dismiss the request to ${name}`,
              onclick: () => {
                state.outgoing.delete(name);
                state.changed('requests');
              },
            })
          : null,
      ),
    );
    replace(
      requests,
      incoming.length || outgoing.length ? h('h2', { text: 'Friend requests' }) : null,
      incoming.length || outgoing.length ? h('ul', {}, incoming, outgoing) : null,
    );
  };

  // The list is virtual: it knows every friend, in order (online first, then by name), but only
  // the rows in and near the pane's view are in the page; the list's padding stands for the rows
  // above and below, each of them one row high (rows have a fixed height in the stylesheet). With
  // 500 friends, 500 rows in the page made every style and layout of the page, and the garbage
  // collector's tracing of the DOM, scale with them. A row in the page is redrawn only when its
  // content changed, a new position's time is written into it in place, and the order is sorted
  // again only when a friend came, went or went on- or offline. Pushed positions and presence come
  // in bursts (hundreds of friends at once), so those are drawn once per animation frame. Tabbing
  // to the last row in the page scrolls it into view, which brings the next rows in; the focused
  // row stays in the page wherever the list is scrolled to.
  const rows = new Map(); // name -> {li (or null out of the page), key, online, seen, seenText}
  let order = []; // every friend's name, in the list's order
  let shown = []; // the names whose rows are in the page, in order
  const empty = h('li', { class: 'empty', text: 'No friends yet: add one above.' });
  const byName = new Intl.Collator().compare;
  let friendsQueued = false;

  /** Rows in the page beyond each side of the view. */
  const OVERSCAN = 12;
  // The pane's geometry, read where the layout is fresh anyway (a scroll, a resize), never in the
  // middle of drawing: where the list starts in the pane, the view, and one row's height.
  const view = { top: 0, height: 1200, listTop: 0, rowPx: 44 };

  /**
   * What a friend's row shows but the time of their position: the row is built again only when
   * this changes; a new time alone (every pushed position) is written into the row as it is.
   */
  const rowKey = (f, online) =>
    [
      online,
      state.selected === f.name,
      Boolean(f.position),
      state.unread.get(f.name) ?? 0,
      menu === f.name,
      confirming?.name === f.name ? confirming.action : '',
      client.canUnfriend(),
    ].join('|');

  const friendRow = (f, online) => {
    const unread = state.unread.get(f.name) ?? 0;
    return h(
      'li',
      {
        class: `friend${state.selected === f.name ? ' selected' : ''}${menu === f.name ? ' open' : ''}`,
        dataset: { friend: f.name, status: online ? 'online' : 'offline' },
      },
      h(
        'button',
        {
          class: 'friend-button',
          'aria-current': state.selected === f.name ? 'true' : null,
          onclick: () => {
            state.select(f.name);
            state.setView('chat');
          },
        },
        h('span', {
          class: `presence ${online ? 'online' : 'offline'}`,
          role: 'img',
          'aria-label': online ? 'online' : 'offline',
        }),
        h('span', { class: 'friend-name', text: f.name }),
        f.position ? h('span', { class: 'friend-seen', text: `📍 ${shortTime(f.time)}` }) : null,
        unread > 0
          ? h('span', { class: 'unread', 'aria-label': `${unread} unread`, text: String(unread) })
          : null,
      ),
      client.canUnfriend()
        ? h('button', {
            type: 'button',
            class: 'friend-more',
            text: '⋯',
            'aria-label': `More for ${f.name}`,
            'aria-expanded': String(menu === f.name),
            onclick: () => {
              menu = menu === f.name ? null : f.name;
              confirming = null;
              renderFriends();
            },
          })
        : null,
      menu === f.name ? actions(f.name) : null,
    );
  };

  /** Builds the row of {@code name} (in the page from now on) from the friend as they are now. */
  const build = (name, row) => {
    const f = state.friends.get(name);
    row.li = friendRow(f, row.online);
    row.seenText = row.li.querySelector('.friend-seen');
  };

  const queueRenderFriends = () => {
    if (!friendsQueued) {
      friendsQueued = true;
      requestAnimationFrame(() => {
        if (friendsQueued && !signal.aborted) {
          renderFriends(false);
        }
      });
    }
  };

  let drawnRev = 0; // state.friendsRev when the rows were last drawn
  let drawnNames = -1; // state.namesRev then
  /**
   * Draws what changed: with {@code everyRow}, every row whose content changed (after a change of
   * the selection, unread counts, menus); without, only those of friends that changed since the
   * last time (their rev), which is all a pushed position or presence can change. Then puts the
   * rows in and near the view in the page.
   */
  const renderFriends = (everyRow = true) => {
    friendsQueued = false;
    let reorder = false;
    for (const f of state.friends.values()) {
      if (!everyRow && f.rev <= drawnRev && rows.has(f.name)) {
        continue;
      }
      const online = f.status === Status.ONLINE;
      const key = rowKey(f, online);
      const seen = f.position ? `📍 ${shortTime(f.time)}` : '';
      const row = rows.get(f.name);
      if (!row) {
        rows.set(f.name, { li: null, key, online, seen, seenText: null });
        reorder = true;
        continue;
      }
      if (row.online !== online) {
        row.online = online;
        reorder = true;
      }
      if (row.key !== key) {
        row.key = key;
        row.seen = seen;
        if (row.li) {
          const old = row.li;
          build(f.name, row);
          old.replaceWith(row.li);
        }
      } else if (row.seen !== seen) {
        row.seen = seen;
        if (row.seenText) {
          row.seenText.textContent = seen;
        }
      }
    }
    drawnRev = state.friendsRev;
    if (everyRow || drawnNames !== state.namesRev) {
      drawnNames = state.namesRev;
      for (const [name, row] of rows) {
        if (!state.friends.has(name)) {
          row.li?.remove();
          rows.delete(name);
          reorder = true;
        }
      }
    }
    if (rows.size === 0) {
      order = [];
      shown = [];
      list.style.padding = '';
      replace(list, empty);
      return;
    }
    empty.remove();
    if (reorder) {
      order = [...rows.entries()]
        .sort(([an, a], [bn, b]) => b.online - a.online || byName(an, bn))
        .map(([name]) => name);
    }
    place();
  };

  /**
   * Puts the rows in and near the view in the page, in order, and pads the list for the others.
   */
  const place = () => {
    const n = order.length;
    const from = view.top - view.listTop;
    let first = Math.max(0, Math.floor(from / view.rowPx) - OVERSCAN);
    let last = Math.min(n - 1, Math.ceil((from + view.height) / view.rowPx) + OVERSCAN);
    if (last < first) {
      // The list is out of view (the pane scrolled to its end, or hidden): its first rows.
      first = 0;
      last = Math.min(n - 1, 2 * OVERSCAN);
    }
    // The row holding the focus stays in the page (and so do the rows between it and the view).
    const focused = list.contains(document.activeElement)
      ? document.activeElement.closest('li.friend')?.dataset.friend
      : null;
    if (focused != null) {
      const at = order.indexOf(focused);
      if (at >= 0) {
        first = Math.min(first, at);
        last = Math.max(last, at);
      }
    }
    const next = order.slice(first, last + 1);
    const keep = new Set(next);
    for (const name of shown) {
      const row = rows.get(name);
      if (row && !keep.has(name)) {
        row.li.remove();
        row.li = null;
        row.seenText = null;
      }
    }
    // Moves only the rows that are out of place.
    let at = list.firstChild;
    next.forEach((name, i) => {
      const row = rows.get(name);
      if (!row.li) {
        build(name, row);
      }
      const pos = String(first + i + 1);
      if (row.li.getAttribute('aria-posinset') !== pos) {
        row.li.setAttribute('aria-posinset', pos);
        row.li.setAttribute('aria-setsize', String(n));
      }
      if (row.li === at) {
        at = at.nextSibling;
      } else {
        list.insertBefore(row.li, at);
      }
    });
    shown = next;
    const above = `${first * view.rowPx}px`;
    const below = `${(n - 1 - last) * view.rowPx}px`;
    if (list.style.paddingTop !== above) {
      list.style.paddingTop = above;
    }
    if (list.style.paddingBottom !== below) {
      list.style.paddingBottom = below;
    }
  };

  /** Reads the pane's geometry and, if other rows are now near the view, puts them in the page. */
  let placeQueued = false;
  const measure = () => {
    view.top = pane.scrollTop;
    view.height = pane.clientHeight;
    view.listTop =
      list.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
    const sample = shown.length ? rows.get(shown[0])?.li : null;
    if (sample && !sample.classList.contains('open') && sample.offsetHeight > 0) {
      view.rowPx = sample.offsetHeight;
    }
    if (!placeQueued && order.length) {
      placeQueued = true;
      requestAnimationFrame(() => {
        placeQueued = false;
        if (!signal.aborted && order.length) {
          place();
        }
      });
    }
  };
  pane.addEventListener('scroll', measure, { passive: true, signal });
  const resized = new ResizeObserver(measure);
  resized.observe(pane);
  resized.observe(requests);
  resized.observe(result);
  signal.addEventListener('abort', () => resized.disconnect());
  state.addEventListener(
    'change',
    (e) => {
    const part = e.detail;
    if (part === 'all' || part === 'requests') {
      renderRequests();
    }
    if (part === 'all' || part === 'blocked') {
      renderBlocked();
    }
    if (part === 'friends') {
      queueRenderFriends();
    } else if (
      part === 'all' ||
      part === 'unread' ||
      part === 'selected' ||
      part === 'view' ||
      (part?.conversation && !part.update)
    ) {
      renderFriends();
    }
    },
    { signal },
  );
  renderRequests();
  renderFriends();
  renderBlocked();
  return pane;
}
