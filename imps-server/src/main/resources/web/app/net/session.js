// The client side of a session: one connection at a time, requests matched to their replies,
// pushes handed on, a heartbeat every minute, and reconnecting with backoff after a drop.
//
// Every request gets exactly one reply, in request order (spec 7.1), so replies are matched to a
// FIFO queue of pending requests. Everything else the server sends is a push.
//
// Reconnecting logs in again with the credentials given to login(), kept in memory only. The
// lossless-delivery extension (issue 12) will replace that with a resume token, and resend the
// outbox from the last sequence number the server acknowledged: `outbox` and `lastAckedSeq` are
// the slots it will fill.

import { Connection, defaultSocketUrl } from './connection.js';
import { Cmd, ErrorCode, Status, cmdName } from '../protocol/commands.js';

/** An S_ERROR_RSP with a non-zero code, as the answer to a request. */
export class ImpsError extends Error {
  constructor(code, cmd) {
    super(`error ${code} for ${cmdName(cmd)}`);
    this.name = 'ImpsError';
    this.code = code;
    this.cmd = cmd;
  }
}

/** The connection went away before the request's reply arrived. */
export class Disconnected extends Error {
  constructor() {
    super('the connection to the server was lost');
    this.name = 'Disconnected';
  }
}

const REPLY_OF = {
  [Cmd.C_LOGIN_REQ]: Cmd.S_LOGIN_RSP,
  [Cmd.C_REGISTER]: Cmd.S_REGISTER,
  [Cmd.C_HEARTBEAT_REQ]: Cmd.S_HEARTBEAT_RSP,
  [Cmd.C_FRIENDLIST_REFURBISH_REQ]: Cmd.S_FRIENDLIST_REFURBISH_RSP,
  [Cmd.C_ADDFRIEND_REQ]: Cmd.S_ADDFRIEND_RSP,
};

const sameName = (a, b) =>
  typeof a === 'string' &&
  typeof b === 'string' &&
  a.normalize('NFKC').toLowerCase() === b.normalize('NFKC').toLowerCase();

/** Whether {@code message} is the reply to the pending {@code request}. */
export function isReplyTo(request, message) {
  if (message.type === Cmd.S_ERROR_RSP) {
    return message.cmd !== 0 && message.cmd === request.type;
  }
  if (REPLY_OF[request.type] !== message.type) {
    return false;
  }
  // S_ADDFRIEND_RSP is also pushed (the outcome of an earlier request): it is this request's
  // immediate reply only when it names the user asked for.
  return message.type !== Cmd.S_ADDFRIEND_RSP || sameName(message.userName, request.friendName);
}

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
  } = {}) {
    super();
    this.url = url;
    this.heartbeatMs = heartbeatMs;
    this.fixes = fixes;
    this.connection = null;
    this.opening = null;
    this.pending = [];
    this.user = null;
    this.credentials = null;
    this.state = 'offline';
    this.attempt = 0;
    this.reconnectTimer = null;
    this.heartbeatTimer = null;
    // Slots of the lossless-delivery extension (issue 12), unused until the server speaks it.
    this.outbox = [];
    this.lastAckedSeq = null;
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
      this.opening = connection.open().finally(() => {
        this.opening = null;
      });
    }
    await this.opening;
    this.setState('open');
  }

  /** Sends a request; resolves with its reply, rejects with ImpsError or Disconnected. */
  request(message) {
    return new Promise((resolve, reject) => {
      if (!this.connection?.isOpen) {
        reject(new Disconnected());
        return;
      }
      const entry = { message, resolve, reject };
      this.pending.push(entry);
      try {
        this.connection.send(message);
      } catch (e) {
        this.pending.splice(this.pending.indexOf(entry), 1);
        reject(e);
      }
    });
  }

  receive(message) {
    const head = this.pending[0];
    if (head && isReplyTo(head.message, message)) {
      this.pending.shift();
      if (message.type === Cmd.S_ERROR_RSP && message.code !== ErrorCode.SUCCESS) {
        head.reject(new ImpsError(message.code, message.cmd));
      } else {
        head.resolve(message);
      }
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

  closed(connection, event) {
    if (this.connection !== connection) {
      return;
    }
    this.connection = null;
    this.stopHeartbeat();
    const failed = this.pending;
    this.pending = [];
    for (const p of failed) {
      p.reject(new Disconnected());
    }
    this.setState('offline');
    this.emit('disconnected', event);
    if (this.credentials) {
      this.scheduleReconnect();
    }
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
    if (!this.credentials) {
      return;
    }
    try {
      await this.ensureOpen();
      await this.login(this.credentials.userName, this.credentials.password, { resumed: true });
    } catch (e) {
      // A connection that never opened, or dropped, has already scheduled the next try (closed()).
      if (e instanceof ImpsError) {
        if (e.code === ErrorCode.BAD_CREDENTIALS) {
          this.forget();
          this.emit('loggedOut', { reason: 'credentials' });
        }
        // Throttled or a server error: closing schedules the next try while credentials remain.
        this.connection?.close(1000, 'login failed');
      }
    }
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
    this.user = { userName: reply.userName, gender: reply.gender, email: reply.email };
    this.credentials = { userName, password };
    this.attempt = 0;
    this.setState('loggedIn');
    this.startHeartbeat();
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

  forget() {
    this.credentials = null;
    clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
  }

  startHeartbeat() {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.heartbeatMs);
  }

  stopHeartbeat() {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /**
   * C_HEARTBEAT_REQ with the fixes waiting. Resolves true when the server stored them; fixes that
   * could not be sent wait for the next heartbeat (the whole heartbeat is refused when one fix is
   * invalid: those are dropped, since they would be refused again).
   */
  async heartbeat() {
    if (this.state !== 'loggedIn') {
      return false;
    }
    const fixes = this.fixes.take();
    try {
      await this.request({ type: Cmd.C_HEARTBEAT_REQ, userName: this.user.userName, fixes });
      return true;
    } catch (e) {
      if (!(e instanceof ImpsError && e.code === ErrorCode.MALFORMED)) {
        this.fixes.putBack(fixes);
      }
      return false;
    }
  }
}
