-- Spreadsheet import. An uploaded file waits here between the steps (mapping, preview,
-- import), so any node can take the next step.
CREATE TABLE import_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    content TEXT NOT NULL,
    imported_rows INTEGER,
    created_at TEXT NOT NULL,
    done_at TEXT
);
