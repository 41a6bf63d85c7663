-- The job seeker's self-assessment: a 1-5 score per item at entry and at exit, answered in
-- their own channel; the change between the two is reported for the project. Named
-- constraints, so a refusal says which rule it broke.
CREATE TABLE self_assessments (
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    phase TEXT NOT NULL,
    item TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    score BIGINT NOT NULL,
    CONSTRAINT self_assessments_pk PRIMARY KEY (participant_id, phase, item),
    CONSTRAINT self_assessment_on_the_scale CHECK (score BETWEEN 1 AND 5)
);
