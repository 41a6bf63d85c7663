-- Tamper-evident audit log: each entry holds the hash of the one before it, and audit_head the
-- newest hash (one row, which also serialises writers). Entries from before the chain get their
-- hashes once, at start; after that the trigger refuses every change again.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT, ADD COLUMN hash TEXT;

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.id = OLD.id AND NEW.at = OLD.at
       AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id AND NEW.org_id IS NOT DISTINCT FROM OLD.org_id
       AND NEW.action = OLD.action AND NEW.entity = OLD.entity
       AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id AND NEW.detail = OLD.detail THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    hash TEXT NOT NULL,
    last_id BIGINT NOT NULL
);
-- The person's audit view and the right of access find the entries about a person's notes,
-- contacts and plan by their detail (participant=ID).
CREATE INDEX audit_detail ON audit_log(detail);
