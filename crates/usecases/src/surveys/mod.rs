//! Surveys: staff of an organisation build feedback and final surveys, send them to a
//! project's or a group's participants and to employers, and read the results. Another
//! organisation's survey answers as if it did not exist.

use crate::{Error, Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::{QuestionId, SurveyId};
use polku_domain::survey::{Question, QuestionForm, SurveyForm, SurveyStatus, MAX_QUESTIONS};
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::projects::ProjectRow;
use polku_store::services::ServiceRow;
use polku_store::surveys::{self as repo, SurveyRow};
use polku_store::Conn;

mod answer;
mod results;
mod send;
pub use answer::{answer_by_link, answer_mine, asked_by_link, asked_of, my_surveys, Asked};
pub use results::{results, Respondent, ResultsView};
pub use send::{send, Invitations};

/// The survey of the actor's organisation (404 for another's), for `action`.
async fn survey_for(conn: &mut Conn, actor: &Actor, id: SurveyId) -> Result<SurveyRow> {
    let s = repo::get(conn, id).await?;
    if s.org_id != actor.org {
        return Err(DomainError::NotFound.into());
    }
    authorize(actor, Action::ManageSurveys, Some(s.org_id))?;
    Ok(s)
}

/// Refused unless the survey is a draft (its questions change only then).
fn draft(s: &SurveyRow) -> Result<()> {
    if s.status == SurveyStatus::Draft {
        Ok(())
    } else {
        Err(Error::field("form", ErrorCode::SurveyState))
    }
}

/// The organisation's surveys, newest first, with how many were asked and answered.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn list(app: &Polku, actor: &Actor) -> Result<Vec<SurveyRow>> {
    authorize(actor, Action::ManageSurveys, Some(actor.org))?;
    Ok(repo::of_org(&mut *app.db.acquire().await?, actor.org).await?)
}

/// The projects a survey can be about (those the organisation owns or is a partner in).
pub async fn projects(app: &Polku, actor: &Actor) -> Result<Vec<ProjectRow>> {
    authorize(actor, Action::ManageSurveys, Some(actor.org))?;
    Ok(polku_store::projects::for_org(&mut *app.db.acquire().await?, actor.org).await?)
}

/// A new draft survey, for one of the organisation's projects or none.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn create(app: &Polku, actor: &Actor, f: &SurveyForm) -> Result<SurveyId> {
    authorize(actor, Action::ManageSurveys, Some(actor.org))?;
    let s = f.parse()?;
    let mut tx = app.db.begin().await?;
    crate::projects::offered(&mut tx, actor, s.project_id).await?;
    let now = app.clock.now();
    let id = repo::create(&mut tx, actor.org, actor.user, &s, now).await?;
    Audit::by(actor, now)
        .create(&mut tx, Entity::Survey(id.0), "")
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// A survey with its questions, and where it can be sent: the organisation's projects and
/// groups, and how many employers of the register can be asked by e-mail.
pub struct SurveyView {
    pub s: SurveyRow,
    pub questions: Vec<Question>,
    pub projects: Vec<ProjectRow>,
    pub groups: Vec<ServiceRow>,
    pub employers: i64,
}

#[tracing::instrument(skip_all, fields(survey = id.0))]
pub async fn show(app: &Polku, actor: &Actor, id: SurveyId) -> Result<SurveyView> {
    let mut tx = app.db.begin().await?;
    let s = survey_for(&mut tx, actor, id).await?;
    let filter = polku_store::services::Filter {
        org_id: Some(actor.org.0),
        ..Default::default()
    };
    let view = SurveyView {
        questions: repo::questions(&mut tx, id).await?,
        projects: polku_store::projects::for_org(&mut tx, actor.org).await?,
        groups: polku_store::services::list(&mut tx, actor.org, &filter).await?,
        employers: repo::employers_to_ask_count(&mut tx, actor.org).await?,
        s,
    };
    tx.commit().await?;
    Ok(view)
}

/// Adds a question at the end of a draft.
#[tracing::instrument(skip_all, fields(survey = id.0))]
pub async fn add_question(
    app: &Polku,
    actor: &Actor,
    id: SurveyId,
    f: &QuestionForm,
) -> Result<QuestionId> {
    let mut tx = app.db.begin().await?;
    let s = survey_for(&mut tx, actor, id).await?;
    draft(&s)?;
    let q = f.parse()?;
    repo::touch(&mut tx, id, None).await?;
    if repo::questions(&mut tx, id).await?.len() >= MAX_QUESTIONS {
        return Err(Error::field(
            "text",
            ErrorCode::NumberRange {
                min: 1,
                max: MAX_QUESTIONS as i64,
            },
        ));
    }
    let qid = repo::add_question(&mut tx, id, &q).await?;
    Audit::by(actor, app.clock.now())
        .update(
            &mut tx,
            Entity::Survey(id.0),
            &format!("question={}", qid.0),
        )
        .await?;
    tx.commit().await?;
    Ok(qid)
}

/// Removes a question of a draft; the ones after it move up.
#[tracing::instrument(skip_all, fields(survey = id.0, question = q.0))]
pub async fn remove_question(
    app: &Polku,
    actor: &Actor,
    id: SurveyId,
    q: QuestionId,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let s = survey_for(&mut tx, actor, id).await?;
    draft(&s)?;
    repo::touch(&mut tx, id, None).await?;
    repo::remove_question(&mut tx, id, q).await?;
    Audit::by(actor, app.clock.now())
        .update(
            &mut tx,
            Entity::Survey(id.0),
            &format!("question={} removed", q.0),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Closes an open survey: it takes no more answers.
#[tracing::instrument(skip_all, fields(survey = id.0))]
pub async fn close(app: &Polku, actor: &Actor, id: SurveyId) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let s = survey_for(&mut tx, actor, id).await?;
    if s.status != SurveyStatus::Open {
        return Err(Error::field("form", ErrorCode::SurveyState));
    }
    repo::touch(&mut tx, id, None).await?;
    repo::set_status(&mut tx, id, SurveyStatus::Closed).await?;
    Audit::by(actor, app.clock.now())
        .update(&mut tx, Entity::Survey(id.0), "closed")
        .await?;
    tx.commit().await?;
    Ok(())
}
