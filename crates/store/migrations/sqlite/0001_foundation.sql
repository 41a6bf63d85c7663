-- Foundation schema (SQLite). Dates are ISO-8601 TEXT (yyyy-mm-dd), timestamps RFC 3339 UTC TEXT,
-- booleans 0/1 integers: the same representation as the PostgreSQL schema, so one SQL text serves both.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    business_id TEXT UNIQUE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'fi',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expiry_unix INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry_unix);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    owner_org_id INTEGER NOT NULL REFERENCES organisations(id),
    funding_line TEXT,
    objective TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    authority TEXT,
    municipalities TEXT NOT NULL DEFAULT '',
    target_participants INTEGER,
    target_companies INTEGER,
    budget_public_cents INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE project_partners (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    PRIMARY KEY (project_id, org_id)
);

CREATE TABLE target_groups (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL,
    rules TEXT NOT NULL
);

CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    target_group_id INTEGER REFERENCES target_groups(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    hetu_enc TEXT,
    hetu_index TEXT,
    birth_date TEXT NOT NULL,
    gender TEXT,
    email TEXT,
    phone TEXT,
    municipality TEXT NOT NULL,
    postal_code TEXT,
    education TEXT,
    labour_status TEXT,
    unemployed_since TEXT,
    subsidy_days INTEGER,
    disability TEXT NOT NULL,
    foreign_background TEXT NOT NULL,
    third_country_national TEXT NOT NULL,
    minority TEXT NOT NULL,
    homeless TEXT NOT NULL,
    entry_date TEXT NOT NULL,
    counsellor_id INTEGER REFERENCES users(id),
    exit_date TEXT,
    exit_status TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX participants_org_name ON participants(org_id, search_name);
CREATE INDEX participants_hetu ON participants(hetu_index);
CREATE INDEX participants_project ON participants(project_id);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    kind TEXT NOT NULL,
    granted INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id)
);

CREATE TABLE goals (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    target_date TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE steps (
    id INTEGER PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES goals(id),
    description TEXT NOT NULL,
    due_date TEXT,
    done INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    org_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

-- The audit log is append-only: the database itself refuses changes.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
