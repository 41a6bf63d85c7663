//! Workplace coaches: added at their employer (or by naming them on a placement), invited to
//! the training days a project holds for them and marked present or absent there; and the
//! supervision and follow-up meetings of a placement. Another organisation's coaches and
//! training days answer as if they did not exist.

use crate::employers::load as load_employer;
use crate::placements::placement_for;
use crate::{Error, Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::coach::{CoachForm, MeetingForm, TrainingForm, TrainingStatus};
use polku_domain::ids::{CoachId, EmployerId, MeetingId, PlacementId, ProjectId, TrainingId};
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::coaches::{self as repo, AttendeeRow, TrainingRow};
use polku_store::Conn;

/// Adds a workplace coach at an employer of the actor's register.
#[tracing::instrument(skip_all, fields(employer = id.0))]
pub async fn add(app: &Polku, actor: &Actor, id: EmployerId, f: &CoachForm) -> Result<CoachId> {
    let mut tx = app.db.begin().await?;
    load_employer(&mut tx, actor, id, Action::ManageEmployers).await?;
    let c = f.parse()?;
    let now = app.clock.now();
    let coach = repo::add(&mut tx, id, &c, now).await.map_err(|e| match e {
        polku_store::StoreError::Duplicate(_) => Error::field("name", ErrorCode::Duplicate),
        e => e.into(),
    })?;
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Coach(coach.0),
            &format!("employer={}", id.0),
        )
        .await?;
    tx.commit().await?;
    Ok(coach)
}

/// A training day of the actor's organisation, for `action`.
async fn training_for(
    conn: &mut Conn,
    actor: &Actor,
    id: TrainingId,
    action: Action,
) -> Result<TrainingRow> {
    let t = repo::training(conn, id).await?;
    if authorize(actor, Action::ViewEmployers, Some(t.org_id)).is_err() {
        return Err(DomainError::NotFound.into());
    }
    authorize(actor, action, Some(t.org_id))?;
    Ok(t)
}

/// Adds a training day, for one of the organisation's projects or none.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn add_training(app: &Polku, actor: &Actor, f: &TrainingForm) -> Result<TrainingId> {
    authorize(actor, Action::ManageEmployers, Some(actor.org))?;
    let t = f.parse()?;
    let mut tx = app.db.begin().await?;
    crate::projects::offered(&mut tx, actor, t.project_id.map(ProjectId)).await?;
    let now = app.clock.now();
    let id = repo::add_training(&mut tx, actor.org, &t, now).await?;
    Audit::by(actor, now)
        .create(&mut tx, Entity::CoachTraining(id.0), "")
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// The organisation's training days, newest first.
pub async fn trainings(app: &Polku, actor: &Actor) -> Result<Vec<TrainingRow>> {
    authorize(actor, Action::ViewEmployers, Some(actor.org))?;
    Ok(repo::trainings(&mut *app.db.acquire().await?, actor.org).await?)
}

/// A training day with its list of coaches, and the organisation's coaches who can be invited.
pub struct TrainingView {
    pub t: TrainingRow,
    pub attendees: Vec<AttendeeRow>,
    /// (coach, name, employer's name), the first 500 by name.
    pub invitable: Vec<(CoachId, String, String)>,
}

#[tracing::instrument(skip_all, fields(training = id.0))]
pub async fn training(app: &Polku, actor: &Actor, id: TrainingId) -> Result<TrainingView> {
    let mut tx = app.db.begin().await?;
    let t = training_for(&mut tx, actor, id, Action::ViewEmployers).await?;
    let attendees = repo::attendees(&mut tx, id).await?;
    let invitable = repo::of_org(&mut tx, t.org_id, 500)
        .await?
        .into_iter()
        .filter(|(c, _, _)| !attendees.iter().any(|a| a.coach_id == *c))
        .collect();
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::CoachTraining(id.0), "")
        .await?;
    tx.commit().await?;
    Ok(TrainingView {
        t,
        attendees,
        invitable,
    })
}

/// Puts coaches on a training day's list with a status (invited, present, absent); each must
/// be a coach at an employer of the same organisation.
#[tracing::instrument(skip_all, fields(training = id.0))]
pub async fn mark(
    app: &Polku,
    actor: &Actor,
    id: TrainingId,
    marks: &[(CoachId, TrainingStatus)],
) -> Result<usize> {
    let mut tx = app.db.begin().await?;
    let t = training_for(&mut tx, actor, id, Action::ManageEmployers).await?;
    if marks.is_empty() {
        return Err(Error::field("coach_id", ErrorCode::Required));
    }
    let mut ids: Vec<i64> = marks.iter().map(|(c, _)| c.0).collect();
    ids.sort_unstable();
    ids.dedup();
    if repo::count_of_org(&mut tx, t.org_id, &ids).await? != ids.len() {
        return Err(Error::field("coach_id", ErrorCode::ChoiceInvalid));
    }
    for (coach, status) in marks {
        repo::set_attendance(&mut tx, id, *coach, *status).await?;
    }
    let detail: Vec<String> = marks
        .iter()
        .map(|(c, s)| format!("{}={}", c.0, s.as_str()))
        .collect();
    Audit::by(actor, app.clock.now())
        .update(&mut tx, Entity::CoachTraining(id.0), &detail.join(" "))
        .await?;
    tx.commit().await?;
    Ok(marks.len())
}

/// Records a supervision or follow-up meeting of a placement.
#[tracing::instrument(skip_all, fields(placement = id.0))]
pub async fn add_meeting(
    app: &Polku,
    actor: &Actor,
    id: PlacementId,
    f: &MeetingForm,
) -> Result<MeetingId> {
    let mut tx = app.db.begin().await?;
    let pl = placement_for(&mut tx, actor, id, Action::PlaceParticipants).await?;
    let m = f.parse(pl.starts_on)?;
    if m.date > app.clock.today() {
        return Err(Error::field("date", ErrorCode::DateFuture));
    }
    let now = app.clock.now();
    let mid = repo::add_meeting(&mut tx, id, &m, actor.user, now).await?;
    Audit::by(actor, now)
        .update(
            &mut tx,
            Entity::Placement(id.0),
            &format!("meeting={} kind={}", mid.0, m.kind.as_str()),
        )
        .await?;
    tx.commit().await?;
    Ok(mid)
}
