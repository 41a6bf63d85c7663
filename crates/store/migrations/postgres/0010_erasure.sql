-- When a participant's personal data was erased: the row stays as the anonymous ESF+ record.
ALTER TABLE participants ADD COLUMN erased_at TEXT;
