-- ESF+ immediate results that hold beside the exit status (Regulation (EU) 2021/1057, Annex I):
-- a qualification gained (EECR03) and being in education or training (EECR02) upon leaving,
-- so a person who leaves employed with a qualification counts in both EECR03 and EECR04.
-- (BIGINT is an integer on both engines, so this file serves both.)
ALTER TABLE participants ADD COLUMN exit_qualification BIGINT NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN exit_in_education BIGINT NOT NULL DEFAULT 0;
UPDATE participants SET exit_qualification = 1 WHERE exit_status = 'qualification';
UPDATE participants SET exit_in_education = 1 WHERE exit_status = 'education';
