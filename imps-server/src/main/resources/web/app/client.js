// The app's actions and the server's pushes, between the session (net/session.js) and the state
// (state/store.js). The UI calls these methods and renders the state; it never sends frames.

import { AddFriendResult, Cmd, Feature, HistoryKind, ReceiptState, Status } from './protocol/commands.js';
import { addFriendError, sendError } from './state/errors.js';

const FRIENDS_POLL_MAP_MS = 5_000;
/** Messages asked for per C_HISTORY page. */
const HISTORY_PAGE = 30;
const FRIENDS_POLL_MS = 30_000;

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

export class ImpsClient {
  /**
   * @param {import('./state/store.js').AppState} state
   * @param {import('./net/session.js').Session} session
   * @param {{maxMessageChars: number, maxAudioBytes: number}} config
   */
  constructor(state, session, config) {
    this.state = state;
    this.session = session;
    this.config = config;
    this.pollTimer = null;
    /** friend → the highest Seq of theirs reported read (C_READ). */
    this.readUpTo = new Map();
    state.addEventListener('change', (e) => this.changed(e.detail));
    session.addEventListener('login', (e) => this.loggedIn(e.detail));
    session.addEventListener('push', (e) => this.push(e.detail));
    session.addEventListener('state', (e) => {
      state.connection = e.detail.state;
      state.changed('connection');
    });
    session.addEventListener('reconnecting', (e) => {
      const s = Math.max(1, Math.round(e.detail.inMs / 1000));
      state.setNotice(`Connection lost. Reconnecting in ${s} s…`, 'offline');
    });
    session.addEventListener('kicked', () => {
      this.stopPolling();
      state.reset();
      state.setNotice('You logged in somewhere else, so this window was signed out.', 'error');
    });
    session.addEventListener('loggedOut', (e) => {
      this.stopPolling();
      state.reset();
      if (e.detail.reason === 'credentials') {
        state.setNotice('Your name or password no longer works. Log in again.', 'error');
      }
    });
  }

  get me() {
    return this.session.user?.userName;
  }

  async loggedIn({ user, resumed }) {
    const s = this.state;
    let unsent = [];
    if (!resumed) {
      s.reset();
      this.readUpTo.clear();
      // After a page reload: the conversations this tab showed, and the sends still on their way.
      s.conversations = this.session.keep.conversations(user.userName);
      for (const [friend, entries] of s.conversations) {
        unsent.push(...entries.filter((e) => e.state === 'sending').map((e) => [friend, e]));
      }
    }
    s.me = user;
    s.connection = 'loggedIn';
    s.setNotice(resumed ? 'Reconnected.' : null);
    s.changed('me');
    for (const [friend, entry] of unsent) {
      this.deliver(friend, entry);
    }
    const invisible = localStorage.getItem(this.invisibleKey());
    if (invisible !== null) {
      await this.setVisible(invisible !== 'true', { remember: false }).catch(() => {});
    }
    await this.refreshFriends().catch(() => {});
    await this.refreshBlocked().catch(() => {});
    this.schedulePoll();
  }

  /** The users I block (C_BLOCKLIST_REQ), when the server speaks SOCIAL. */
  async refreshBlocked() {
    if (!this.session.has(Feature.SOCIAL)) {
      return;
    }
    const reply = await this.session.request({ type: Cmd.C_BLOCKLIST_REQ });
    this.state.blocked = reply.names;
    this.state.changed('blocked');
  }

  /** Whether unfriend and block are there (the server granted SOCIAL). */
  canUnfriend() {
    return this.session.has(Feature.SOCIAL);
  }

  /** C_UNFRIEND: ends the friendship both ways; either may ask again later. */
  async unfriend(name) {
    await this.session.request({ type: Cmd.C_UNFRIEND, friendName: name });
    this.friendRemoved(name);
    this.state.setNotice(`${name} is no longer your friend.`);
  }

  /**
   * C_BLOCK: blocking ends a friendship and drops the requests between us; the blocked user is not
   * told. Unblocking does not make us friends again.
   */
  async block(name, block) {
    await this.session.request({ type: Cmd.C_BLOCK, userName: name, block });
    const s = this.state;
    if (block) {
      this.friendRemoved(name);
      s.incoming.delete(name);
      s.outgoing.delete(name);
      s.changed('requests');
    }
    await this.refreshBlocked().catch(() => {});
    s.setNotice(block ? `You blocked ${name}. They are not told.` : `You unblocked ${name}.`);
  }

  invisibleKey() {
    return `imps.invisible.${this.me}`;
  }

  /** Asks for the friend list (with presence and last positions) now. */
  async refreshFriends() {
    const reply = await this.session.request({
      type: Cmd.C_FRIENDLIST_REFURBISH_REQ,
      userName: this.me,
    });
    this.state.setFriends(reply.friends);
  }

  /**
   * Friends' positions come with the friend list (the protocol has no position push yet), so it
   * is asked for again every few seconds while the map shows, and now and then otherwise.
   */
  schedulePoll() {
    clearTimeout(this.pollTimer);
    const mapShown = this.state.view === 'map' || this.state.wideLayout;
    this.pollTimer = setTimeout(
      async () => {
        if (this.session.state === 'loggedIn') {
          await this.refreshFriends().catch(() => {});
        }
        if (this.state.me) {
          this.schedulePoll();
        }
      },
      mapShown ? FRIENDS_POLL_MAP_MS : FRIENDS_POLL_MS,
    );
  }

  stopPolling() {
    clearTimeout(this.pollTimer);
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
    let upTo = 0;
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

  push(m) {
    const s = this.state;
    switch (m.type) {
      case Cmd.S_SEND_MSG:
        s.addMessage(m.friendName, {
          id: nextId++,
          seq: m.seq,
          mine: false,
          kind: 'text',
          text: m.message,
          datetime: m.datetime,
          state: 'received',
        });
        break;
      case Cmd.S_AUDIO_RSP:
        s.addMessage(m.friendName, {
          id: nextId++,
          seq: m.seq,
          mine: false,
          kind: 'audio',
          data: m.data,
          datetime: m.datetime,
          state: 'received',
        });
        break;
      case Cmd.S_RECEIPT:
        this.receipt(m);
        break;
      case Cmd.S_FRIEND_REMOVED:
        this.friendRemoved(m.friendName);
        break;
      case Cmd.S_STATUS_NOTIFY:
        if (s.friends.has(m.userName)) {
          s.setFriendStatus(m.userName, m.status);
        } else {
          this.refreshFriends().catch(() => {});
        }
        break;
      case Cmd.S_ADDFRIEND_REQ:
        s.incoming.add(m.friendName);
        s.changed('requests');
        break;
      case Cmd.S_ADDFRIEND_RSP:
        this.friendOutcome(m);
        break;
      default:
        console.debug('IMPS: unhandled push', m);
    }
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

  friendRemoved(name) {
    const s = this.state;
    if (s.friends.delete(name)) {
      s.changed('friends');
    }
  }

  friendOutcome(m) {
    const s = this.state;
    if (m.result === AddFriendResult.ACCEPTED) {
      s.upsertFriend({ name: m.userName, status: m.status, time: m.time, location: m.location });
      s.incoming.delete(m.userName);
      const asked = s.outgoing.delete(m.userName);
      s.changed('requests');
      if (asked) {
        s.setNotice(`${m.userName} is now your friend.`);
      }
    } else if (m.userName !== undefined) {
      s.outgoing.set(
        m.userName,
        m.result === AddFriendResult.NO_SUCH_USER ? 'unknown' : 'refused',
      );
      s.changed('requests');
    }
  }

  /** C_ADDFRIEND_REQ; resolves with a sentence saying what happened. */
  async addFriend(name) {
    const s = this.state;
    if (s.friends.has(name)) {
      return `${name} is already your friend.`;
    }
    try {
      const reply = await this.session.request({
        type: Cmd.C_ADDFRIEND_REQ,
        userName: this.me,
        friendName: name,
      });
      if (reply.type === Cmd.S_ERROR_RSP) {
        s.outgoing.set(name, 'pending');
        s.changed('requests');
        return `Request sent to ${name}.`;
      }
      switch (reply.result) {
        case AddFriendResult.ACCEPTED:
          return `${reply.userName} is now your friend.`;
        case AddFriendResult.NO_SUCH_USER:
          s.outgoing.delete(name);
          s.changed('requests');
          return `There is no user “${name}”.`;
        default:
          s.outgoing.set(name, 'full');
          s.changed('requests');
          return `${name} cannot be added: a friend list is full.`;
      }
    } catch (e) {
      throw new Error(addFriendError(e));
    }
  }

  /** C_ADDFRIEND_RSP: accept or reject the request from {@code name}. */
  async answer(name, accept) {
    await this.session.request({
      type: Cmd.C_ADDFRIEND_RSP,
      userName: name,
      action: accept ? 1 : 0,
    });
    this.state.incoming.delete(name);
    this.state.changed('requests');
  }

  /** C_SEND_MSG; the entry shows 'sending', then 'sent' or 'failed' with the reason. */
  async sendText(friend, text) {
    return this.send(friend, { kind: 'text', text });
  }

  /** C_AUDIO_REQ with a recorded clip. */
  async sendClip(friend, data) {
    return this.send(friend, { kind: 'audio', data });
  }

  /** The request that sends an entry (the same bytes each time it goes). */
  requestOf(friend, entry) {
    const message =
      entry.kind === 'text'
        ? { type: Cmd.C_SEND_MSG, userName: this.me, friendName: friend, message: entry.text }
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
      entry.clientMsgId = this.session.nextClientMsgId();
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
        await this.session.sendReliably(message);
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

  /** Sends a failed entry again, as a new message. */
  retry(friend, entry) {
    return entry.kind === 'text' ? this.sendText(friend, entry.text) : this.sendClip(friend, entry.data);
  }

  /** Invisible mode: friends see me offline (C_STATUS_NOTIFY 1), or online again (2). */
  async setVisible(visible, { remember = true } = {}) {
    await this.session.request({
      type: Cmd.C_STATUS_NOTIFY,
      userName: this.me,
      status: visible ? Status.ONLINE : Status.INVISIBLE,
    });
    if (remember) {
      localStorage.setItem(this.invisibleKey(), String(!visible));
    }
    this.state.visible = visible;
    this.state.changed('me');
  }

  logout() {
    this.stopPolling();
    return this.session.logout();
  }
}
