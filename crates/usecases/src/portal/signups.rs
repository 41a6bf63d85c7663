//! Signing up in the job seeker's own channel: the groups, events and study-menu modules of
//! their organisation open to them, with free places and the waiting list; cancelling; and a
//! module of their own proposed (TEHDAS), which waits for a counsellor's approval.

use super::{by_person, own, Person};
use crate::{Error, Polku, Result};
use polku_domain::services::{Approval, EnrolmentStatus, ServiceForm};
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::Entity;
use polku_store::services::{self as repo, ParticipantServiceRow, ServiceRow};

/// What the person may sign up for, and where they are signed up already.
pub struct Offered {
    pub services: Vec<ServiceRow>,
    pub mine: Vec<ParticipantServiceRow>,
    /// Their own proposals, approved or still waiting.
    pub proposed: Vec<ServiceRow>,
}

#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn offered(app: &Polku, who: &Person) -> Result<Offered> {
    let mut tx = app.db.begin().await?;
    own(&mut tx, who).await?;
    let offered = Offered {
        services: repo::open_to(&mut tx, who.participant, app.clock.today()).await?,
        mine: repo::for_participant(&mut tx, who.participant).await?,
        proposed: repo::proposed_by(&mut tx, who.participant).await?,
    };
    by_person(who, app.clock.now())
        .read(
            &mut tx,
            Entity::Participant(who.participant.0),
            "portal: sign-ups",
        )
        .await?;
    tx.commit().await?;
    Ok(offered)
}

/// A service open to the person, else as if it did not exist.
async fn open_one(
    conn: &mut polku_store::Conn,
    app: &Polku,
    who: &Person,
    id: i64,
) -> Result<ServiceRow> {
    repo::open_to(conn, who.participant, app.clock.today())
        .await?
        .into_iter()
        .find(|s| s.id.0 == id)
        .ok_or_else(|| DomainError::NotFound.into())
}

/// Signs up: a place, or a place on the waiting list when the group is full.
#[tracing::instrument(skip_all, fields(participant = who.participant.0, service = id))]
pub async fn sign_up(app: &Polku, who: &Person, id: i64) -> Result<EnrolmentStatus> {
    let mut tx = app.db.begin().await?;
    own(&mut tx, who).await?;
    open_one(&mut tx, app, who, id).await?;
    let now = app.clock.now();
    let status = repo::enrol(&mut tx, id, who.participant, true, now).await?;
    let data = serde_json::json!({"service_id": id, "participant_id": who.participant.0, "status": status.as_str()});
    crate::webhooks::notify(
        &mut tx,
        who.org,
        polku_domain::webhook::WebhookEvent::EnrolmentCreated,
        data,
        now,
        now,
    )
    .await?;
    by_person(who, now)
        .create(
            &mut tx,
            Entity::Enrolment(who.participant.0),
            &format!("service={id} {} portal", status.as_str()),
        )
        .await?;
    tx.commit().await?;
    Ok(status)
}

/// Cancels their place (or their place in the queue); the first waiting takes a freed place.
#[tracing::instrument(skip_all, fields(participant = who.participant.0, service = id))]
pub async fn cancel(app: &Polku, who: &Person, id: i64) -> Result<()> {
    let mut tx = app.db.begin().await?;
    own(&mut tx, who).await?;
    open_one(&mut tx, app, who, id).await?;
    let now = app.clock.now();
    let promoted = repo::cancel(&mut tx, id, who.participant, now).await?;
    let audit = by_person(who, now);
    audit
        .update(
            &mut tx,
            Entity::Enrolment(who.participant.0),
            &format!("service={id} cancelled portal"),
        )
        .await?;
    if let Some(p) = promoted {
        let detail = format!("service={id} promoted from waiting list");
        audit.update(&mut tx, Entity::Enrolment(p), &detail).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A module of their own for the study menu, in their project, waiting for approval.
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn propose(app: &Polku, who: &Person, f: &ServiceForm) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    let p = own(&mut tx, who).await?;
    if crate::participants::archived(&p, app.clock.today()) {
        return Err(Error::field("form", ErrorCode::ProjectArchived));
    }
    // What the person may choose is the name, the description, the day and the place; the
    // rest is fixed for a participant's proposal.
    let form = ServiceForm {
        project_id: p.project_id.to_string(),
        kind: "training_module".into(),
        channel: "in_person".into(),
        offered_by: "participant".into(),
        proposed_by_participant_id: p.id.to_string(),
        languages: "fi".into(),
        capacity: String::new(),
        version: String::new(),
        ..f.clone()
    };
    let d = form.parse()?;
    if d.initial_approval() != Approval::Pending {
        return Err(Error::field("form", ErrorCode::Internal));
    }
    let now = app.clock.now();
    let id = repo::create(&mut tx, p.org_id, p.org_id, &d, now).await?;
    by_person(who, now)
        .create(&mut tx, Entity::Service(id), "portal: proposed module")
        .await?;
    tx.commit().await?;
    Ok(id)
}
