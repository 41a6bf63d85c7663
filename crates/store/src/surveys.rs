//! Surveys: the organisation's surveys and their questions, invitations to participants and
//! employers, and the answers. An anonymous survey's response holds no participant or
//! employer; its invitation only says on which day it was answered.

use crate::{date, ts, Conn, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use polku_domain::ids::{
    EmployerId, OrgId, ParticipantId, ProjectId, QuestionId, ServiceId, SurveyId, UserId,
};
use polku_domain::survey::{
    Answer, Audience, NewQuestion, NewSurvey, Question, QuestionKind, SurveyStatus,
};

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct SurveyRow {
        pub id: SurveyId,
        pub org_id: OrgId,
        pub project_id: Option<ProjectId>,
        pub project_code: Option<String>,
        pub title: String,
        pub intro: Option<String>,
        pub anonymous: bool,
        pub status: SurveyStatus,
        pub version: i64,
        pub invited: i64,
        pub answered: i64,
    }
}

const SELECT: &str = "SELECT s.id, s.org_id, s.project_id, pr.code AS project_code, s.title, s.intro, s.anonymous, s.status, s.version, \
    (SELECT COUNT(*) FROM survey_invitations i WHERE i.survey_id = s.id) AS invited, \
    (SELECT COUNT(*) FROM survey_invitations i WHERE i.survey_id = s.id AND i.answered_on IS NOT NULL) AS answered \
    FROM surveys s LEFT JOIN projects pr ON pr.id = s.project_id";

pub async fn create(
    conn: &mut Conn,
    org: OrgId,
    by: UserId,
    s: &NewSurvey,
    at: DateTime<Utc>,
) -> Result<SurveyId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO surveys (org_id, project_id, title, intro, anonymous, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7) RETURNING id",
    )
    .bind(org.0)
    .bind(s.project_id.map(|p| p.0))
    .bind(&s.title)
    .bind(s.intro.as_deref())
    .bind(i64::from(s.anonymous))
    .bind(by.0)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(SurveyId(id))
}

pub async fn get(conn: &mut Conn, id: SurveyId) -> Result<SurveyRow, StoreError> {
    crate::row::one(conn, &format!("{SELECT} WHERE s.id = $1"), id.0).await
}

/// The organisation's surveys, newest first.
pub async fn of_org(conn: &mut Conn, org: OrgId) -> Result<Vec<SurveyRow>, StoreError> {
    crate::row::all(
        conn,
        &format!("{SELECT} WHERE s.org_id = $1 ORDER BY s.id DESC"),
        org.0,
    )
    .await
}

/// Takes the survey's row lock and moves its version on, so two changes to its questions or
/// status never interleave; `Conflict` when `expected` is given and is no longer current.
pub async fn touch(conn: &mut Conn, id: SurveyId, expected: Option<i64>) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE surveys SET version = version + 1 WHERE id = $1 AND ($2 = 0 OR version = $2)",
    )
    .bind(id.0)
    .bind(expected.unwrap_or(0))
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub async fn set_status(
    conn: &mut Conn,
    id: SurveyId,
    status: SurveyStatus,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE surveys SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

crate::typed_row! {
    struct QuestionRow {
        id: QuestionId,
        position: i64,
        kind: QuestionKind,
        text: String,
        options: Option<String>,
    }
}

/// The questions in order.
pub async fn questions(conn: &mut Conn, survey: SurveyId) -> Result<Vec<Question>, StoreError> {
    let rows: Vec<QuestionRow> = crate::row::all(
        conn,
        "SELECT id, position, kind, text, options FROM survey_questions WHERE survey_id = $1 ORDER BY position",
        survey.0,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Question::stored((r.id, r.position), r.kind, r.text, r.options.as_deref()))
        .collect())
}

/// Adds the question last. The caller holds the survey's lock ([`touch`]).
pub async fn add_question(
    conn: &mut Conn,
    survey: SurveyId,
    q: &NewQuestion,
) -> Result<QuestionId, StoreError> {
    let options = (!q.options.is_empty()).then(|| q.options.join("\n"));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO survey_questions (survey_id, position, kind, text, options) \
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM survey_questions WHERE survey_id = $1), $2, $3, $4) RETURNING id",
    )
    .bind(survey.0)
    .bind(q.kind.as_str())
    .bind(&q.text)
    .bind(options)
    .fetch_one(conn)
    .await?;
    Ok(QuestionId(id))
}

/// Removes a question of the survey and closes the gap it leaves; `NotFound` when the
/// survey has no such question. The caller holds the survey's lock.
pub async fn remove_question(
    conn: &mut Conn,
    survey: SurveyId,
    q: QuestionId,
) -> Result<(), StoreError> {
    let position: Option<i64> = sqlx::query_scalar(
        "DELETE FROM survey_questions WHERE id = $1 AND survey_id = $2 RETURNING position",
    )
    .bind(q.0)
    .bind(survey.0)
    .fetch_optional(&mut *conn)
    .await?;
    let position = position.ok_or(StoreError::NotFound)?;
    sqlx::query(
        "UPDATE survey_questions SET position = position - 1 WHERE survey_id = $1 AND position > $2",
    )
    .bind(survey.0)
    .bind(position)
    .execute(conn)
    .await?;
    Ok(())
}

/// Who of the organisation a survey can go to in a project or a group: not erased, consent
/// to processing in force, with their e-mail address when they have one. A project's leavers
/// are among them (a final survey is for them too); a group's are those enrolled in it.
pub async fn participants_of(
    conn: &mut Conn,
    org: OrgId,
    project: Option<ProjectId>,
    group: Option<ServiceId>,
) -> Result<Vec<(ParticipantId, Option<String>)>, StoreError> {
    let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT p.id, p.email FROM participants p WHERE p.org_id = $1 AND p.erased_at IS NULL AND p.processing_consent = 1 \
         AND ($2 = 0 OR p.project_id = $2) \
         AND ($3 = 0 OR p.id IN (SELECT e.participant_id FROM enrolments e WHERE e.service_id = $3 AND e.status = 'enrolled')) \
         ORDER BY p.id",
    )
    .bind(org.0)
    .bind(project.map_or(0, |p| p.0))
    .bind(group.map_or(0, |g| g.0))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, e)| (ParticipantId(id), e))
        .collect())
}

/// The employers of the register who agreed to be contacted, each with its first contact
/// person's e-mail address; those without one are left out.
pub async fn employers_to_ask(
    conn: &mut Conn,
    org: OrgId,
) -> Result<Vec<(EmployerId, String)>, StoreError> {
    let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT e.id, (SELECT c.email FROM employer_contacts c WHERE c.employer_id = e.id AND c.email IS NOT NULL AND c.email <> '' ORDER BY c.id LIMIT 1) \
         FROM employers e WHERE e.org_id = $1 AND e.contact_consent = 1 ORDER BY e.id",
    )
    .bind(org.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, e)| e.map(|e| (EmployerId(id), e)))
        .collect())
}

/// How many [`employers_to_ask`] would give, without reading them.
pub async fn employers_to_ask_count(conn: &mut Conn, org: OrgId) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM employers e WHERE e.org_id = $1 AND e.contact_consent = 1 \
         AND EXISTS (SELECT 1 FROM employer_contacts c WHERE c.employer_id = e.id AND c.email IS NOT NULL AND c.email <> '')",
    )
    .bind(org.0)
    .fetch_one(conn)
    .await?)
}

/// Invites a participant, unless already invited; whether they were invited now.
pub async fn invite_participant(
    conn: &mut Conn,
    survey: SurveyId,
    who: ParticipantId,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO survey_invitations (survey_id, audience, participant_id, sent_on) VALUES ($1, 'participant', $2, $3) \
         ON CONFLICT (survey_id, participant_id) DO NOTHING",
    )
    .bind(survey.0)
    .bind(who.0)
    .bind(date(on))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Invites an employer with the hash of the token its link carries, unless already invited.
pub async fn invite_employer(
    conn: &mut Conn,
    survey: SurveyId,
    employer: EmployerId,
    token_hash: &str,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO survey_invitations (survey_id, audience, employer_id, token_hash, sent_on) VALUES ($1, 'employer', $2, $3, $4) \
         ON CONFLICT (survey_id, employer_id) DO NOTHING",
    )
    .bind(survey.0)
    .bind(employer.0)
    .bind(token_hash)
    .bind(date(on))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

crate::typed_row! {
    #[derive(Debug, Clone)]
    pub struct InvitationRow {
        pub id: i64,
        pub survey_id: SurveyId,
        pub audience: Audience,
        pub participant_id: Option<ParticipantId>,
        pub employer_id: Option<EmployerId>,
        pub answered_on: Option<NaiveDate>,
    }
}

const INVITATION: &str = "SELECT id, survey_id, audience, participant_id, employer_id, answered_on FROM survey_invitations";

pub async fn invitation_by_token(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<InvitationRow>, StoreError> {
    Ok(
        sqlx::query_as(&format!("{INVITATION} WHERE token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn invitation_of(
    conn: &mut Conn,
    survey: SurveyId,
    who: ParticipantId,
) -> Result<Option<InvitationRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{INVITATION} WHERE survey_id = $1 AND participant_id = $2"
    ))
    .bind(survey.0)
    .bind(who.0)
    .fetch_optional(conn)
    .await?)
}

/// Marks the invitation answered; false when it was already (one answer each, even when two
/// arrive at once).
pub async fn mark_answered(
    conn: &mut Conn,
    invitation: i64,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE survey_invitations SET answered_on = $1 WHERE id = $2 AND answered_on IS NULL",
    )
    .bind(date(on))
    .bind(invitation)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a response and its answers; `who` only when the survey is not anonymous.
pub async fn add_response(
    conn: &mut Conn,
    survey: SurveyId,
    audience: Audience,
    who: (Option<ParticipantId>, Option<EmployerId>),
    on: Option<NaiveDate>,
    answers: &[(QuestionId, Answer)],
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO survey_responses (survey_id, audience, participant_id, employer_id, answered_on) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(survey.0)
    .bind(audience.as_str())
    .bind(who.0.map(|p| p.0))
    .bind(who.1.map(|e| e.0))
    .bind(on.map(date))
    .fetch_one(&mut *conn)
    .await?;
    for (q, a) in answers {
        let (score, choice, text) = match a {
            Answer::Score(n) => (Some(*n), None, None),
            Answer::Choice(c) => (None, Some(c.as_str()), None),
            Answer::Text(t) => (None, None, Some(t.as_str())),
        };
        sqlx::query(
            "INSERT INTO survey_answers (response_id, question_id, score, choice, text) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(q.0)
        .bind(score)
        .bind(choice)
        .bind(text)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

crate::typed_row! {
    /// A survey a participant was invited to, for their own channel.
    #[derive(Debug, Clone)]
    pub struct InvitedRow {
        pub survey_id: SurveyId,
        pub title: String,
        pub status: SurveyStatus,
        pub answered_on: Option<NaiveDate>,
    }
}

/// The open and closed surveys the participant was invited to, newest first.
pub async fn invited(conn: &mut Conn, who: ParticipantId) -> Result<Vec<InvitedRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT s.id AS survey_id, s.title, s.status, i.answered_on FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id \
         WHERE i.participant_id = $1 AND s.status <> 'draft' ORDER BY s.id DESC",
        who.0,
    )
    .await
}

crate::typed_row! {
    /// One answer as the results count it.
    #[derive(Debug, Clone)]
    pub struct AnswerRow {
        pub response_id: i64,
        pub question_id: QuestionId,
        pub score: Option<i64>,
        pub choice: Option<String>,
        pub text: Option<String>,
    }
}

/// Every answer to the survey.
pub async fn answers(conn: &mut Conn, survey: SurveyId) -> Result<Vec<AnswerRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT a.response_id, a.question_id, a.score, a.choice, a.text FROM survey_answers a \
         JOIN survey_responses r ON r.id = a.response_id WHERE r.survey_id = $1 ORDER BY a.response_id, a.question_id",
        survey.0,
    )
    .await
}

crate::typed_row! {
    /// Per audience: how many were asked and how many answered.
    #[derive(Debug, Clone, Copy, serde::Serialize)]
    pub struct RateRow {
        pub audience: Audience,
        pub invited: i64,
        pub answered: i64,
    }
}

pub async fn rates(conn: &mut Conn, survey: SurveyId) -> Result<Vec<RateRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT audience, COUNT(*) AS invited, CAST(SUM(CASE WHEN answered_on IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS answered \
         FROM survey_invitations WHERE survey_id = $1 GROUP BY audience ORDER BY audience DESC",
        survey.0,
    )
    .await
}

crate::typed_row! {
    /// A response of a survey that is not anonymous: who gave it.
    #[derive(Debug, Clone)]
    pub struct RespondentRow {
        pub response_id: i64,
        pub participant_id: Option<ParticipantId>,
        pub first_name: Option<String>,
        pub last_name: Option<String>,
        pub employer_id: Option<EmployerId>,
        pub employer_name: Option<String>,
        pub answered_on: NaiveDate,
    }
}

/// Who gave the linked responses (none for an anonymous survey).
pub async fn respondents(
    conn: &mut Conn,
    survey: SurveyId,
) -> Result<Vec<RespondentRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT r.id AS response_id, r.participant_id, p.first_name, p.last_name, r.employer_id, e.name AS employer_name, r.answered_on \
         FROM survey_responses r LEFT JOIN participants p ON p.id = r.participant_id LEFT JOIN employers e ON e.id = r.employer_id \
         WHERE r.survey_id = $1 AND (r.participant_id IS NOT NULL OR r.employer_id IS NOT NULL) ORDER BY r.id",
        survey.0,
    )
    .await
}
