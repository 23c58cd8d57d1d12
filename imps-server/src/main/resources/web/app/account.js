// The account (SOCIAL, PROTOCOL.md 8.5): changing the password and deleting the account, each
// confirmed with the current password.

import { Cmd, Feature } from './protocol/commands.js';

export class Account {
  /**
   * @param {import('./net/session.js').Session} session
   */
  constructor(session) {
    this.session = session;
  }

  /** Whether the server offers these (it granted SOCIAL). */
  get available() {
    return this.session.has(Feature.SOCIAL);
  }

  /**
   * C_PASSWD. The server then revokes every session token of the user (other windows and devices
   * log in again with the new password), this tab's as well: the tab logs in again with the new
   * password for a new token, so that a reload still takes up the session. Resolves once it has.
   */
  async changePassword(current, next) {
    await this.session.request({ type: Cmd.C_PASSWD, oldPassword: current, newPassword: next });
    await this.session.renewLogin(next);
  }

  /**
   * C_DELETE_ACCOUNT: the account and everything stored of it go, and the server closes the
   * connection; this tab forgets the session and what it kept of the user.
   */
  async deleteAccount(password) {
    const me = this.session.user.userName;
    await this.session.request({ type: Cmd.C_DELETE_ACCOUNT, password });
    // The name is free at once: a new account of that name starts with nothing of this one.
    localStorage.removeItem(`imps.invisible.${me}`);
    this.session.ended('deleted');
  }
}
