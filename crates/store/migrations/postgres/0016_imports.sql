-- Spreadsheet import. An uploaded file waits here between the steps (mapping, preview,
-- import), so any node can take the next step.
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
