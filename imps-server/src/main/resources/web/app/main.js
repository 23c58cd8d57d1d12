// Starts the app: reads the server's settings, then shows the login screen or, once logged in,
// the main screen. No build step: the browser loads these ES modules as they are.

import { ImpsClient } from './client.js';
import { LocationSharing } from './geo.js';
import { Session } from './net/session.js';
import { AppState } from './state/store.js';
import { loginScreen } from './ui/login.js';
import { shell } from './ui/shell.js';

const DEFAULTS = { tileUrl: '', tileAttribution: '', maxMessageChars: 4096, maxAudioBytes: 61440 };

async function loadConfig() {
  try {
    const r = await fetch('/config.json', { cache: 'no-cache' });
    return { ...DEFAULTS, ...(await r.json()) };
  } catch (e) {
    return DEFAULTS;
  }
}

async function start() {
  const config = await loadConfig();
  const state = new AppState();
  let session = null;
  const geo = new LocationSharing(state, () => session);
  session = new Session({ fixes: geo });
  const client = new ImpsClient(state, session, config);
  const root = document.getElementById('app');

  let screen = null;
  let controller = null;
  const show = () => {
    const want = state.me ? 'main' : 'login';
    if (want === screen) {
      return;
    }
    controller?.abort();
    controller = new AbortController();
    screen = want;
    root.replaceChildren(
      want === 'main'
        ? shell(state, client, geo, config, controller.signal)
        : loginScreen(state, client, controller.signal),
    );
    document.body.dataset.screen = want;
  };
  state.addEventListener('change', (e) => {
    if (e.detail === 'all' || e.detail === 'me') {
      show();
    }
    if (e.detail === 'all' || e.detail === 'connection') {
      document.body.dataset.connection = state.connection;
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && state.view === 'chat' && state.selected) {
      state.select(state.selected);
    }
  });
  show();
  // After a reload: take up the session this tab kept (state/keep.js), or stay on the login screen.
  if (session.resumable) {
    state.setNotice('Reconnecting…', 'offline');
    if (!(await session.resumeKept())) {
      state.setNotice(null);
    }
  }
}

start();
