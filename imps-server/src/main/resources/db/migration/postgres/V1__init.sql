-- IMPS schema, PostgreSQL: the same tables as the SQLite schema. Times of events are epoch
-- milliseconds; protocol times are text as sent. Flags are SMALLINT 0/1 so that the portable SQL
-- of the JDBC store (delivered = 0) runs unchanged on both databases.

-- Names sort and compare bytewise ("C"), as in SQLite, whatever the database's default collation.
CREATE TABLE users (
  id              BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name            TEXT     NOT NULL,
  name_key        TEXT     COLLATE "C" NOT NULL UNIQUE,
  password_hash   TEXT     NOT NULL,
  gender          SMALLINT NOT NULL,
  email           TEXT     NOT NULL,
  status_pref     SMALLINT NOT NULL DEFAULT 2,
  shared_time     TEXT     NOT NULL DEFAULT '',
  shared_location TEXT     NOT NULL DEFAULT '',
  created_at      BIGINT   NOT NULL
);

CREATE TABLE friendships (
  user_id    BIGINT NOT NULL REFERENCES users (id),
  friend_id  BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, friend_id)
);

CREATE TABLE friend_requests (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  from_id    BIGINT NOT NULL REFERENCES users (id),
  to_id      BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  UNIQUE (from_id, to_id)
);
CREATE INDEX friend_requests_to ON friend_requests (to_id, id);

CREATE TABLE request_outcomes (
  id         BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    BIGINT   NOT NULL REFERENCES users (id),
  other_id   BIGINT   NOT NULL REFERENCES users (id),
  accepted   SMALLINT NOT NULL,
  delivered  SMALLINT NOT NULL DEFAULT 0,
  created_at BIGINT   NOT NULL
);
CREATE INDEX request_outcomes_pending ON request_outcomes (user_id, id) WHERE delivered = 0;

-- Identity values are never reused, so id order is acceptance order for each sender (one
-- sender's messages are appended one after another). Across senders on different servers, ids
-- may commit out of order; the login backlog and live pushes together still deliver every one.
CREATE TABLE messages (
  id           BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sender_id    BIGINT   NOT NULL REFERENCES users (id),
  recipient_id BIGINT   NOT NULL REFERENCES users (id),
  body_text    TEXT,
  body_audio   BYTEA,
  accepted_at  TEXT     NOT NULL,
  delivered    SMALLINT NOT NULL DEFAULT 0
);
CREATE INDEX messages_undelivered ON messages (recipient_id, id) WHERE delivered = 0;

CREATE TABLE locations (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     BIGINT NOT NULL REFERENCES users (id),
  fix_time    TEXT   NOT NULL,
  location    TEXT   NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX locations_user ON locations (user_id, id);
CREATE INDEX locations_recorded ON locations (recorded_at);
