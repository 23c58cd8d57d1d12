-- Fewer indexes written per stored message (docs/BENCHMARKS.md, "2026-11-30: the throughput
-- regression"). The unique index on (recipient_id, seq) took every message into a B-tree ordered by
-- recipient, a write to a page of its own for nearly every message, and it was the most expensive
-- part of storing one. Sequence numbers stay unique without it: they are given out from
-- users.last_seq inside the storing transaction (Sequences). What it served:
-- - the delivery and read receipts' look-ups (messages that asked for receipts only): the partial
--   index below, which costs nothing for the others;
-- - the undelivered pages and quota: messages_undelivered, as before;
-- - deleting an account: now reads the table once for the messages it received (about 0.1 s per
--   million rows here; messages it sent are found through messages_conversation).
DROP INDEX messages_seq;
CREATE INDEX messages_receipts ON messages (recipient_id, seq) WHERE receipts = 1;

-- The undelivered-items quota (checked before every message is stored) counted its bytes by
-- reading the body of every message waiting for the recipient: a backlog made each new message
-- slower to store, the more so the longer the backlog. Each message now carries its size in bytes
-- (UTF-8 text, or the clip), and the index of undelivered messages holds it, so the check reads
-- index entries only. Sizes of delivered messages are not needed and stay 0.
ALTER TABLE messages ADD COLUMN body_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET body_bytes = COALESCE(OCTET_LENGTH(body_text), 0)
    + COALESCE(OCTET_LENGTH(body_audio), 0) WHERE delivered = 0;
DROP INDEX messages_undelivered;
CREATE INDEX messages_undelivered ON messages (recipient_id, seq, body_bytes) WHERE delivered = 0;
