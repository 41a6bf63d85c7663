-- Spreadsheet import. An uploaded file waits here between the steps (mapping, preview,
-- import), so any node can take the next step; the mapping an organisation used last is
-- offered again next time.
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

CREATE TABLE import_mappings (
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    mapping TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, kind)
);

-- Where an imported participation came from: the file and its line.
ALTER TABLE participants ADD COLUMN import_file_id INTEGER REFERENCES import_files(id);
ALTER TABLE participants ADD COLUMN import_line INTEGER;
CREATE INDEX participants_import ON participants (import_file_id) WHERE import_file_id IS NOT NULL;
