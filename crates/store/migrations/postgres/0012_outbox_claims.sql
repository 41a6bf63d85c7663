-- A node claims a message before sending it, so two nodes never send it twice; a claim left by
-- a node that stopped mid-send expires and the message is sent again (at least once).
ALTER TABLE outbox ADD COLUMN claimed_at TEXT;
