-- The shared service catalogue, programme sessions, enrolment, attendance and guidance contacts.
-- org_id organises (enrols, marks attendance: the participants' organisation); provider_org_id
-- delivers the content and may be a partner.
CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    provider_org_id INTEGER NOT NULL REFERENCES organisations(id),
    project_id INTEGER REFERENCES projects(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    channel TEXT NOT NULL,
    place TEXT,
    town TEXT,
    capacity INTEGER,
    languages TEXT NOT NULL,
    offered_by TEXT NOT NULL,
    proposed_by_participant_id INTEGER REFERENCES participants(id),
    approval TEXT NOT NULL,
    starts_on TEXT,
    ends_on TEXT,
    -- Kept in step with enrolments so capacity is enforced by one conditional UPDATE.
    enrolled_count INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX services_project ON services(project_id);

CREATE TABLE service_sessions (
    id INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES services(id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT,
    facilitators TEXT
);
CREATE INDEX service_sessions_service ON service_sessions(service_id, starts_at);

CREATE TABLE enrolments (
    id INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES services(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (service_id, participant_id)
);
CREATE INDEX enrolments_participant ON enrolments(participant_id);

CREATE TABLE attendance (
    session_id INTEGER NOT NULL REFERENCES service_sessions(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    status TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (session_id, participant_id)
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    counsellor_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    duration_min INTEGER NOT NULL,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX contacts_participant ON contacts(participant_id);
