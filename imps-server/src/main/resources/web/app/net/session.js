// The client side of a session: one connection at a time, requests matched to their replies
// (the queue of pending requests is in replies.js), pushes handed on, a heartbeat every minute
// (heartbeat.js), and reconnecting with backoff after a drop.
//
// Every connection opts into the extensions (PROTOCOL.md section 8) with C_HELLO before it logs
// in. With ACKS, pushes of stored items come as S_STORED with a sequence number: each is handed
// on, then acknowledged (C_ACK), and one whose number was seen before is dropped (the numbers
// seen are kept with the tab, state/keep.js, so a reload drops repeats too). The session token
// from S_LOGIN_RSP resumes the session (C_RESUME) after a dropped connection or a page reload;
// the password given to login() stays in memory only and is used when there is no token or the
// token is refused.

import { Connection, defaultSocketUrl } from './connection.js';
import { Heartbeat } from './heartbeat.js';
import { Cmd, ErrorCode, Feature, Status } from '../protocol/commands.js';
import { TabKeep } from '../state/keep.js';
import { StoredItems } from './stored-items.js';
import { Disconnected, ImpsError, PendingRequests } from './replies.js';

export { Disconnected, ImpsError, isReplyTo } from './replies.js';

/** What the app asks for in C_HELLO. */
export const WANTED_FEATURES =
  Feature.ACKS |
  Feature.IDEMPOTENT_SENDS |
  Feature.RECEIPTS |
  Feature.SOCIAL |
  Feature.HISTORY |
  Feature.LIVE_LOCATIONS |
  Feature.TRACKS |
  Feature.UNREAD;

export class Session extends EventTarget {
  /**
   * @param {object} options
   * @param {string} [options.url] WebSocket address (default: this page's server, /ws)
   * @param {number} [options.heartbeatMs] heartbeat period
   * @param {{take: () => Array<{time: string, location: string}>, putBack: Function}} [options.fixes]
   *     location fixes waiting for the next heartbeat; ones that could not be sent are put back
   */
  constructor({
    url = defaultSocketUrl(),
    heartbeatMs = 60_000,
    fixes = { take: () => [], putBack: () => {} },
    keep = new TabKeep(),
  } = {}) {
    super();
    this.url = url;
    this.heartbeats = new Heartbeat(this, heartbeatMs, fixes);
    this.connection = null;
    this.opening = null;
    this.pending = new PendingRequests();
    this.user = null;
    this.credentials = null;
    this.state = 'offline';
    this.attempt = 0;
    this.reconnectTimer = null;
    this.keep = keep;
    /**
     * Features the server granted at the last C_HELLO. They hold while the tab reconnects (a
     * message written offline keeps its client message id), and the next C_HELLO replaces them.
     */
    this.granted = 0;
    /** The session token (ACKS), or null; kept with the tab. */
    this.token = null;
    this.items = new StoredItems((seq) => this.sendAck(seq));
    const kept = keep.session();
    if (kept?.token) {
      this.resumable = kept;
    }
  }

  /** Whether the server granted {@code feature} at the last C_HELLO. */
  has(feature) {
    return (this.granted & feature) === feature;
  }

  setState(state) {
    if (this.state !== state) {
      this.state = state;
      this.emit('state', { state });
    }
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Opens a connection unless one is open or opening. */
  async ensureOpen() {
    if (this.connection?.isOpen) {
      return;
    }
    if (!this.opening) {
      const connection = new Connection(this.url, {
        onMessage: (m) => this.receive(m),
        onClose: (e) => this.closed(connection, e),
        onProtocolError: (e) => {
          console.warn('IMPS: bad frame from the server', e);
          connection.close(1002, 'bad frame');
        },
      });
      this.connection = connection;
      this.setState('connecting');
      this.opening = connection
        .open()
        .then(() => this.hello())
        .finally(() => {
          this.opening = null;
        });
    }
    await this.opening;
    this.setState('open');
  }

  /** C_HELLO: the features this connection uses (a server without them grants none). */
  async hello() {
    try {
      const reply = await this.request({ type: Cmd.C_HELLO, version: 1, features: WANTED_FEATURES });
      this.granted = reply.features;
    } catch (e) {
      this.granted = 0;
      throw e;
    }
  }

  /** Sends a request; resolves with its reply, rejects with ImpsError or Disconnected. */
  request(message) {
    return this.pending.send(this.connection, message);
  }

  receive(message) {
    if (message.type === Cmd.S_STORED) {
      this.stored(message);
      return;
    }
    if (this.pending.settle(message)) {
      // An immediate S_ADDFRIEND_RSP(1) also makes a friend: the app wants to see it as well.
      if (message.type !== Cmd.S_ADDFRIEND_RSP) {
        return;
      }
    }
    if (message.type === Cmd.S_ERROR_RSP && message.code === ErrorCode.LOGGED_IN_ELSEWHERE) {
      this.forget();
      this.emit('kicked', {});
      return;
    }
    this.emit('push', message);
  }

  /**
   * A stored item: handed on once (a repeat of a Seq seen before is dropped), then acknowledged.
   * The handlers run synchronously, so what they keep is kept before the C_ACK leaves.
   */
  stored({ seq, item }) {
    if (this.items.received(seq)) {
      this.emit('push', { ...item, seq });
    }
    this.keepSession();
    this.items.ackLater(seq);
  }

  sendAck(seq) {
    if (this.connection?.isOpen) {
      // C_ACK names the last item received; it has no reply. Unsent, the items come again.
      this.connection.send({ type: Cmd.C_ACK, seq });
    }
  }

  keepSession() {
    if (this.user && this.token) {
      this.keep.saveSession({
        userName: this.user.userName,
        token: this.token,
        lastSeq: this.items.lastSeq,
        seen: this.items.seen,
      });
    }
  }

  closed(connection, event) {
    if (this.connection !== connection) {
      return;
    }
    this.connection = null;
    this.heartbeats.stop();
    this.items.dropAck();
    this.pending.failAll();
    this.setState('offline');
    this.emit('disconnected', event);
    if (this.canComeBack()) {
      this.scheduleReconnect();
    }
  }

  /** Whether the session can be taken up again without the user: a token or a password. */
  canComeBack() {
    return this.credentials !== null || this.token !== null;
  }

  scheduleReconnect() {
    clearTimeout(this.reconnectTimer);
    // 0.5 s, 1 s, 2 s, ... up to 30 s, each shortened by up to a half at random so that many
    // browsers dropped at once do not come back in step.
    const base = Math.min(30_000, 500 * 2 ** Math.min(this.attempt, 6));
    const delay = Math.round(base * (0.5 + Math.random() / 2));
    this.attempt++;
    this.emit('reconnecting', { inMs: delay, attempt: this.attempt });
    this.reconnectTimer = setTimeout(() => this.reconnect(), delay);
  }

  async reconnect() {
    this.reconnectTimer = null;
    if (!this.canComeBack()) {
      return;
    }
    try {
      await this.ensureOpen();
      if (this.token && this.has(Feature.ACKS)) {
        try {
          await this.resume(this.user.userName, this.token, { resumed: true });
          return;
        } catch (e) {
          if (!(e instanceof ImpsError && e.code === ErrorCode.BAD_CREDENTIALS)) {
            throw e;
          }
          // Token refused (revoked, expired): the password, when this tab has it, still works.
          this.token = null;
          if (!this.credentials) {
            throw e;
          }
        }
      }
      await this.login(this.credentials.userName, this.credentials.password, { resumed: true });
    } catch (e) {
      // A connection that never opened, or dropped, has already scheduled the next try (closed()).
      if (e instanceof ImpsError) {
        if (e.code === ErrorCode.BAD_CREDENTIALS) {
          this.forget();
          this.emit('loggedOut', { reason: 'credentials' });
        }
        // Throttled or a server error: closing schedules the next try while it can come back.
        this.connection?.close(1000, 'login failed');
      }
    }
  }

  /**
   * Takes up the session this tab kept before a reload (C_RESUME with its token). Resolves with
   * the user, or null when there is nothing to take up or the token is refused (then the tab
   * forgets it and the user logs in).
   */
  async resumeKept() {
    const kept = this.resumable;
    this.resumable = null;
    if (!kept) {
      return null;
    }
    this.items.restore(kept);
    try {
      await this.ensureOpen();
      if (!this.has(Feature.ACKS)) {
        throw new Error('the server no longer grants acknowledged delivery');
      }
      return await this.resume(kept.userName, kept.token, { resumed: false });
    } catch (e) {
      this.keep.clear();
      this.token = null;
      this.items.restore(null);
      this.connection?.close(1000, 'resume failed');
      return null;
    }
  }

  /** C_RESUME: logs in with the session token, naming the last stored item received. */
  async resume(userName, token, { resumed }) {
    const lastSeq = this.items.lastSeq;
    const reply = await this.request({ type: Cmd.C_RESUME, userName, token, lastSeq });
    return this.loggedIn(reply, { resumed });
  }

  /** C_REGISTER; resolves true when registered, false when the name is taken. */
  async register({ userName, password, gender, email }) {
    await this.ensureOpen();
    const reply = await this.request({ type: Cmd.C_REGISTER, userName, password, gender, email });
    return reply.response === 1;
  }

  /** C_LOGIN_REQ; remembers the credentials for reconnecting. */
  async login(userName, password, { resumed = false } = {}) {
    await this.ensureOpen();
    const reply = await this.request({ type: Cmd.C_LOGIN_REQ, userName, password });
    this.credentials = { userName, password };
    if (!resumed) {
      // Another user in this tab (or the same one anew): nothing of the kept session applies.
      const kept = this.keep.session();
      if (kept && kept.userName !== reply.userName) {
        this.keep.clear();
        this.items.restore(null);
      }
    }
    return this.loggedIn(reply, { resumed });
  }

  loggedIn(reply, { resumed }) {
    this.user = { userName: reply.userName, gender: reply.gender, email: reply.email };
    this.token = reply.token ?? null;
    this.keepSession();
    this.attempt = 0;
    this.setState('loggedIn');
    this.heartbeats.start();
    this.emit('login', { user: this.user, resumed });
    return this.user;
  }

  /** Signs out (C_STATUS_NOTIFY 0, after which the server closes) and stops reconnecting. */
  async logout() {
    const me = this.user?.userName;
    this.forget();
    if (me && this.connection?.isOpen) {
      try {
        await this.request({ type: Cmd.C_STATUS_NOTIFY, userName: me, status: Status.OFFLINE });
      } catch (e) {
        // closing anyway
      }
    }
    this.connection?.close();
    this.emit('loggedOut', { reason: 'logout' });
  }

  /**
   * After a password change, which revoked every session token (this tab's too): the connection is
   * closed and the tab logs in again with the new password, for a new token. Resolves at that login.
   */
  renewLogin(password) {
    this.credentials = { userName: this.user.userName, password };
    this.token = null;
    this.renewing = true;
    const next = new Promise((resolve, reject) => {
      const done = new AbortController();
      const settle = (ok) => {
        done.abort();
        this.renewing = false;
        if (ok) {
          resolve();
        } else {
          reject(new Disconnected());
        }
      };
      this.addEventListener('login', () => settle(true), { signal: done.signal });
      // Signed out instead (the new password refused, logged in elsewhere): no longer renewing.
      this.addEventListener('loggedOut', () => settle(false), { signal: done.signal });
      this.addEventListener('kicked', () => settle(false), { signal: done.signal });
    });
    this.connection?.close(1000, 'new password');
    return next;
  }

  /** The session is over for good on the server's side (the account is deleted). */
  ended(reason) {
    this.forget();
    this.connection?.close();
    this.emit('loggedOut', { reason });
  }

  forget() {
    this.credentials = null;
    this.token = null;
    this.keep.clear();
    clearTimeout(this.reconnectTimer);
    this.heartbeats.stop();
  }

  /** A heartbeat now, with the fixes waiting (net/heartbeat.js); resolves true when stored. */
  heartbeat() {
    return this.heartbeats.beat();
  }
}
