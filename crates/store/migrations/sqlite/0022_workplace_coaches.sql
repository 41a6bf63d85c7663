-- Workplace coaches (työpaikkaohjaajat): people at an employer who guide a placed participant,
-- the training days a project holds for them and who attended, and which placements each
-- supported. Supervision and follow-up meetings of a placement.
CREATE TABLE workplace_coaches (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers(id),
    name TEXT NOT NULL,
    -- Lower-cased name: a placement's coach typed by name finds the same person again.
    name_key TEXT NOT NULL,
    role TEXT,
    phone TEXT,
    email TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (employer_id, name_key)
);

CREATE TABLE coach_trainings (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    project_id INTEGER REFERENCES projects(id),
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    hours INTEGER NOT NULL DEFAULT 0,
    place TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX coach_trainings_org ON coach_trainings(org_id, date);

CREATE TABLE coach_training_attendance (
    training_id INTEGER NOT NULL REFERENCES coach_trainings(id),
    coach_id INTEGER NOT NULL REFERENCES workplace_coaches(id),
    -- invited | present | absent
    status TEXT NOT NULL,
    PRIMARY KEY (training_id, coach_id)
);
CREATE INDEX coach_training_attendance_coach ON coach_training_attendance(coach_id);

ALTER TABLE placements ADD COLUMN coach_id INTEGER REFERENCES workplace_coaches(id);
CREATE INDEX placements_coach ON placements(coach_id);

CREATE TABLE placement_meetings (
    id INTEGER PRIMARY KEY,
    placement_id INTEGER NOT NULL REFERENCES placements(id),
    -- supervision | follow_up
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    notes TEXT,
    recorded_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX placement_meetings_placement ON placement_meetings(placement_id, date);

-- Who took part in an interaction with an employer: staff, the employer's contact persons and
-- participants (anyone else is only counted, in others_count).
CREATE TABLE interaction_attendees (
    interaction_id INTEGER NOT NULL REFERENCES employer_interactions(id),
    -- staff | contact | participant
    kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    PRIMARY KEY (interaction_id, kind, ref_id)
);
CREATE INDEX interaction_attendees_ref ON interaction_attendees(kind, ref_id);
