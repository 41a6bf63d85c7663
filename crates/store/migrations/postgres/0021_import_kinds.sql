-- An import holds a project's participants or the organisation's employers: the file has a
-- kind, and a project only when it is one of participants.
ALTER TABLE import_files ADD COLUMN kind TEXT NOT NULL DEFAULT 'participants';
ALTER TABLE import_files ALTER COLUMN project_id DROP NOT NULL;
ALTER TABLE import_files ADD CHECK ((kind = 'participants') = (project_id IS NOT NULL));
