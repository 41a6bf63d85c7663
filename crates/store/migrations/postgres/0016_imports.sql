-- Spreadsheet import. An uploaded file waits here between the steps (mapping, preview,
-- import), so any node can take the next step; the mapping an organisation used last is
-- offered again next time.
CREATE TABLE import_files (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    project_id BIGINT NOT NULL REFERENCES projects(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    content TEXT NOT NULL,
    imported_rows BIGINT,
    created_at TEXT NOT NULL,
    done_at TEXT
);

CREATE TABLE import_mappings (
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    mapping TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, kind)
);

-- Where an imported participation came from: the file and its line.
ALTER TABLE participants ADD COLUMN import_file_id BIGINT REFERENCES import_files(id);
ALTER TABLE participants ADD COLUMN import_line BIGINT;
CREATE INDEX participants_import ON participants (import_file_id) WHERE import_file_id IS NOT NULL;
