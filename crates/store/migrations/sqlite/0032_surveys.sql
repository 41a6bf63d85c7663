-- Feedback and final surveys built by staff: questions (a 1-5 scale, one choice of several,
-- free text), invitations to a project's or a group's participants (answered in their own
-- channel) and to employers (by a link carrying a token, of which only a hash is kept), and
-- the answers. An anonymous survey's responses hold no link to whoever answered; the
-- invitation only says that it was answered, and both keep the day, not the time.
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    project_id INTEGER REFERENCES projects(id),
    title TEXT NOT NULL,
    intro TEXT,
    anonymous INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'draft',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX surveys_org ON surveys(org_id, id);

CREATE TABLE survey_questions (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    -- A choice question's options, one per line.
    -- Renumbered when one is removed, under the survey's row lock (its version), so not
    -- declared unique: both engines would check that row by row mid-update.
    options TEXT
);
CREATE INDEX survey_questions_survey ON survey_questions(survey_id, position);

CREATE TABLE survey_invitations (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    audience TEXT NOT NULL,
    participant_id INTEGER REFERENCES participants(id),
    employer_id INTEGER REFERENCES employers(id),
    token_hash TEXT UNIQUE,
    sent_on TEXT NOT NULL,
    answered_on TEXT,
    UNIQUE (survey_id, participant_id),
    UNIQUE (survey_id, employer_id)
);
CREATE INDEX survey_invitations_participant ON survey_invitations(participant_id);

CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    audience TEXT NOT NULL,
    -- Only when the survey is not anonymous.
    participant_id INTEGER REFERENCES participants(id),
    employer_id INTEGER REFERENCES employers(id),
    -- Likewise: an anonymous answer keeps no day, which the invitation's would tie to a person.
    answered_on TEXT
);
CREATE INDEX survey_responses_survey ON survey_responses(survey_id);

CREATE TABLE survey_answers (
    response_id INTEGER NOT NULL REFERENCES survey_responses(id),
    question_id INTEGER NOT NULL REFERENCES survey_questions(id),
    score INTEGER CHECK (score BETWEEN 1 AND 5),
    choice TEXT,
    text TEXT,
    PRIMARY KEY (response_id, question_id)
);
