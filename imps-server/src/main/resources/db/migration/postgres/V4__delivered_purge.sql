-- Delivered messages that still hold a body, by age: the purge of delivered messages and clips
-- (history.retention) reads only these, and a row leaves the index once its body is gone.
CREATE INDEX messages_delivered_bodies ON messages (created_at)
  WHERE delivered = 1 AND (body_text IS NOT NULL OR body_audio IS NOT NULL);
