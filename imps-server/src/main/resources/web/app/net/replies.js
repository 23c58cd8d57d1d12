// What a request's reply is, and the errors a request rejects with. Every request gets exactly one
// reply, in request order (spec 7.1); Session (session.js) matches the replies to its FIFO queue of
// pending requests with isReplyTo.

import { Cmd, cmdName } from '../protocol/commands.js';

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
