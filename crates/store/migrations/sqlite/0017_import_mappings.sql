-- The mapping an organisation used last is offered again next time; an imported participation
-- keeps the file and line it came from. (BIGINT is an integer on both engines, so this file
-- serves both.)
CREATE TABLE import_mappings (
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    mapping TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, kind)
);

ALTER TABLE participants ADD COLUMN import_file_id BIGINT REFERENCES import_files(id);
ALTER TABLE participants ADD COLUMN import_line BIGINT;
CREATE INDEX participants_import ON participants (import_file_id) WHERE import_file_id IS NOT NULL;
