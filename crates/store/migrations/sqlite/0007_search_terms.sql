-- Participant search terms: name words and stems of free text (see domain::search).
CREATE TABLE search_terms (
    org_id INTEGER NOT NULL,
    term TEXT NOT NULL,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    PRIMARY KEY (org_id, term, participant_id)
) WITHOUT ROWID;
-- Checking a participant's other query words, and re-indexing one participant.
CREATE INDEX search_terms_participant ON search_terms(participant_id, term);
-- The unfiltered list, in name order, without sorting the whole organisation.
CREATE INDEX participants_org_order ON participants(org_id, last_name, first_name, id);
-- Stemming happens in Rust: the server fills the table for existing participants at start.
INSERT INTO settings (key, value) VALUES ('search_terms_built', '0');
