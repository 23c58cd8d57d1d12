// The heartbeat: C_HEARTBEAT_REQ every period (a minute) while logged in, carrying the location
// fixes waiting for it (geo.js puts them there, and asks for a heartbeat at once when it has one).

import { Cmd, ErrorCode } from '../protocol/commands.js';
import { ImpsError } from './replies.js';

export class Heartbeat {
  /**
   * @param {import('./session.js').Session} session whose user, state and requests it uses
   * @param {number} periodMs heartbeat period
   * @param {{take: Function, putBack: Function}} fixes the location fixes waiting
   */
  constructor(session, periodMs, fixes) {
    this.session = session;
    this.periodMs = periodMs;
    this.fixes = fixes;
    this.timer = null;
  }

  start() {
    this.stop();
    this.timer = setInterval(() => this.beat(), this.periodMs);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * C_HEARTBEAT_REQ with the fixes waiting. Resolves true when the server stored them; fixes that
   * could not be sent wait for the next heartbeat (the whole heartbeat is refused when one fix is
   * invalid: those are dropped, since they would be refused again).
   */
  async beat() {
    const session = this.session;
    if (session.state !== 'loggedIn') {
      return false;
    }
    const fixes = this.fixes.take();
    try {
      await session.request({ type: Cmd.C_HEARTBEAT_REQ, userName: session.user.userName, fixes });
      return true;
    } catch (e) {
      if (!(e instanceof ImpsError && e.code === ErrorCode.MALFORMED)) {
        this.fixes.putBack(fixes);
      }
      return false;
    }
  }
}
