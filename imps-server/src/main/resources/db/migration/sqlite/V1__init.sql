-- IMPS schema, SQLite. Times of events are epoch milliseconds; protocol times are text as sent.
CREATE TABLE users (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  name            TEXT    NOT NULL,
  name_key        TEXT    NOT NULL UNIQUE,
  password_hash   TEXT    NOT NULL,
  gender          INTEGER NOT NULL,
  email           TEXT    NOT NULL,
  status_pref     INTEGER NOT NULL DEFAULT 2,
  shared_time     TEXT    NOT NULL DEFAULT '',
  shared_location TEXT    NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL
);

CREATE TABLE friendships (
  user_id    INTEGER NOT NULL REFERENCES users (id),
  friend_id  INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, friend_id)
) WITHOUT ROWID;

CREATE TABLE friend_requests (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  from_id    INTEGER NOT NULL REFERENCES users (id),
  to_id      INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  UNIQUE (from_id, to_id)
);
CREATE INDEX friend_requests_to ON friend_requests (to_id, id);

CREATE TABLE request_outcomes (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  other_id   INTEGER NOT NULL REFERENCES users (id),
  accepted   INTEGER NOT NULL,
  delivered  INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX request_outcomes_pending ON request_outcomes (user_id, id) WHERE delivered = 0;

-- AUTOINCREMENT: ids are never reused, so id order is acceptance order for good.
CREATE TABLE messages (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  sender_id    INTEGER NOT NULL REFERENCES users (id),
  recipient_id INTEGER NOT NULL REFERENCES users (id),
  body_text    TEXT,
  body_audio   BLOB,
  accepted_at  TEXT    NOT NULL,
  delivered    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_undelivered ON messages (recipient_id, id) WHERE delivered = 0;

CREATE TABLE locations (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  fix_time    TEXT    NOT NULL,
  location    TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX locations_user ON locations (user_id, id);
CREATE INDEX locations_recorded ON locations (recorded_at);
