-- Tamper-evident audit log: each entry holds the hash of the one before it, and audit_head the
-- newest hash (one row, which also serialises writers). Entries from before the chain get their
-- hashes once, at start; after that the trigger refuses every change again.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
  OR NEW.user_id IS NOT OLD.user_id OR NEW.org_id IS NOT OLD.org_id OR NEW.action IS NOT OLD.action
  OR NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id OR NEW.detail IS NOT OLD.detail
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hash TEXT NOT NULL,
    last_id INTEGER NOT NULL
);
-- The person's audit view and the right of access find the entries about a person's notes,
-- contacts and plan by their detail (participant=ID).
CREATE INDEX audit_detail ON audit_log(detail);
