-- Read marks (C_READ, docs/PROTOCOL.md 8.8, decision 45): how far user_id has read peer_id's
-- messages, as the id of the newest message read. Unread counts (C_UNREAD_REQ) are the messages
-- after it, read through messages_conversation (sender_id, recipient_id, id).
CREATE TABLE read_marks (
  user_id  INTEGER NOT NULL REFERENCES users (id),
  peer_id  INTEGER NOT NULL REFERENCES users (id),
  up_to_id INTEGER NOT NULL,
  PRIMARY KEY (user_id, peer_id)
);
-- What was delivered before read marks existed counts as read: no client could report reading it
-- (only read receipts were kept, and only for senders who asked), and a server upgrade must not
-- show every old conversation as unread. What still waits for delivery stays unread.
INSERT INTO read_marks (user_id, peer_id, up_to_id)
  SELECT recipient_id, sender_id, MAX(id) FROM messages WHERE delivered = 1
  GROUP BY recipient_id, sender_id;
