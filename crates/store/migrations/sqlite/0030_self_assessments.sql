-- The job seeker's self-assessment: a 1-5 score per item at entry and at exit, answered in
-- their own channel; the change between the two is reported for the project.
CREATE TABLE self_assessments (
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    phase TEXT NOT NULL,
    item TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (participant_id, phase, item)
);
