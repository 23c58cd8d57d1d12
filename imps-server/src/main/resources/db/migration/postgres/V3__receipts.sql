-- Delivery and read receipts for senders who asked for them (the RECEIPTS extension): one row per
-- sender, recipient and state, cumulative over the sender's client message ids; each change gives
-- the row a new sequence number among the sender's stored items, so it is delivered again.
ALTER TABLE messages ADD COLUMN receipts SMALLINT NOT NULL DEFAULT 0;

CREATE TABLE receipts (
  id        BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id   BIGINT   NOT NULL REFERENCES users (id),
  peer_id   BIGINT   NOT NULL REFERENCES users (id),
  state     SMALLINT NOT NULL,
  up_to     BIGINT   NOT NULL,
  seq       BIGINT   NOT NULL,
  UNIQUE (user_id, peer_id, state)
);
CREATE INDEX receipts_seq ON receipts (user_id, seq);
