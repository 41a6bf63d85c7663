-- An import holds a project's participants or the organisation's employers: the file has a
-- kind, and a project only when it is one of participants. SQLite cannot drop NOT NULL, so
-- the table is rebuilt; participants keep their references (checked when the rebuild commits).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE import_files_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL DEFAULT 'participants',
    project_id INTEGER REFERENCES projects(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    content TEXT NOT NULL,
    imported_rows INTEGER,
    created_at TEXT NOT NULL,
    done_at TEXT,
    CHECK ((kind = 'participants') = (project_id IS NOT NULL))
);
INSERT INTO import_files_new (id, org_id, project_id, user_id, name, content, imported_rows, created_at, done_at)
    SELECT id, org_id, project_id, user_id, name, content, imported_rows, created_at, done_at FROM import_files;
DROP TABLE import_files;
ALTER TABLE import_files_new RENAME TO import_files;
