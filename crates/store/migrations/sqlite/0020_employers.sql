-- Employers in an organisation's register, their contact persons, the timeline of interactions,
-- openings with the participants proposed to them, and placements with their extensions.
CREATE TABLE employers (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    business_id TEXT NOT NULL,
    name TEXT NOT NULL,
    -- Lower-cased name, for finding duplicates and searching by name.
    name_key TEXT NOT NULL,
    industry TEXT,
    size_class TEXT,
    municipality TEXT,
    address TEXT,
    contact_consent INTEGER NOT NULL DEFAULT 0,
    owner_id INTEGER REFERENCES users(id),
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (org_id, business_id)
);
CREATE INDEX employers_name ON employers(org_id, name_key);

CREATE TABLE employer_contacts (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers(id),
    name TEXT NOT NULL,
    role TEXT,
    phone TEXT,
    email TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX employer_contacts_employer ON employer_contacts(employer_id);

CREATE TABLE employer_interactions (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers(id),
    project_id INTEGER REFERENCES projects(id),
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    summary TEXT NOT NULL,
    needs TEXT,
    others_count INTEGER NOT NULL DEFAULT 0,
    follow_up_date TEXT,
    follow_up_task TEXT,
    follow_up_done INTEGER NOT NULL DEFAULT 0,
    recorded_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX employer_interactions_employer ON employer_interactions(employer_id, date);
CREATE INDEX employer_interactions_project ON employer_interactions(project_id, date);

CREATE TABLE openings (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers(id),
    project_id INTEGER REFERENCES projects(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    places INTEGER NOT NULL DEFAULT 1,
    deadline TEXT,
    requirements TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX openings_employer ON openings(employer_id);
CREATE INDEX openings_status ON openings(status, deadline);

CREATE TABLE opening_proposals (
    opening_id INTEGER NOT NULL REFERENCES openings(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    status TEXT NOT NULL,
    proposed_by INTEGER REFERENCES users(id),
    proposed_at TEXT NOT NULL,
    answered_at TEXT,
    PRIMARY KEY (opening_id, participant_id)
);
CREATE INDEX opening_proposals_participant ON opening_proposals(participant_id);

-- ends_on is the current end: the first period's, or the last extension's.
CREATE TABLE placements (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    opening_id INTEGER REFERENCES openings(id),
    kind TEXT NOT NULL,
    agreement_ref TEXT,
    agreement_date TEXT,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    coach TEXT,
    result TEXT,
    ended_on TEXT,
    end_reason TEXT,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX placements_participant ON placements(participant_id);
CREATE INDEX placements_employer ON placements(employer_id, starts_on);

CREATE TABLE placement_extensions (
    id INTEGER PRIMARY KEY,
    placement_id INTEGER NOT NULL REFERENCES placements(id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX placement_extensions_placement ON placement_extensions(placement_id);
