-- Referrals between organisations in Polku: what the participant consented to share with the
-- receiver (read from the sender's record while the consent holds, never copied), and the
-- receiver's answer and the steps after it, with their days. Dates are ISO text and flags
-- integers, as in the SQLite schema, so the store reads both alike.
ALTER TABLE referrals
    ADD COLUMN share_contact BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN share_plan BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN share_competence BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN share_hetu BIGINT NOT NULL DEFAULT 0,
    -- Once withdrawn, the receiver sees only that the referral existed.
    ADD COLUMN consent_withdrawn_on TEXT,
    ADD COLUMN decided_on TEXT,
    ADD COLUMN decision_reason TEXT,
    ADD COLUMN started_on TEXT,
    ADD COLUMN ended_on TEXT;
CREATE INDEX referrals_from ON referrals(from_org_id, referred_on);
CREATE INDEX referrals_to_service ON referrals(to_service_id);
-- Which of the person's notes the consent shares: each chosen by the sender.
CREATE TABLE referral_notes (
    referral_id BIGINT NOT NULL REFERENCES referrals(id),
    note_id BIGINT NOT NULL REFERENCES notes(id),
    PRIMARY KEY (referral_id, note_id)
);
