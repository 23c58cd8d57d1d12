-- Per-recipient sequence numbers for every stored item (messages and clips, friend requests, their
-- outcomes): users.last_seq is the last one given out; an item counts as delivered when its flag
-- is set (legacy connections) or its seq is at most users.acked_seq (acknowledged delivery).
ALTER TABLE users ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN acked_seq BIGINT NOT NULL DEFAULT 0;

ALTER TABLE messages ADD COLUMN seq BIGINT;
-- The sender's own id for the message (idempotent sends), or NULL.
ALTER TABLE messages ADD COLUMN client_id BIGINT;
-- When the message was accepted, in epoch milliseconds (for retention).
ALTER TABLE messages ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE friend_requests ADD COLUMN seq BIGINT;
ALTER TABLE request_outcomes ADD COLUMN seq BIGINT;

-- Items stored before this migration are numbered per recipient in the order a login sent them:
-- requests, outcomes, then messages, each in id order.
CREATE TEMP TABLE v2_seq AS
  SELECT kind, id, uid, ROW_NUMBER() OVER (PARTITION BY uid ORDER BY kind, id) AS seq
  FROM (
    SELECT 1 AS kind, id, to_id AS uid FROM friend_requests
    UNION ALL SELECT 2, id, user_id FROM request_outcomes
    UNION ALL SELECT 3, id, recipient_id FROM messages
  ) items;
UPDATE friend_requests f SET seq = s.seq FROM v2_seq s WHERE s.kind = 1 AND s.id = f.id;
UPDATE request_outcomes o SET seq = s.seq FROM v2_seq s WHERE s.kind = 2 AND s.id = o.id;
UPDATE messages m SET seq = s.seq FROM v2_seq s WHERE s.kind = 3 AND s.id = m.id;
UPDATE users u SET last_seq = s.last FROM (SELECT uid, MAX(seq) AS last FROM v2_seq GROUP BY uid) s
  WHERE s.uid = u.id;
DROP TABLE v2_seq;

CREATE UNIQUE INDEX messages_seq ON messages (recipient_id, seq);
DROP INDEX messages_undelivered;
CREATE INDEX messages_undelivered ON messages (recipient_id, seq) WHERE delivered = 0;
CREATE UNIQUE INDEX messages_client ON messages (sender_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX messages_created ON messages (created_at);
CREATE INDEX friend_requests_created ON friend_requests (created_at);

-- Session tokens for C_RESUME: only a hash of each token is stored.
CREATE TABLE session_tokens (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     BIGINT NOT NULL REFERENCES users (id),
  token_hash  BYTEA  NOT NULL UNIQUE,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX session_tokens_user ON session_tokens (user_id, id);
CREATE INDEX session_tokens_expiry ON session_tokens (expires_at);
