// The app's actions and the server's pushes, between the session (net/session.js) and the state
// (state/store.js). The UI calls these methods and renders the state; it never sends frames.
// What happens inside the chats (sending, receiving, marks, history) is chats.js.

import { Account } from './account.js';
import { Chats } from './chats.js';
import { AddFriendResult, Cmd, Feature, Status } from './protocol/commands.js';
import { addFriendError } from './state/errors.js';
import { Tracks } from './tracks.js';
import { UnreadCounts } from './unread.js';

const FRIENDS_POLL_MAP_MS = 5_000;
const FRIENDS_POLL_MS = 30_000;

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
    /** Whether S_LOCATION pushes are on for this connection (C_LIVE_LOCATIONS). */
    this.live = false;
    this.chats = new Chats(state, session, config);
    this.tracks = new Tracks(session);
    this.account = new Account(session);
    this.unread = new UnreadCounts(state, session, this.chats);
    session.addEventListener('login', (e) => this.loggedIn(e.detail));
    session.addEventListener('push', (e) => this.push(e.detail));
    session.addEventListener('state', (e) => {
      state.connection = e.detail.state;
      state.changed('connection');
    });
    session.addEventListener('reconnecting', (e) => {
      if (session.renewing) {
        return;
      }
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
      } else if (e.detail.reason === 'deleted') {
        state.setNotice('Your account is deleted, with your messages, friends and places.');
      }
    });
  }

  get me() {
    return this.session.user?.userName;
  }

  async loggedIn({ user, resumed }) {
    const s = this.state;
    if (!resumed) {
      s.reset();
      this.chats.restore(user.userName);
    }
    s.me = user;
    s.connection = 'loggedIn';
    s.setNotice(resumed && !this.session.renewing ? 'Reconnected.' : null);
    s.changed('me');
    if (!resumed) {
      this.chats.sendUnsent();
    }
    const invisible = localStorage.getItem(this.invisibleKey());
    if (invisible !== null) {
      await this.setVisible(invisible !== 'true', { remember: false }).catch(() => {});
    }
    // Live positions first, then the list: a fix shared in between is pushed, not missed.
    await this.startLiveLocations().catch(() => {});
    await this.refreshFriends().catch(() => {});
    await this.refreshBlocked().catch(() => {});
    await this.unread.refresh().catch(() => {});
    this.schedulePoll();
  }

  /**
   * C_LIVE_LOCATIONS(1): friends' new positions come as S_LOCATION pushes for as long as the
   * connection lasts (asked again at every login and resume). Without the feature the friend list
   * is polled instead (schedulePoll).
   */
  async startLiveLocations() {
    this.live = false;
    if (!this.session.has(Feature.LIVE_LOCATIONS)) {
      return;
    }
    await this.session.request({ type: Cmd.C_LIVE_LOCATIONS, on: true });
    this.live = true;
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
   * Without live locations (a server that does not grant LIVE_LOCATIONS), friends' positions come
   * only with the friend list, so it is asked for again every few seconds while the map shows, and
   * now and then otherwise. With them nothing is polled: presence, positions and friendships are
   * all pushed, and the list is read again at each login and resume.
   */
  schedulePoll() {
    clearTimeout(this.pollTimer);
    if (this.live) {
      return;
    }
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

  push(m) {
    const s = this.state;
    switch (m.type) {
      case Cmd.S_SEND_MSG:
      case Cmd.S_AUDIO_RSP:
        this.chats.received(m);
        break;
      case Cmd.S_RECEIPT:
        this.chats.receipt(m);
        break;
      case Cmd.S_FRIEND_REMOVED:
        this.friendRemoved(m.friendName);
        break;
      case Cmd.S_LOCATION:
        s.setFriendLocation(m.friendName, m.time, m.location);
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

  friendRemoved(name) {
    this.state.removeFriend(name);
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
  sendText(friend, text) {
    return this.chats.sendText(friend, text);
  }

  /** C_AUDIO_REQ with a recorded clip. */
  sendClip(friend, data) {
    return this.chats.sendClip(friend, data);
  }

  /** Sends a failed entry again, as a new message. */
  retry(friend, entry) {
    return this.chats.retry(friend, entry);
  }

  /** The page of the chat's history before the oldest shown. */
  loadOlder(friend) {
    return this.chats.loadOlder(friend);
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
