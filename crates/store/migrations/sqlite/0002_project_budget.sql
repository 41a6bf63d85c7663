-- The funder's form carries granted and realised funding besides the planned public total.
ALTER TABLE projects ADD COLUMN budget_granted_cents INTEGER;
ALTER TABLE projects ADD COLUMN budget_realised_cents INTEGER;
