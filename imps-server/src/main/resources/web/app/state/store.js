// What the app knows, in one place, with a 'change' event naming the part that changed. The UI
// renders from here; the client (client.js) is the only writer.

import { Status } from '../protocol/commands.js';

/** "lat,lon" → {lat, lon}, or null when the friend has no known position. */
export function parseLocation(text) {
  if (!text) {
    return null;
  }
  const parts = text.split(',');
  if (parts.length !== 2) {
    return null;
  }
  const lat = Number(parts[0]);
  const lon = Number(parts[1]);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    return null;
  }
  return { lat, lon };
}

/** Whether a history entry and an entry shown are the same message (same way, same content). */
function sameMessage(p, e) {
  if (p.mine !== e.mine || p.kind !== e.kind) {
    return false;
  }
  return p.kind === 'text' ? p.text === e.text : p.data?.length === e.data?.length;
}

export class AppState extends EventTarget {
  constructor() {
    super();
    this.reset();
  }

  /** Back to logged out: nothing of the last user stays. */
  reset() {
    this.me = null;
    this.connection ??= 'offline';
    this.visible = true;
    /**
     * name → {name, status, time, location, position: {lat, lon} | null, rev}. Each change of a
     * friend takes the next {@code friendsRev} as its rev, and {@code namesRev} grows when
     * friends come or go: a screen that keeps the revs it drew redraws only what changed, without
     * comparing 500 friends' contents on every pushed position.
     */
    this.friends = new Map();
    this.friendsRev = (this.friendsRev ?? 0) + 1;
    this.namesRev = (this.namesRev ?? 0) + 1;
    /** Names of users whose friend request waits for my answer. */
    this.incoming = new Set();
    /** name → 'pending' | 'refused' | 'unknown' | 'full': requests I sent. */
    this.outgoing = new Map();
    /** name → [{id, mine, kind: 'text'|'audio', text, data, datetime, state, error}] */
    this.conversations = new Map();
    this.unread = new Map();
    /** name → {loaded, more, oldestId, loading}: how far C_HISTORY has paged back. */
    this.history = new Map();
    /** Users I block (C_BLOCKLIST_REQ), in name order. */
    this.blocked = [];
    this.selected = null;
    this.view = 'friends';
    this.notice = null;
    this.sharing = false;
    this.myPosition = null;
    this.changed('all');
  }

  changed(part) {
    this.dispatchEvent(new CustomEvent('change', { detail: part }));
  }

  /** The friend list as the server sent it; a friend whose entry did not change keeps its rev. */
  setFriends(list) {
    const next = new Map();
    let names = list.length !== this.friends.size;
    for (const f of list) {
      const old = this.friends.get(f.name);
      names ||= !old;
      const same =
        old && old.status === f.status && old.time === f.time && old.location === f.location;
      next.set(f.name, same ? old : this.friendEntry(f));
    }
    this.friends = next;
    if (names) {
      this.namesRev++;
    }
    this.changed('friends');
  }

  upsertFriend(f) {
    if (!this.friends.has(f.name)) {
      this.namesRev++;
    }
    this.friends.set(f.name, this.friendEntry(f));
    this.changed('friends');
  }

  /** S_FRIEND_REMOVED and the like; false when {@code name} was no friend. */
  removeFriend(name) {
    if (!this.friends.delete(name)) {
      return false;
    }
    this.namesRev++;
    this.friendsRev++;
    this.changed('friends');
    return true;
  }

  friendEntry(f) {
    return { ...f, position: parseLocation(f.location), rev: ++this.friendsRev };
  }

  /** S_LOCATION: a friend's new position (ignored for someone who is no longer a friend). */
  setFriendLocation(name, time, location) {
    const f = this.friends.get(name);
    const position = parseLocation(location);
    if (f && position) {
      f.time = time;
      f.location = location;
      f.position = position;
      f.rev = ++this.friendsRev;
      this.changed('friends');
    }
  }

  setFriendStatus(name, status) {
    const f = this.friends.get(name);
    if (f) {
      f.status = status;
      f.rev = ++this.friendsRev;
      this.changed('friends');
    }
  }

  isOnline(name) {
    return this.friends.get(name)?.status === Status.ONLINE;
  }

  conversation(name) {
    let c = this.conversations.get(name);
    if (!c) {
      c = [];
      this.conversations.set(name, c);
    }
    return c;
  }

  /** Whether the chat with {@code friend} is on screen. */
  isReading(friend) {
    return this.selected === friend && this.view === 'chat' && !document.hidden;
  }

  addMessage(friend, entry) {
    this.conversation(friend).push(entry);
    if (!entry.mine && !this.isReading(friend)) {
      this.unread.set(friend, (this.unread.get(friend) ?? 0) + 1);
    }
    this.changed({ conversation: friend, entry });
  }

  historyOf(name) {
    let h = this.history.get(name);
    if (!h) {
      h = { loaded: false, more: true, oldestId: 0, loading: false };
      this.history.set(name, h);
    }
    return h;
  }

  /**
   * The newest page of history (oldest first) becomes the record of what the server stored: an
   * entry shown already (received live, sent from here, kept across a reload) that the page holds
   * is kept, with its marks, in the page's place; entries the server has not stored yet (sending,
   * failed) and ones that arrived after the page was read follow it. Kept entries older than the
   * page go: scrolling up brings them back from the server.
   */
  mergeNewest(friend, page) {
    const byId = new Map(page.map((e, i) => [e.historyId, i]));
    const placed = new Map();
    const after = [];
    let cursor = 0;
    for (const e of this.conversation(friend)) {
      let at = -1;
      if (e.historyId !== undefined) {
        if (!byId.has(e.historyId)) {
          continue;
        }
        at = byId.get(e.historyId);
      } else if (e.state !== 'sending' && e.state !== 'failed') {
        for (let k = cursor; k < page.length; k++) {
          if (!placed.has(k) && sameMessage(page[k], e)) {
            at = k;
            break;
          }
        }
      }
      if (at >= 0 && !placed.has(at)) {
        e.historyId = page[at].historyId;
        placed.set(at, e);
        cursor = at + 1;
      } else {
        after.push(e);
      }
    }
    this.conversations.set(friend, [...page.map((p, i) => placed.get(i) ?? p), ...after]);
  }

  /** An older page (oldest first) goes before what is shown; entries shown already are skipped. */
  prependOlder(friend, page) {
    const c = this.conversation(friend);
    const shown = new Set(c.map((e) => e.historyId).filter((id) => id !== undefined));
    this.conversations.set(friend, [...page.filter((e) => !shown.has(e.historyId)), ...c]);
  }

  updateMessage(friend, entry) {
    this.changed({ conversation: friend, entry, update: true });
  }

  select(name) {
    this.selected = name;
    this.unread.delete(name);
    this.changed('selected');
  }

  setView(view) {
    this.view = view;
    if (view === 'chat' && this.selected) {
      this.unread.delete(this.selected);
    }
    this.changed('view');
  }

  /** A line for the banner: kind is 'info', 'error' or 'offline'; null clears it. */
  setNotice(text, kind = 'info') {
    this.notice = text == null ? null : { text, kind, at: Date.now() };
    this.changed('notice');
  }
}
