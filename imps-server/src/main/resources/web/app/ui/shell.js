// The screen after login: a top bar (me, visibility, log out), a banner for notices, and the
// friends, chat and map panes. Wide screens show all three; medium ones the friends and one of
// chat or map; phones one pane with a tab bar at the bottom.

import { accountDialog } from './account.js';
import { chatPane } from './chat.js';
import { h, replace } from './dom.js';
import { friendsPane } from './friends.js';
import { mapPane } from './map.js';

const WIDE = '(min-width: 1100px)';

export function shell(state, client, geo, config, signal) {
  const wide = window.matchMedia(WIDE);
  const trackWidth = () => {
    state.wideLayout = wide.matches;
    client.schedulePoll();
  };
  wide.addEventListener('change', trackWidth, { signal });
  trackWidth();

  const who = h('span', { class: 'me-name', id: 'me-name' });
  const dot = h('span', { class: 'presence', id: 'me-presence', role: 'img' });
  const visibility = h('button', { type: 'button', id: 'visibility-toggle', class: 'visibility' });
  const logout = h('button', { type: 'button', id: 'logout-button', text: 'Log out' });
  const account = accountDialog(state, client);
  const connection = h('span', { class: 'connection', id: 'connection-state', role: 'status' });
  const notice = h('div', { class: 'notice', id: 'notice', role: 'status', hidden: true });

  visibility.addEventListener('click', () =>
    client.setVisible(!state.visible).catch((e) => state.setNotice(e.message, 'error')),
  );
  logout.addEventListener('click', () => {
    geo.stop();
    client.logout();
  });

  const tab = (view, label) =>
    h('button', {
      type: 'button',
      role: 'tab',
      class: 'tab',
      id: `tab-${view}`,
      dataset: { view },
      text: label,
      onclick: () => state.setView(view),
    });
  const tabs = h(
    'nav',
    { class: 'tabs', role: 'tablist', 'aria-label': 'Views' },
    tab('friends', '👥 Friends'),
    tab('chat', '💬 Chat'),
    tab('map', '🗺 Map'),
  );

  const main = h(
    'main',
    { class: 'layout', id: 'screen-main' },
    h('aside', { class: 'pane pane-friends', 'aria-label': 'Friends' }, friendsPane(state, client, signal)),
    h('section', { class: 'pane pane-chat', 'aria-label': 'Chat' }, chatPane(state, client, signal)),
    h('section', { class: 'pane pane-map', 'aria-label': 'Map' }, mapPane(state, client, geo, config, signal)),
  );

  const render = (part) => {
    if (part === 'all' || part === 'me') {
      who.textContent = state.me?.userName ?? '';
      dot.className = `presence ${state.visible ? 'online' : 'invisible'}`;
      dot.setAttribute('aria-label', state.visible ? 'visible' : 'invisible');
      visibility.textContent = state.visible ? 'Go invisible' : 'Become visible';
      visibility.setAttribute('aria-pressed', String(!state.visible));
    }
    if (part === 'all' || part === 'view') {
      main.dataset.view = state.view;
      for (const t of tabs.querySelectorAll('.tab')) {
        t.setAttribute('aria-selected', String(t.dataset.view === state.view));
      }
      client.schedulePoll();
    }
    if (part === 'all' || part === 'connection') {
      const online = state.connection === 'loggedIn';
      connection.textContent = online ? '' : 'offline';
    }
    if (part === 'all' || part === 'notice') {
      const shown = state.notice;
      if (shown?.kind === 'info') {
        setTimeout(() => state.notice === shown && state.setNotice(null), 6000);
      }
      notice.hidden = !state.notice;
      notice.className = `notice notice-${state.notice?.kind ?? 'info'}`;
      replace(
        notice,
        state.notice ? h('span', { text: state.notice.text }) : null,
        state.notice
          ? h('button', {
              type: 'button',
              class: 'close',
              'aria-label': 'Dismiss',
              text: '×',
              onclick: () => state.setNotice(null),
            })
          : null,
      );
    }
  };
  state.addEventListener('change', (e) => render(e.detail), { signal });
  // Leaving the main screen (logged out, signed out elsewhere, account deleted) stops sharing.
  signal.addEventListener('abort', () => geo.stop());
  render('all');

  return h(
    'div',
    { class: 'shell' },
    h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'IMPS'),
      h('span', { class: 'me' }, dot, who),
      connection,
      h('span', { class: 'spacer' }),
      visibility,
      account.button,
      logout,
    ),
    notice,
    main,
    tabs,
    account.dialog,
  );
}
