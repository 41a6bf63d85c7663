-- The special-category answers (disability, foreign background, third-country national,
-- minority, homeless) become one encrypted value, `kid:base64(nonce ‖ ciphertext)` of five
-- letters (y/n/r/-). SQL has no key, so the answers move here marked `plain:` and the start-up
-- step that holds the key (`polku_store::special::encrypt_pending`) encrypts them before
-- anything is served; the plaintext columns go now.
ALTER TABLE participants ADD COLUMN special_enc TEXT;

UPDATE participants SET special_enc = 'plain:'
    || CASE disability WHEN 'yes' THEN 'y' WHEN 'no' THEN 'n' WHEN 'refused' THEN 'r' ELSE '-' END
    || CASE foreign_background WHEN 'yes' THEN 'y' WHEN 'no' THEN 'n' WHEN 'refused' THEN 'r' ELSE '-' END
    || CASE third_country_national WHEN 'yes' THEN 'y' WHEN 'no' THEN 'n' WHEN 'refused' THEN 'r' ELSE '-' END
    || CASE minority WHEN 'yes' THEN 'y' WHEN 'no' THEN 'n' WHEN 'refused' THEN 'r' ELSE '-' END
    || CASE homeless WHEN 'yes' THEN 'y' WHEN 'no' THEN 'n' WHEN 'refused' THEN 'r' ELSE '-' END;

ALTER TABLE participants DROP COLUMN disability;
ALTER TABLE participants DROP COLUMN foreign_background;
ALTER TABLE participants DROP COLUMN third_country_national;
ALTER TABLE participants DROP COLUMN minority;
ALTER TABLE participants DROP COLUMN homeless;
