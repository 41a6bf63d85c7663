-- Referrals between organisations in Polku: what the participant consented to share with the
-- receiver (read from the sender's record while the consent holds, never copied), and the
-- receiver's answer and the steps after it, with their days. SQLite adds one column per
-- statement.
ALTER TABLE referrals ADD COLUMN share_contact BIGINT NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN share_plan BIGINT NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN share_competence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN share_hetu BIGINT NOT NULL DEFAULT 0;
-- Once withdrawn, the receiver sees only that the referral existed.
ALTER TABLE referrals ADD COLUMN consent_withdrawn_on TEXT;
ALTER TABLE referrals ADD COLUMN decided_on TEXT;
ALTER TABLE referrals ADD COLUMN decision_reason TEXT;
ALTER TABLE referrals ADD COLUMN started_on TEXT;
ALTER TABLE referrals ADD COLUMN ended_on TEXT;
-- The notes the participant agreed to share, chosen one by one.
CREATE TABLE referral_notes (
    referral_id BIGINT NOT NULL REFERENCES referrals(id),
    note_id BIGINT NOT NULL REFERENCES notes(id),
    PRIMARY KEY (referral_id, note_id)
);
CREATE INDEX referrals_from ON referrals(from_org_id, referred_on);
CREATE INDEX referrals_to_service ON referrals(to_service_id);
