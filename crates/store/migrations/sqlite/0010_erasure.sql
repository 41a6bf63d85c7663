-- When a participant's personal data was erased: the row stays as the anonymous ESF+ record.
ALTER TABLE participants ADD COLUMN erased_at TEXT;
-- 0 once the person has withdrawn consent to processing: left out of search and exports,
-- and no new notes or contacts; the ESF+ record stays.
ALTER TABLE participants ADD COLUMN processing_consent INTEGER NOT NULL DEFAULT 1;
