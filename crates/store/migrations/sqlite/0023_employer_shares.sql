-- An employer shared by its organisation with a partner organisation of one of its projects:
-- the partner's staff see the employer, its contact persons, openings and timeline (not who
-- of the owner's participants were placed or took part).
CREATE TABLE employer_shares (
    employer_id INTEGER NOT NULL REFERENCES employers(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    shared_by INTEGER REFERENCES users(id),
    shared_at TEXT NOT NULL,
    PRIMARY KEY (employer_id, org_id)
);
CREATE INDEX employer_shares_org ON employer_shares(org_id);
