-- Tracks (C_TRACK, docs/PROTOCOL.md 8.6, decision 40): each fix's own time as epoch milliseconds
-- and whether the user was visible when the server received it (a friend's track shows only those).
-- Rows stored before have no fix_at and are in no track.
ALTER TABLE locations ADD COLUMN fix_at INTEGER;
ALTER TABLE locations ADD COLUMN visible INTEGER NOT NULL DEFAULT 0;
-- A track is one range scan of one user's fixes in time order.
CREATE INDEX locations_track ON locations (user_id, fix_at);
