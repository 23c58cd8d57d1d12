-- Per-recipient sequence numbers for every stored item (messages and clips, friend requests, their
-- outcomes): users.last_seq is the last one given out; an item counts as delivered when its flag
-- is set (legacy connections) or its seq is at most users.acked_seq (acknowledged delivery).
ALTER TABLE users ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN acked_seq INTEGER NOT NULL DEFAULT 0;

ALTER TABLE messages ADD COLUMN seq INTEGER;
-- The sender's own id for the message (idempotent sends), or NULL.
ALTER TABLE messages ADD COLUMN client_id INTEGER;
-- When the message was accepted, in epoch milliseconds (for retention).
ALTER TABLE messages ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE friend_requests ADD COLUMN seq INTEGER;
ALTER TABLE request_outcomes ADD COLUMN seq INTEGER;

-- Items stored before this migration are numbered per recipient in the order a login sent them:
-- requests, outcomes, then messages, each in id order.
CREATE TEMP TABLE v2_items AS
  SELECT 1 AS kind, id, to_id AS uid FROM friend_requests
  UNION ALL SELECT 2, id, user_id FROM request_outcomes
  UNION ALL SELECT 3, id, recipient_id FROM messages;
CREATE TEMP TABLE v2_seq AS
  SELECT kind, id, uid, ROW_NUMBER() OVER (PARTITION BY uid ORDER BY kind, id) AS seq
  FROM v2_items;
UPDATE friend_requests SET seq = (SELECT seq FROM v2_seq WHERE kind = 1 AND v2_seq.id = friend_requests.id);
UPDATE request_outcomes SET seq = (SELECT seq FROM v2_seq WHERE kind = 2 AND v2_seq.id = request_outcomes.id);
UPDATE messages SET seq = (SELECT seq FROM v2_seq WHERE kind = 3 AND v2_seq.id = messages.id);
UPDATE users SET last_seq = COALESCE((SELECT MAX(seq) FROM v2_seq WHERE uid = users.id), 0);
DROP TABLE v2_seq;
DROP TABLE v2_items;

CREATE UNIQUE INDEX messages_seq ON messages (recipient_id, seq);
DROP INDEX messages_undelivered;
CREATE INDEX messages_undelivered ON messages (recipient_id, seq) WHERE delivered = 0;
CREATE UNIQUE INDEX messages_client ON messages (sender_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX messages_created ON messages (created_at);
CREATE INDEX friend_requests_created ON friend_requests (created_at);

-- Session tokens for C_RESUME: only a hash of each token is stored.
CREATE TABLE session_tokens (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  token_hash  BLOB    NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX session_tokens_user ON session_tokens (user_id, id);
CREATE INDEX session_tokens_expiry ON session_tokens (expires_at);
