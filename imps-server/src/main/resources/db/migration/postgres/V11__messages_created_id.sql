-- A history page first finds the oldest message inside the retention, ORDER BY created_at, id
-- LIMIT 1. An index on created_at alone does not order ties by id on PostgreSQL, so with many
-- messages of one created_at (a bulk load or an import) the planner scanned and sorted the table
-- (336-369 ms per page with 10^6 messages, docs/BENCHMARKS.md). SQLite's index on created_at holds
-- the rowid (the id) after it already, so SQLite has no V11. The purge's range on created_at uses
-- this index as it used the old one.
DROP INDEX messages_created;
CREATE INDEX messages_created ON messages (created_at, id);
