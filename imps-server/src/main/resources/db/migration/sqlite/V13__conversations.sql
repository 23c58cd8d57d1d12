-- The conversation index off the writer's per-message path (docs/BENCHMARKS.md, "Medians of
-- three, and where the writer's time goes by index (ninth session)"). With many conversations,
-- each stored message landed on a leaf page of its own in messages_conversation (V6) and each group
-- commit wrote that page to the WAL: about 6 of the single writer's 27 us per message. The same
-- entries now live in a table that the writer fills itself (ConversationIndex): it keeps each
-- conversation's new entries in memory and inserts them in the first commit after the oldest is a
-- second old, so a hot leaf is written about once a second instead of once per message, a few
-- conversations per commit. (Filling every conversation at once, once a second, in one sorted
-- statement made that one commit write a leaf per conversation and stalled the writer for 50-150
-- ms on its fsync; that is only done after opening and after a rollback, for what was lost.)
-- - conversations: (sender_id, recipient_id, id) of every message up to the mark; no foreign keys
--   (the trigger below keeps it to the messages that exist).
-- - conversations_mark: every message up to it has its entry (rows above it may have theirs too),
--   advanced in the transactions that insert: ids are never reused (AUTOINCREMENT) and, with the
--   one writer, given out in commit order.
--   Readers (HistoryPages, ReadMarks, statements in Conversations) read conversations up to the
--   mark and the messages above it from messages by id (a rowid range of about a second of
--   messages), in one statement, so one snapshot; an unread count reads that range once for all
--   friends. Advancing a read mark (C_READ) runs on the writer: it inserts that conversation's
--   waiting entries first instead of reading that range. Crash safety: mark and rows commit
--   together; after a crash the first commit fills what is above the mark, nothing to recover.
-- - Deleting a message deletes its entry (if it has one yet) in the same transaction, by primary
--   key: a trigger, as the index did it, so that no way of deleting messages (retention purge,
--   account deletion, or one added later) can leave entries behind. Deleting an account now reads
--   the messages table once for what it sent as well as what it received (V9 found the former
--   through messages_conversation).
-- PostgreSQL keeps messages_conversation: several writers there commit ids out of order, so a mark
-- by id would not say what is filled in, and its writer is not the bottleneck (Dialect).
CREATE TABLE conversations (
  sender_id    INTEGER NOT NULL,
  recipient_id INTEGER NOT NULL,
  id           INTEGER NOT NULL,
  PRIMARY KEY (sender_id, recipient_id, id)
) WITHOUT ROWID;

CREATE TABLE conversations_mark (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  up_to_id INTEGER NOT NULL
);

INSERT INTO conversations (sender_id, recipient_id, id)
  SELECT sender_id, recipient_id, id FROM messages ORDER BY sender_id, recipient_id, id;
INSERT INTO conversations_mark (id, up_to_id) VALUES (1, COALESCE((SELECT MAX(id) FROM messages), 0));

CREATE TRIGGER conversations_forget AFTER DELETE ON messages
BEGIN
  DELETE FROM conversations
    WHERE sender_id = old.sender_id AND recipient_id = old.recipient_id AND id = old.id;
END;

DROP INDEX messages_conversation;
