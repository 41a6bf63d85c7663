//! What is written on a person's record: notes, goals and steps, consents, guidance contacts
//! and the six-month follow-up's finding.

use super::{load, load_open, processing_allowed, repo};
use crate::{Error, Polku, Result};
use polku_domain::authz::{Action, Actor};
use polku_domain::ids::{GoalId, ParticipantId, StepId};
use polku_domain::participant::{ConsentKind, ExitStatus, GoalForm, StepForm};
use polku_domain::services::ContactForm;
use polku_domain::{text, DomainError};
use polku_store::audit::{Audit, Entity};
use polku_store::follow_ups::FollowUpRow;

/// A counsellor's note (refused after the person withdrew consent to processing).
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn add_note(app: &Polku, actor: &Actor, id: ParticipantId, body: &str) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    processing_allowed(&load_open(&mut tx, actor, id, app.clock.today()).await?)?;
    let body = text::required(body, 10_000).map_err(|c| Error::field("body", c))?;
    let now = app.clock.now();
    let note = repo::add_note(&mut tx, id, actor, &body, now).await?;
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Note(note),
            &format!("participant={}", id.0),
        )
        .await?;
    tx.commit().await?;
    Ok(note)
}

#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn add_goal(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    f: &GoalForm,
) -> Result<GoalId> {
    let mut tx = app.db.begin().await?;
    load_open(&mut tx, actor, id, app.clock.today()).await?;
    let goal = f.parse()?;
    let now = app.clock.now();
    let gid = repo::add_goal(&mut tx, id, &goal, now).await?;
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Goal(gid.0),
            &format!("participant={}", id.0),
        )
        .await?;
    tx.commit().await?;
    Ok(gid)
}

/// A step towards one of the person's own goals.
#[tracing::instrument(skip_all, fields(participant = id.0, goal = goal.0))]
pub async fn add_step(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    goal: GoalId,
    f: &StepForm,
) -> Result<StepId> {
    let mut tx = app.db.begin().await?;
    load_open(&mut tx, actor, id, app.clock.today()).await?;
    let step = f.parse()?;
    if repo::goal_owner(&mut tx, goal).await? != id {
        return Err(DomainError::NotFound.into());
    }
    let sid = repo::add_step(&mut tx, goal, &step, false).await?;
    Audit::by(actor, app.clock.now())
        .create(
            &mut tx,
            Entity::Step(sid.0),
            &format!("participant={}", id.0),
        )
        .await?;
    tx.commit().await?;
    Ok(sid)
}

/// Grants or withdraws a consent; open on an archived record, so a withdrawal always works.
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn record_consent(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    kind: &str,
    granted: bool,
) -> Result<ConsentKind> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::EditParticipant).await?;
    let kind = ConsentKind::parse(kind).map_err(|c| Error::field("kind", c))?;
    let now = app.clock.now();
    repo::record_consent(&mut tx, id, kind, granted, actor, now).await?;
    Audit::by(actor, now)
        .update(&mut tx, Entity::Consent(id.0), kind.as_str())
        .await?;
    tx.commit().await?;
    Ok(kind)
}

/// A guidance contact (refused after the person withdrew consent to processing).
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn add_contact(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    f: &ContactForm,
) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    processing_allowed(&load_open(&mut tx, actor, id, app.clock.today()).await?)?;
    let contact = f.parse(app.clock.today())?;
    let now = app.clock.now();
    let cid = polku_store::services::add_contact(&mut tx, id, actor, &contact, now).await?;
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Contact(cid),
            &format!("participant={}", id.0),
        )
        .await?;
    tx.commit().await?;
    Ok(cid)
}

/// The six-month follow-up's finding (ESF+ EECR05/EECR06); open on an archived record. Returns
/// the follow-up as saved.
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn record_follow_up(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    status: &str,
    improved: bool,
) -> Result<FollowUpRow> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::EditParticipant).await?;
    let status = ExitStatus::parse(status).map_err(|c| Error::field("status", c))?;
    let now = app.clock.now();
    polku_store::follow_ups::record(&mut tx, id, status, improved, actor, now).await?;
    Audit::by(actor, now)
        .update(&mut tx, Entity::FollowUp(id.0), status.as_str())
        .await?;
    let saved = polku_store::follow_ups::get(&mut tx, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

/// The counsellors' notes on a record, newest first (the read is audited).
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn notes(app: &Polku, actor: &Actor, id: ParticipantId) -> Result<Vec<repo::NoteRow>> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::ViewParticipant).await?;
    let notes = repo::notes(&mut tx, id).await?;
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Participant(id.0), "notes")
        .await?;
    tx.commit().await?;
    Ok(notes)
}

/// The guidance contacts on a record, newest first (the read is audited).
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn contacts(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
) -> Result<Vec<polku_store::services::ContactRow>> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::ViewParticipant).await?;
    let contacts = polku_store::services::contacts(&mut tx, id).await?;
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Participant(id.0), "contacts")
        .await?;
    tx.commit().await?;
    Ok(contacts)
}
