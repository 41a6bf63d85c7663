-- A message that can never go (an address no server takes, a permanent refusal) is given up
-- with the reason, instead of being tried every round for ever.
ALTER TABLE outbox ADD COLUMN failed_at TEXT;
ALTER TABLE outbox ADD COLUMN failure TEXT;
