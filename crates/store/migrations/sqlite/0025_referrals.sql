-- Referrals into an organisation (or one of its services): from another organisation in Polku,
-- with the participant's consent naming what is shared, or from outside Polku (the TE office,
-- Kela), recorded by the receiver so that "referred by" is reportable.
CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    to_org_id INTEGER NOT NULL REFERENCES organisations(id),
    to_service_id INTEGER REFERENCES services(id),
    -- The receiver's own participant record, once there is one.
    to_participant_id INTEGER REFERENCES participants(id),
    -- From an organisation in Polku: its participant.
    from_org_id INTEGER REFERENCES organisations(id),
    from_participant_id INTEGER REFERENCES participants(id),
    -- From outside Polku: te_office | kela | municipality | health_care | education | other.
    referrer_kind TEXT,
    referrer_name TEXT,
    referred_on TEXT NOT NULL,
    reason TEXT,
    status TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((from_org_id IS NULL) <> (referrer_kind IS NULL))
);
CREATE INDEX referrals_to ON referrals(to_org_id, status);
CREATE INDEX referrals_to_participant ON referrals(to_participant_id);
CREATE INDEX referrals_from_participant ON referrals(from_participant_id);
