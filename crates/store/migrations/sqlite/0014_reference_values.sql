-- Reference values loaded by `polku reference import` where the repository ships none that
-- could be verified: the degree of urbanisation (kind 'degurba', value 1–3) and the employment
-- area (kind 'employment_area') per municipality code. One import replaces a kind whole.
CREATE TABLE reference_values (
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (kind, code)
);
