//! Answering a survey: a participant in their own channel, an employer by the link it was
//! sent. One answer per invitation; an anonymous survey's answer keeps no link to whoever gave
//! it (the invitation only says it was answered, and on which day).

use crate::portal::{by_person, own, Person};
use crate::{Error, Polku, Result};
use chrono::NaiveDate;
use polku_domain::ids::SurveyId;
use polku_domain::survey::{parse_answers, Question, SurveyStatus};
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::surveys::{self as repo, InvitationRow, InvitedRow, SurveyRow};
use polku_store::Conn;

/// A survey as the one asked sees it: its questions, and whether they answered already.
pub struct Asked {
    pub s: SurveyRow,
    pub questions: Vec<Question>,
    pub answered_on: Option<NaiveDate>,
}

impl Asked {
    /// Whether it still takes their answer.
    pub fn open(&self) -> bool {
        self.s.status.takes_answer(self.answered_on.is_some())
    }
}

/// The surveys the person was asked to answer (not drafts), newest first.
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn my_surveys(app: &Polku, who: &Person) -> Result<Vec<InvitedRow>> {
    let mut conn = app.db.acquire().await?;
    own(&mut conn, who).await?;
    Ok(repo::invited(&mut conn, who.participant).await?)
}

async fn asked(conn: &mut Conn, inv: &InvitationRow) -> Result<Asked> {
    let s = repo::get(conn, inv.survey_id).await?;
    if s.status == SurveyStatus::Draft {
        return Err(DomainError::NotFound.into());
    }
    Ok(Asked {
        questions: repo::questions(conn, s.id).await?,
        answered_on: inv.answered_on,
        s,
    })
}

async fn invitation_of(conn: &mut Conn, who: &Person, id: SurveyId) -> Result<InvitationRow> {
    own(conn, who).await?;
    repo::invitation_of(conn, id, who.participant)
        .await?
        .ok_or_else(|| DomainError::NotFound.into())
}

async fn invitation_by_link(conn: &mut Conn, token: &str) -> Result<InvitationRow> {
    repo::invitation_by_token(conn, &polku_store::tokens::hash(token))
        .await?
        .ok_or_else(|| DomainError::NotFound.into())
}

/// A survey the person was asked to answer; any other is not found.
#[tracing::instrument(skip_all, fields(participant = who.participant.0, survey = id.0))]
pub async fn asked_of(app: &Polku, who: &Person, id: SurveyId) -> Result<Asked> {
    let mut conn = app.db.acquire().await?;
    let inv = invitation_of(&mut conn, who, id).await?;
    asked(&mut conn, &inv).await
}

/// The survey an employer's link opens; an unknown link is not found.
#[tracing::instrument(skip_all)]
pub async fn asked_by_link(app: &Polku, token: &str) -> Result<Asked> {
    let mut conn = app.db.acquire().await?;
    let inv = invitation_by_link(&mut conn, token).await?;
    asked(&mut conn, &inv).await
}

/// Stores the answers of one invitation, once, while the survey is open; returns the survey.
async fn answer(
    app: &Polku,
    conn: &mut Conn,
    inv: &InvitationRow,
    pairs: &[(String, String)],
) -> Result<SurveyRow> {
    let s = repo::get(conn, inv.survey_id).await?;
    if s.status != SurveyStatus::Open {
        return Err(Error::field("form", ErrorCode::SurveyState));
    }
    let questions = repo::questions(conn, s.id).await?;
    let answers = parse_answers(&questions, pairs)?;
    let today = app.clock.today();
    if !repo::mark_answered(conn, inv.id, today).await? {
        return Err(Error::field("form", ErrorCode::SurveyAnswered));
    }
    // An anonymous answer keeps neither who gave it nor the day (the invitation has the day).
    let (who, on) = match s.anonymous {
        true => ((None, None), None),
        false => ((inv.participant_id, inv.employer_id), Some(today)),
    };
    repo::add_response(conn, s.id, inv.audience, who, on, &answers).await?;
    Ok(s)
}

/// The person's answers (`pairs`: `q<position>` = value).
#[tracing::instrument(skip_all, fields(participant = who.participant.0, survey = id.0))]
pub async fn answer_mine(
    app: &Polku,
    who: &Person,
    id: SurveyId,
    pairs: &[(String, String)],
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let inv = invitation_of(&mut tx, who, id).await?;
    answer(app, &mut tx, &inv, pairs).await?;
    by_person(who, app.clock.now())
        .update(&mut tx, Entity::Survey(id.0), "portal: answered")
        .await?;
    tx.commit().await?;
    Ok(())
}

/// An employer's answers by its link.
#[tracing::instrument(skip_all)]
pub async fn answer_by_link(app: &Polku, token: &str, pairs: &[(String, String)]) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let inv = invitation_by_link(&mut tx, token).await?;
    let s = answer(app, &mut tx, &inv, pairs).await?;
    Audit::new(None, app.clock.now())
        .in_org(Some(s.org_id))
        .update(
            &mut tx,
            Entity::Survey(s.id.0),
            "answered by an employer's link",
        )
        .await?;
    tx.commit().await?;
    Ok(())
}
