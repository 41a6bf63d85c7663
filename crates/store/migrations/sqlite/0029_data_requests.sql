-- A job seeker's request, from their own channel, to correct or erase what is held about
-- them: it waits on the counsellor's front page until handled.
CREATE TABLE data_requests (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    kind TEXT NOT NULL,
    details TEXT NOT NULL,
    created_at TEXT NOT NULL,
    handled_at TEXT,
    handled_by INTEGER REFERENCES users(id)
);
CREATE INDEX data_requests_open ON data_requests(participant_id, handled_at);
