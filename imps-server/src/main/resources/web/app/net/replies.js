// Requests matched to their replies: what a request's reply is, the queue of requests waiting for
// theirs, and the errors a request rejects with. Every request gets exactly one reply, in request
// order (spec 7.1), so replies are matched to a FIFO queue of pending requests (PendingRequests,
// one for Session in session.js). Everything else the server sends is a push.

import { Cmd, cmdName, ErrorCode } from '../protocol/commands.js';

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
  [Cmd.C_HELLO]: Cmd.S_HELLO,
  [Cmd.C_RESUME]: Cmd.S_LOGIN_RSP,
  [Cmd.C_HISTORY]: Cmd.S_HISTORY,
  [Cmd.C_BLOCKLIST_REQ]: Cmd.S_BLOCKLIST_RSP,
  [Cmd.C_LOGIN_REQ]: Cmd.S_LOGIN_RSP,
  [Cmd.C_REGISTER]: Cmd.S_REGISTER,
  [Cmd.C_HEARTBEAT_REQ]: Cmd.S_HEARTBEAT_RSP,
  [Cmd.C_FRIENDLIST_REFURBISH_REQ]: Cmd.S_FRIENDLIST_REFURBISH_RSP,
  [Cmd.C_ADDFRIEND_REQ]: Cmd.S_ADDFRIEND_RSP,
  [Cmd.C_TRACK]: Cmd.S_TRACK,
  [Cmd.C_UNREAD_REQ]: Cmd.S_UNREAD_RSP,
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

/** The requests sent on the current connection that wait for their replies, oldest first. */
export class PendingRequests {
  constructor() {
    this.queue = [];
  }

  /**
   * Sends {@code message} on {@code connection}; resolves with its reply, rejects with ImpsError
   * or Disconnected.
   */
  send(connection, message) {
    return new Promise((resolve, reject) => {
      if (!connection?.isOpen) {
        reject(new Disconnected());
        return;
      }
      const entry = { message, resolve, reject };
      this.queue.push(entry);
      try {
        connection.send(message);
      } catch (e) {
        this.queue.splice(this.queue.indexOf(entry), 1);
        reject(e);
      }
    });
  }

  /**
   * When {@code message} is the reply to the oldest pending request, settles that request (an
   * S_ERROR_RSP with a non-zero code rejects it with ImpsError) and returns true.
   */
  settle(message) {
    const head = this.queue[0];
    if (!head || !isReplyTo(head.message, message)) {
      return false;
    }
    this.queue.shift();
    if (message.type === Cmd.S_ERROR_RSP && message.code !== ErrorCode.SUCCESS) {
      head.reject(new ImpsError(message.code, message.cmd));
    } else {
      head.resolve(message);
    }
    return true;
  }

  /** The connection is gone: every request still pending rejects with Disconnected. */
  failAll() {
    const failed = this.queue;
    this.queue = [];
    for (const p of failed) {
      p.reject(new Disconnected());
    }
  }
}
