-- The writer keeps the users' sequence counters in memory and writes users.last_seq about once a
-- second (SequenceCounters). Each such flush records here the highest message id then stored: on
-- start-up, users.last_seq is raised to the highest seq of the messages above it (and of the small
-- item tables), which recovers every number given out after the last flush.
CREATE TABLE seq_flush (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  messages_id INTEGER NOT NULL
);
INSERT INTO seq_flush (id, messages_id) VALUES (1, COALESCE((SELECT MAX(id) FROM messages), 0));
