-- The six-month follow-up after leaving: a task for the counsellor, then its finding.
CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL UNIQUE REFERENCES participants(id),
    due_date TEXT NOT NULL,
    done_at TEXT,
    status TEXT,
    improved INTEGER,
    recorded_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups(due_date);
