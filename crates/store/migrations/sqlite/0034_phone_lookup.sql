-- A sign-in by mobile number finds the person by the number without its spaces and dashes
-- (portal::person_by_mobile); without this index every try would read every participant.
CREATE INDEX participants_phone_digits ON participants ((REPLACE(REPLACE(phone, ' ', ''), '-', '')));
