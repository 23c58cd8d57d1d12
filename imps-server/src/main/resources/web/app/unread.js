// Unread counts kept by the server (UNREAD, PROTOCOL.md 8.8), so that they survive a reload and
// show on the next device: read at every login and resume (C_UNREAD_REQ), then kept up to date in
// the tab (state/store.js counts each message that arrives while its chat is not on screen, and
// chats.js reports what was read with C_READ, which moves the server's read mark).

import { Cmd, Feature } from './protocol/commands.js';

export class UnreadCounts {
  /**
   * @param {import('./state/store.js').AppState} state
   * @param {import('./net/session.js').Session} session
   * @param {import('./chats.js').Chats} chats
   */
  constructor(state, session, chats) {
    this.state = state;
    this.session = session;
    this.chats = chats;
  }

  /**
   * S_UNREAD_RSP replaces the tab's counts. The server counted every message up to AsOfSeq; those
   * this tab received with a higher Seq (on their way while it counted) and has not reported read
   * are added. A chat on screen is read: C_READ up to AsOfSeq covers also the messages the tab only
   * has from history (which carries no Seq).
   */
  async refresh() {
    if (!this.session.has(Feature.UNREAD)) {
      return;
    }
    const reply = await this.session.request({ type: Cmd.C_UNREAD_REQ });
    const s = this.state;
    const counts = new Map(reply.friends.map((f) => [f.name, f.count]));
    for (const [friend, entries] of s.conversations) {
      const read = this.chats.readUpTo.get(friend) ?? 0;
      const later = entries.filter((e) => !e.mine && e.seq > reply.asOfSeq && e.seq > read).length;
      if (later > 0) {
        counts.set(friend, (counts.get(friend) ?? 0) + later);
      }
    }
    s.unread = counts;
    for (const name of counts.keys()) {
      this.chats.readableUpTo.set(name, reply.asOfSeq);
    }
    if (s.selected && s.isReading(s.selected)) {
      s.unread.delete(s.selected);
      this.chats.markRead(s.selected);
    }
    s.changed('unread');
  }
}
