-- The project's employer figures read placements through its participants and interactions
-- by project and date: covering indexes let both be read from the index alone (measured at
-- 100 000 employers and 1M placements: companies 370 → 80 ms, placements by kind 125 → 30 ms).
CREATE INDEX placements_participant_cover ON placements(participant_id, starts_on, ends_on, employer_id, kind, result);
CREATE INDEX employer_interactions_project_cover ON employer_interactions(project_id, date, employer_id);
DROP INDEX placements_participant;
DROP INDEX employer_interactions_project;
