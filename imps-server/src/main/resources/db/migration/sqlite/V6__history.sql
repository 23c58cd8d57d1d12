-- Conversation history (C_HISTORY): one user's messages to another in id order, so a page of the
-- conversation between two users is two bounded range scans (one per direction) merged by id.
CREATE INDEX messages_conversation ON messages (sender_id, recipient_id, id);
