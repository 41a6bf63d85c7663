-- Messages between a job seeker and the staff of their organisation: personal data, audited,
-- in the person's record, exported and erased with it.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    -- 1: the participant wrote it; 0: a staff member (author_id) did.
    from_participant INTEGER NOT NULL,
    author_id INTEGER REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- When the other side read it.
    read_at TEXT
);
CREATE INDEX messages_participant ON messages(participant_id, id);
