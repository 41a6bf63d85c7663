-- A create sent again with the same Idempotency-Key gets the first answer instead of creating
-- twice. The answer may hold personal data: it is stored encrypted, and kept for a day.
-- (BIGINT is an integer on both engines, so this file serves both.)
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users(id),
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status BIGINT,
    body TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
