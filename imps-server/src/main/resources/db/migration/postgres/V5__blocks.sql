-- Block lists (the SOCIAL extension, docs/PROTOCOL.md 8.5): user_id has blocked blocked_id. A block
-- ends the friendship and pending requests between the two; requests from blocked_id to user_id
-- are then ignored without being stored.
CREATE TABLE blocks (
  user_id    BIGINT NOT NULL REFERENCES users (id),
  blocked_id BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, blocked_id)
);
