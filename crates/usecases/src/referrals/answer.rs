//! The receiver's answer: accept with its own record of the person (a new intake, or one it
//! already has), decline or return; then started, completed or interrupted.

use super::{load, Side};
use crate::{Error, Polku, Result};
use polku_domain::authz::{Action, Actor, Role};
use polku_domain::ids::{ParticipantId, ReferralId};
use polku_domain::participant::IntakeForm;
use polku_domain::referral::ProgressForm;
use polku_domain::services::{Approval, EnrolmentStatus};
use polku_domain::webhook::WebhookEvent;
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::referrals::{self as repo, ReferralRow};
use polku_store::{Conn, StoreError};

/// What accepting did: the receiver's record of the person and, for a referral to a service,
/// whether they got a place or a place on the waiting list.
#[derive(Debug, Clone, Copy)]
pub struct Accepted {
    pub participant: ParticipantId,
    pub enrolment: Option<EnrolmentStatus>,
}

/// A referral still waiting for the receiver's answer, loaded for the receiver.
async fn open_for_receiver(conn: &mut Conn, actor: &Actor, id: ReferralId) -> Result<ReferralRow> {
    let (r, side) = load(conn, actor, id).await?;
    if side != Side::Receiver {
        return Err(DomainError::Forbidden.into());
    }
    if !r.status.is_sent() {
        return Err(Error::field("form", ErrorCode::ReferralState));
    }
    Ok(r)
}

/// The intake form for accepting, filled in with what the consent shares (the read is
/// audited in both organisations' logs).
#[tracing::instrument(skip_all, fields(referral = id.0))]
pub async fn intake_form_for(
    app: &Polku,
    actor: &Actor,
    id: ReferralId,
) -> Result<(ReferralRow, IntakeForm)> {
    let mut tx = app.db.begin().await?;
    let r = open_for_receiver(&mut tx, actor, id).await?;
    let on = r.shared();
    let mut f = IntakeForm {
        first_name: r.first_name.clone(),
        last_name: r.last_name.clone(),
        entry_date: polku_domain::dates::format_fi(app.clock.today()),
        ..Default::default()
    };
    if matches!(actor.role, Role::Counsellor) {
        f.counsellor_id = actor.user.to_string();
    }
    if let Ok(p) = polku_store::participants::get(&mut tx, r.from_participant_id).await {
        if on.contact {
            f.email = p.email.clone().unwrap_or_default();
            f.phone = p.phone.clone().unwrap_or_default();
            f.municipality = p.municipality.clone();
        }
        if on.hetu {
            f.hetu = polku_store::participants::hetu(&app.cipher, &p)?.unwrap_or_default();
        }
    }
    for org in [r.from_org_id, r.to_org_id] {
        Audit::by(actor, app.clock.now())
            .in_org(Some(org))
            .read(
                &mut tx,
                Entity::Referral(id.0),
                "referral, intake for accepting",
            )
            .await?;
    }
    tx.commit().await?;
    Ok((r, f))
}

/// Accepts with a new record of the person made from the intake answers.
#[tracing::instrument(skip_all, fields(referral = id.0))]
pub async fn accept_new(
    app: &Polku,
    actor: &Actor,
    id: ReferralId,
    (f, version): (&IntakeForm, i64),
) -> Result<Accepted> {
    let mut tx = app.db.begin().await?;
    let r = open_for_receiver(&mut tx, actor, id).await?;
    let pid = crate::participants::intake_in(&mut tx, app, actor, f).await?;
    let done = finish(&mut tx, app, actor, (&r, pid, version)).await?;
    tx.commit().await?;
    Ok(done)
}

/// Accepts with a record of the person the receiver already has (`None`: none was chosen).
#[tracing::instrument(skip_all, fields(referral = id.0))]
pub async fn accept_link(
    app: &Polku,
    actor: &Actor,
    id: ReferralId,
    (pid, version): (Option<ParticipantId>, i64),
) -> Result<Accepted> {
    let mut tx = app.db.begin().await?;
    let r = open_for_receiver(&mut tx, actor, id).await?;
    let pid = pid.ok_or_else(|| Error::field("participant_id", ErrorCode::Required))?;
    let p = crate::participants::load(&mut tx, actor, pid, Action::EditParticipant).await?;
    // One who has already left is no one to take in.
    if p.exit_date.is_some_and(|d| d <= app.clock.today()) {
        return Err(Error::field("participant_id", ErrorCode::ChoiceInvalid));
    }
    let done = finish(&mut tx, app, actor, (&r, pid, version)).await?;
    tx.commit().await?;
    Ok(done)
}

/// Marks the referral accepted and, for a service, enrols the person or puts them on its
/// waiting list when it is full. Two receivers taking the last place at once: the service's
/// seat count is taken in one guarded update, so exactly one gets it.
async fn finish(
    tx: &mut Conn,
    app: &Polku,
    actor: &Actor,
    (r, pid, version): (&ReferralRow, ParticipantId, i64),
) -> Result<Accepted> {
    let now = app.clock.now();
    repo::accept(tx, r.id, pid, (app.clock.today(), version)).await?;
    let mut enrolment = None;
    if let Some(sid) = r.to_service_id {
        let s = polku_store::services::get(tx, sid.0).await?;
        if s.approval != Approval::Approved || s.org_id != actor.org {
            return Err(Error::field("form", ErrorCode::NotApproved));
        }
        let status = match polku_store::services::enrol(tx, sid.0, pid, true, now).await {
            Err(StoreError::Rule(ErrorCode::AlreadyEnrolled)) => {
                polku_store::services::enrolment(tx, sid.0, pid.0).await?
            }
            other => Some(other?),
        };
        if let Some(status) = status {
            let data = serde_json::json!({"service_id": sid.0, "participant_id": pid.0, "status": status.as_str()});
            crate::webhooks::notify(
                tx,
                actor.org,
                WebhookEvent::EnrolmentCreated,
                data,
                now,
                now,
            )
            .await?;
            Audit::by(actor, now)
                .create(
                    tx,
                    Entity::Enrolment(pid.0),
                    &format!("service={} {} referral={}", sid.0, status.as_str(), r.id.0),
                )
                .await?;
        }
        enrolment = status;
    }
    let detail = format!("accepted participant={}", pid.0);
    for org in [r.from_org_id, r.to_org_id] {
        Audit::by(actor, now)
            .in_org(Some(org))
            .update(tx, Entity::Referral(r.id.0), &detail)
            .await?;
    }
    Ok(Accepted {
        participant: pid,
        enrolment,
    })
}

/// Declined or returned with a reason, or started, completed or interrupted on a day.
#[tracing::instrument(skip_all, fields(referral = id.0))]
pub async fn progress(
    app: &Polku,
    actor: &Actor,
    id: ReferralId,
    f: &ProgressForm,
) -> Result<ReferralRow> {
    let mut tx = app.db.begin().await?;
    let (r, side) = load(&mut tx, actor, id).await?;
    if side != Side::Receiver {
        return Err(DomainError::Forbidden.into());
    }
    let p = f.parse(r.status, r.referred_on, app.clock.today())?;
    repo::progress(&mut tx, id, &p).await?;
    let now = app.clock.now();
    for org in [r.from_org_id, r.to_org_id] {
        Audit::by(actor, now)
            .in_org(Some(org))
            .update(&mut tx, Entity::Referral(id.0), p.status.as_str())
            .await?;
    }
    let r = repo::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(r)
}
