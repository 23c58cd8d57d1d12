// The chat pane: the conversation with the selected friend, a composer for text, and voice clips
// recorded in the browser.

import { Status } from '../protocol/commands.js';
import { h, replace, shortTime } from './dom.js';
import { ClipRecorder, recordingSupported, sniffAudioType } from './voice.js';

/** How far my message has got: on its way, stored by the server, delivered, read. */
const MARK = { sending: '…', sent: '✓', delivered: '✓✓', read: '✓✓ Read', failed: '!' };
const MARK_TITLE = {
  sending: 'Sending',
  sent: 'Stored on the server',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
};

export function chatPane(state, client, signal) {
  const title = h('h2', { class: 'chat-title', id: 'chat-title' });
  const presence = h('span', { class: 'chat-presence', id: 'chat-presence' });
  const back = h('button', {
    class: 'back',
    type: 'button',
    'aria-label': 'Back to friends',
    text: '‹',
    onclick: () => state.setView('friends'),
  });
  const messages = h('ol', { class: 'messages', id: 'messages', 'aria-live': 'polite' });
  const input = h('textarea', {
    id: 'message-input',
    rows: 2,
    placeholder: 'Message',
    'aria-label': 'Message',
    maxlength: client.config.maxMessageChars,
  });
  const send = h('button', { type: 'submit', id: 'send-button', class: 'primary', text: 'Send' });
  const record = h('button', {
    type: 'button',
    id: 'record-button',
    class: 'record',
    text: '🎤 Voice',
    title: 'Record a voice clip',
    hidden: !recordingSupported(),
  });
  const recordStatus = h('span', { class: 'record-status', id: 'record-status', role: 'status' });
  const error = h('p', { class: 'form-error', id: 'chat-error', role: 'alert' });
  const composer = h(
    'form',
    { class: 'composer', id: 'composer' },
    input,
    h('div', { class: 'composer-actions' }, record, recordStatus, send),
    error,
  );
  const empty = h('p', { class: 'chat-empty', text: 'Pick a friend to chat with.' });
  const pane = h(
    'div',
    { class: 'chat' },
    h('header', { class: 'chat-header' }, back, title, presence),
    empty,
    messages,
    composer,
  );

  const elements = new Map();
  const urls = [];

  const renderEntry = (entry) => {
    let body;
    if (entry.kind === 'audio') {
      const type = sniffAudioType(entry.data);
      const url = URL.createObjectURL(new Blob([entry.data], { type: type ?? 'application/octet-stream' }));
      urls.push(url);
      const playable = type && document.createElement('audio').canPlayType(type) !== '';
      body = playable
        ? h('audio', { controls: true, preload: 'metadata', src: url, class: 'clip' })
        : h('a', {
            href: url,
            download: 'voice-clip',
            class: 'clip-download',
            text: '⬇ voice clip (this browser cannot play it)',
          });
    } else {
      body = h('span', { class: 'text', text: entry.text });
    }
    const li = h(
      'li',
      {
        class: `message ${entry.mine ? 'mine' : 'theirs'} ${entry.kind}`,
        dataset: { state: entry.state, id: entry.id },
      },
      h('div', { class: 'bubble' }, body),
      h(
        'div',
        { class: 'meta' },
        h('time', { text: shortTime(entry.datetime) }),
        entry.mine
          ? h('span', { class: 'mark', text: mark(entry), title: MARK_TITLE[entry.state] ?? '' })
          : null,
      ),
      entry.state === 'failed'
        ? h(
            'div',
            { class: 'failed' },
            h('span', { text: entry.error }),
            h('button', {
              type: 'button',
              class: 'retry',
              text: 'Send again',
              onclick: () => client.retry(state.selected, entry),
            }),
          )
        : null,
    );
    return li;
  };

  const mark = (entry) => MARK[entry.state] ?? '';

  const scrollToEnd = () => {
    messages.scrollTop = messages.scrollHeight;
  };

  /** The top line of a chat: where the history stands. */
  const edge = () => {
    const hist = state.historyOf(state.selected);
    const at = hist.loading
      ? 'loading'
      : hist.loaded && !hist.more
        ? 'start'
        : hist.loaded
          ? 'more'
          : 'none';
    const text = {
      loading: 'Loading earlier messages…',
      start: 'The start of your conversation',
      more: 'Scroll up for earlier messages',
      none: '',
    }[at];
    return h('li', { class: 'history-edge', id: 'history-edge', dataset: { state: at }, text });
  };

  const renderAll = ({ keepScroll = false } = {}) => {
    const fromBottom = messages.scrollHeight - messages.scrollTop;
    urls.splice(0).forEach((u) => URL.revokeObjectURL(u));
    elements.clear();
    const friend = state.selected;
    pane.dataset.friend = friend ?? '';
    empty.hidden = !!friend;
    messages.hidden = !friend;
    composer.hidden = !friend;
    title.textContent = friend ?? '';
    pane.querySelector('.chat-header').hidden = !friend;
    renderPresence();
    if (!friend) {
      replace(messages);
      return;
    }
    replace(
      messages,
      edge(),
      state.conversation(friend).map((entry) => {
        const li = renderEntry(entry);
        elements.set(entry.id, li);
        return li;
      }),
    );
    if (keepScroll) {
      messages.scrollTop = messages.scrollHeight - fromBottom;
    } else {
      scrollToEnd();
    }
  };

  const renderPresence = () => {
    const f = state.friends.get(state.selected);
    const online = f?.status === Status.ONLINE;
    // Written only when it changes: the friend list changes with every position a friend sends.
    const text = f ? (online ? 'online' : 'offline') : '';
    const className = `chat-presence ${online ? 'online' : 'offline'}`;
    if (presence.textContent !== text || presence.className !== className) {
      presence.textContent = text;
      presence.className = className;
    }
  };

  state.addEventListener(
    'change',
    (e) => {
      const part = e.detail;
      if (part === 'all' || part === 'selected') {
        renderAll();
      } else if (part?.history && part.history === state.selected) {
        // An older page keeps what the user looks at in place; the first page shows the newest.
        renderAll({ keepScroll: part.older || state.historyOf(part.history).loading });
      } else if (part === 'friends') {
        renderPresence();
      } else if (part?.conversation && part.conversation === state.selected) {
        const li = renderEntry(part.entry);
        const old = elements.get(part.entry.id);
        if (old) {
          old.replaceWith(li);
        } else {
          messages.append(li);
          scrollToEnd();
        }
        elements.set(part.entry.id, li);
      }
    },
    { signal },
  );

  // Near the top of the chat, the page before the oldest shown.
  messages.addEventListener(
    'scroll',
    () => {
      if (messages.scrollTop < 80 && state.selected) {
        client.loadOlder(state.selected);
      }
    },
    { passive: true },
  );

  composer.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value;
    if (text.trim() === '' || !state.selected) {
      return;
    }
    if ([...text].length > client.config.maxMessageChars) {
      error.textContent = `A message is at most ${client.config.maxMessageChars} characters.`;
      return;
    }
    error.textContent = '';
    input.value = '';
    await client.sendText(state.selected, text);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      composer.requestSubmit();
    }
  });

  let recorder = null;
  const finishRecording = async () => {
    const friend = state.selected;
    record.textContent = '🎤 Voice';
    record.classList.remove('recording');
    recordStatus.textContent = '';
    try {
      const clip = await recorder.stop();
      await client.sendClip(friend, clip);
    } catch (err) {
      error.textContent = err.message;
    }
  };
  record.addEventListener('click', async () => {
    error.textContent = '';
    if (recorder?.active) {
      await finishRecording();
      return;
    }
    recorder = new ClipRecorder(
      client.config.maxAudioBytes,
      (seconds, bytes) => {
        recordStatus.textContent = `${Math.floor(seconds)} s · ${Math.ceil(bytes / 1024)} KiB`;
      },
      () => finishRecording(),
    );
    try {
      await recorder.start();
      record.textContent = '■ Stop and send';
      record.classList.add('recording');
      recordStatus.textContent = `up to ${recorder.maxSeconds} s`;
    } catch (err) {
      error.textContent =
        err.name === 'NotAllowedError'
          ? 'The browser may not use the microphone. Allow it in the site settings to record.'
          : `Cannot record: ${err.message}`;
    }
  });
  signal.addEventListener('abort', () => recorder?.cancel());

  renderAll();
  return pane;
}
