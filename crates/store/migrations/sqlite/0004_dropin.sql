-- Drop-in service point: opening hours, partner duty shifts, visit log; calendar feed tokens.
CREATE TABLE dropin_points (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    project_id INTEGER REFERENCES projects(id),
    name TEXT NOT NULL,
    address TEXT,
    town TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE opening_hours (
    point_id INTEGER NOT NULL REFERENCES dropin_points(id),
    weekday INTEGER NOT NULL,
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    PRIMARY KEY (point_id, weekday)
);

-- org_id NULL: an open slot a partner organisation can take.
CREATE TABLE duty_shifts (
    id INTEGER PRIMARY KEY,
    point_id INTEGER NOT NULL REFERENCES dropin_points(id),
    org_id INTEGER REFERENCES organisations(id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    topic TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX duty_shifts_point ON duty_shifts(point_id, starts_at);

-- Either a registered participant (anonymous_count 0) or anonymous visitors (participant_id NULL).
CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    point_id INTEGER NOT NULL REFERENCES dropin_points(id),
    date TEXT NOT NULL,
    participant_id INTEGER REFERENCES participants(id),
    anonymous_count INTEGER NOT NULL,
    topic TEXT,
    recorded_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    CHECK ((participant_id IS NULL AND anonymous_count > 0) OR (participant_id IS NOT NULL AND anonymous_count = 0))
);
CREATE INDEX visits_point ON visits(point_id, date);

CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
