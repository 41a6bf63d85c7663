-- Retention: the funder's final payment and how many years after it the records are kept
-- (ESF+: from 31 December of the year of the final payment; five years unless the funder says
-- otherwise).
ALTER TABLE projects ADD COLUMN final_payment_date TEXT;
ALTER TABLE projects ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 5;
