-- The job seeker's own channel: one-time sign-in codes sent by e-mail (only a keyed hash is
-- kept; each expires, is used once and allows a few tries), steps the participant adds to
-- their own plan, and finding a participant by the address they sign in with.
CREATE TABLE portal_codes (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    code_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX portal_codes_participant ON portal_codes(participant_id, created_at);
ALTER TABLE steps ADD COLUMN by_participant INTEGER NOT NULL DEFAULT 0;
CREATE INDEX participants_email ON participants(email);
