// The chats: sending my messages (with client message ids, so that they survive dropped
// connections and reloads), the friends' messages as they arrive, delivery and read marks
// (S_RECEIPT, C_READ), history pages (C_HISTORY), and keeping the conversations with the tab
// (state/keep.js) so that a reload shows them again.

import { Cmd, Feature, HistoryKind, ReceiptState } from './protocol/commands.js';
import { Disconnected } from './net/session.js';
import { sendError } from './state/errors.js';

/** Messages asked for per C_HISTORY page. */
const HISTORY_PAGE = 30;

/** Local time as the protocol writes times: yyyy-MM-dd HH:mm:ss. */
export function wireTime(date = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ` +
    `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`
  );
}

// Entry ids for the page; starting from the clock keeps them apart from those of entries kept
// across a reload (state/keep.js).
let nextId = Date.now();

/** How far one of my messages has got, in order: a receipt never moves it back. */
const PROGRESS = { sending: 0, failed: 0, sent: 1, delivered: 2, read: 3 };

/**
 * A chat entry from an S_HISTORY entry. The server does not say how far my older messages got,
 * so they show as stored (✓).
 */
function historyEntry(e) {
  return {
    id: nextId++,
    historyId: e.id,
    mine: e.outgoing,
    kind: e.kind === HistoryKind.TEXT ? 'text' : 'audio',
    text: e.text,
    data: e.data,
    datetime: e.acceptedAt,
    state: e.outgoing ? 'sent' : 'received',
  };
}

export class Chats {
  /**
   * @param {import('./state/store.js').AppState} state
   * @param {import('./net/session.js').Session} session
   * @param {{maxMessageChars: number}} config
   */
  constructor(state, session, config) {
    this.state = state;
    this.session = session;
    this.config = config;
    /** friend → the highest Seq of theirs reported read (C_READ). */
    this.readUpTo = new Map();
    /**
     * friend → a Seq up to which their unread messages go, from the server's unread counts
     * (unread.js): reading the chat reports up to it, also for messages shown only from history.
     */
    this.readableUpTo = new Map();
    state.addEventListener('change', (e) => this.changed(e.detail));
  }

  /** After a login in a fresh page: the conversations this tab showed before a reload. */
  restore(user) {
    this.readUpTo.clear();
    this.readableUpTo.clear();
    this.state.conversations = this.session.keep.conversations(user);
  }

  /** Sends again, with their ids, my messages a reload interrupted. */
  sendUnsent() {
    for (const [friend, entries] of this.state.conversations) {
      for (const entry of entries.filter((e) => e.state === 'sending')) {
        this.deliver(friend, entry);
      }
    }
  }

  /** S_SEND_MSG or S_AUDIO_RSP (with the Seq it was stored under, for C_READ). */
  received(m) {
    this.state.addMessage(m.friendName, {
      id: nextId++,
      seq: m.seq,
      mine: false,
      kind: m.type === Cmd.S_SEND_MSG ? 'text' : 'audio',
      text: m.message,
      data: m.data,
      datetime: m.datetime,
      state: 'received',
    });
  }

  /** Keeps the conversations with the tab, loads a chat's history, reports what was read. */
  changed(part) {
    const s = this.state;
    if ((part?.conversation || part?.history) && s.me) {
      this.session.keep.saveConversations(s.me.userName, s.conversations);
    }
    if (part === 'selected' && s.selected && !s.historyOf(s.selected).loaded) {
      this.loadOlder(s.selected);
    }
    if (part === 'selected' || part === 'view' || (part?.conversation && !part.entry.mine)) {
      this.markRead(s.selected);
    }
  }

  /**
   * C_HISTORY: the first time, the newest page of the chat (merged with what is shown); then the
   * page before the oldest shown. Nothing while a page is on its way or when the start is shown.
   */
  async loadOlder(friend) {
    const s = this.state;
    const h = s.historyOf(friend);
    if (h.loading || (h.loaded && !h.more) || !this.session.has(Feature.HISTORY)) {
      return;
    }
    if (this.session.state !== 'loggedIn') {
      return;
    }
    h.loading = true;
    s.changed({ history: friend });
    let older = false;
    try {
      const reply = await this.session.request({
        type: Cmd.C_HISTORY,
        peer: friend,
        fromId: h.loaded ? h.oldestId : 0,
        newer: false,
        maxItems: HISTORY_PAGE,
      });
      const page = reply.entries.map(historyEntry).reverse();
      older = h.loaded;
      if (older) {
        s.prependOlder(friend, page);
      } else {
        s.mergeNewest(friend, page);
      }
      h.loaded = true;
      h.more = reply.more;
      if (reply.entries.length > 0) {
        h.oldestId = reply.entries[reply.entries.length - 1].id;
      }
    } catch (e) {
      // Not now (disconnected, refused): the next scroll or selection tries again.
    } finally {
      h.loading = false;
      s.changed({ history: friend, older });
    }
  }

  /** C_READ for the friend's messages up to the newest shown, when the chat is on screen. */
  markRead(friend) {
    const s = this.state;
    if (!friend || !s.isReading(friend) || !this.session.has(Feature.RECEIPTS)) {
      return;
    }
    if (this.session.state !== 'loggedIn') {
      return;
    }
    let upTo = this.readableUpTo.get(friend) ?? 0;
    for (const e of s.conversation(friend)) {
      if (!e.mine && e.seq > upTo) {
        upTo = e.seq;
      }
    }
    if (upTo <= (this.readUpTo.get(friend) ?? 0)) {
      return;
    }
    this.readUpTo.set(friend, upTo);
    this.session.request({ type: Cmd.C_READ, peer: friend, upToSeq: upTo }).catch(() => {
      // Not reported (disconnected): the next time the chat shows, it is tried again.
      if (this.readUpTo.get(friend) === upTo) {
        this.readUpTo.delete(friend);
      }
    });
  }

  /** S_RECEIPT: my messages to the peer up to the id have been delivered or read. */
  receipt({ peer, upToClientMsgId, state }) {
    const to = state === ReceiptState.READ ? 'read' : state === ReceiptState.DELIVERED ? 'delivered' : null;
    if (!to) {
      return;
    }
    for (const e of this.state.conversations.get(peer) ?? []) {
      if (e.mine && e.clientMsgId <= upToClientMsgId && PROGRESS[e.state] < PROGRESS[to]) {
        if (e.state === 'failed') {
          continue;
        }
        e.state = to;
        this.state.updateMessage(peer, e);
      }
    }
  }

  /** C_SEND_MSG; the entry shows 'sending', then 'sent' or 'failed' with the reason. */
  sendText(friend, text) {
    return this.send(friend, { kind: 'text', text });
  }

  /** C_AUDIO_REQ with a recorded clip. */
  sendClip(friend, data) {
    return this.send(friend, { kind: 'audio', data });
  }

  /**
   * A client message id for a new send: increasing, and unique for the user across tabs and
   * devices (the server keeps (sender, id) to drop resends), so it is built from the clock.
   */
  nextClientMsgId() {
    this.lastClientMsgId = Math.max((this.lastClientMsgId ?? 0) + 1, Date.now() * 1024);
    return this.lastClientMsgId;
  }

  /** The request that sends an entry (the same bytes each time it goes). */
  requestOf(friend, entry) {
    const message =
      entry.kind === 'text'
        ? {
            type: Cmd.C_SEND_MSG,
            userName: this.session.user.userName,
            friendName: friend,
            message: entry.text,
          }
        : { type: Cmd.C_AUDIO_REQ, friendName: friend, data: entry.data, datetime: entry.datetime };
    if (entry.clientMsgId !== undefined) {
      message.clientMsgId = entry.clientMsgId;
    }
    return message;
  }

  async send(friend, content) {
    const entry = {
      id: nextId++,
      mine: true,
      ...content,
      datetime: wireTime(),
      state: 'sending',
    };
    if (this.session.has(Feature.IDEMPOTENT_SENDS)) {
      entry.clientMsgId = this.nextClientMsgId();
    }
    this.state.addMessage(friend, entry);
    return this.deliver(friend, entry);
  }

  /**
   * Sends an entry until the server confirms or refuses it. With a client message id it survives
   * dropped connections and page reloads: it goes again with the same id, stored once.
   */
  async deliver(friend, entry) {
    try {
      const message = this.requestOf(friend, entry);
      if (entry.clientMsgId !== undefined) {
        await this.sendReliably(message);
      } else {
        await this.session.request(message);
      }
      if (entry.state === 'sending') {
        entry.state = 'sent';
      }
    } catch (e) {
      entry.state = 'failed';
      entry.error = sendError(e, friend, this.config.maxMessageChars);
    }
    this.state.updateMessage(friend, entry);
    return entry;
  }

  /**
   * Sends a C_SEND_MSG or C_AUDIO_REQ that carries a clientMsgId until the server answers it: when
   * the connection drops first, it goes again (same id) after the next login, and the server
   * stores it once. Rejects with the server's refusal, or Disconnected once the session is over.
   */
  async sendReliably(message) {
    const session = this.session;
    for (;;) {
      if (session.state !== 'loggedIn') {
        await this.nextLogin();
      }
      try {
        return await session.request(message);
      } catch (e) {
        if (!(e instanceof Disconnected) || !session.canComeBack()) {
          throw e;
        }
      }
    }
  }

  /** Resolves at the session's next login; rejects with Disconnected when it ends instead. */
  nextLogin() {
    const session = this.session;
    if (!session.canComeBack()) {
      return Promise.reject(new Disconnected());
    }
    return new Promise((resolve, reject) => {
      const done = new AbortController();
      const on = (type, fn) => session.addEventListener(type, fn, { signal: done.signal });
      on('login', () => {
        done.abort();
        resolve();
      });
      for (const type of ['loggedOut', 'kicked']) {
        on(type, () => {
          done.abort();
          reject(new Disconnected());
        });
      }
    });
  }

  /** Sends a failed entry again, as a new message. */
  retry(friend, entry) {
    return entry.kind === 'text'
      ? this.sendText(friend, entry.text)
      : this.sendClip(friend, entry.data);
  }
}
