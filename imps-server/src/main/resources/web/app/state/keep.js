// What one browser tab keeps across a reload, in sessionStorage: the session token and where the
// stored items stand (for C_RESUME and for dropping repeats), and the conversations shown, with
// the messages still on their way (so a reload neither loses nor repeats one).
//
// Why sessionStorage may hold the token: it belongs to this tab only (other tabs and windows do
// not see it, and it is gone when the tab closes), it is never sent anywhere by the browser on
// its own (no cookie, so no cross-site request can use it), and only the page's own scripts can
// read it, which the strict Content-Security-Policy (scripts from this server only, none inline)
// protects. The token is not the password (that stays in memory only), lasts at most
// session.token-ttl, and is revoked on the server by logging out. A page that cannot use
// sessionStorage (disabled storage) simply asks for the password after a reload.

const SESSION = 'imps.session';
const SEEN_KEPT = 500;
const ENTRIES_KEPT = 200;

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    out[i] = s.charCodeAt(i);
  }
  return out;
}

export class TabKeep {
  constructor(storage = globalThis.sessionStorage) {
    this.storage = storage;
  }

  read(key) {
    try {
      const text = this.storage?.getItem(key);
      return text ? JSON.parse(text) : null;
    } catch (e) {
      return null;
    }
  }

  write(key, value) {
    try {
      this.storage?.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Full or disabled storage: a reload then asks for the password, nothing else breaks.
      console.warn('IMPS: cannot keep the session in this tab', e);
    }
  }

  /** {userName, token, lastSeq, seen: number[]} of the tab's session, or null. */
  session() {
    return this.read(SESSION);
  }

  saveSession({ userName, token, lastSeq, seen }) {
    this.write(SESSION, { userName, token, lastSeq, seen: [...seen].slice(-SEEN_KEPT) });
  }

  /** Forgets everything of the tab's session (log out, signed out elsewhere, token refused). */
  clear() {
    const s = this.session();
    this.storage?.removeItem(SESSION);
    if (s) {
      this.storage?.removeItem(conversationsKey(s.userName));
    }
  }

  /** name → entries, as saveConversations stored them for {@code user}. */
  conversations(user) {
    const kept = this.read(conversationsKey(user)) ?? {};
    const out = new Map();
    for (const [friend, entries] of Object.entries(kept)) {
      out.set(
        friend,
        entries.map((e) => (e.data !== undefined ? { ...e, data: fromBase64(e.data) } : e)),
      );
    }
    return out;
  }

  saveConversations(user, conversations) {
    const kept = {};
    for (const [friend, entries] of conversations) {
      kept[friend] = entries
        .slice(-ENTRIES_KEPT)
        .map((e) => (e.data !== undefined ? { ...e, data: toBase64(e.data) } : e));
    }
    this.write(conversationsKey(user), kept);
  }
}

function conversationsKey(user) {
  return `imps.conversations.${user}`;
}
