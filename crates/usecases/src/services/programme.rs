//! A group programme: its page, sessions, enrolment and the waiting list.

use super::{organised, tallies};
use crate::{Error, Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::ParticipantId;
use polku_domain::services::{Approval, AttendanceTally, EnrolmentStatus, SessionForm};
use polku_domain::webhook::WebhookEvent;
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::participants::{self as prepo, ParticipantRow};
use polku_store::services::{self as repo, RosterRow, ServiceRow, SessionRow};

/// One roster line with the person's attendance.
pub struct RosterLine {
    pub r: RosterRow,
    pub tally: AttendanceTally,
}

/// A service as its page shows it. Names and attendance are personal data: only the
/// organising organisation gets the roster, candidates and proposer.
pub struct ServiceView {
    pub s: ServiceRow,
    pub sessions: Vec<SessionRow>,
    pub target_groups: Vec<(i64, String)>,
    pub organiser: bool,
    pub can_approve: bool,
    pub roster: Vec<RosterLine>,
    pub group_tally: AttendanceTally,
    /// Active participants of the project not yet on the roster.
    pub candidates: Vec<ParticipantRow>,
    pub proposer: String,
}

#[tracing::instrument(skip_all, fields(service = id))]
pub async fn show(app: &Polku, actor: &Actor, id: i64) -> Result<ServiceView> {
    authorize(actor, Action::ViewServices, None)?;
    let mut tx = app.db.begin().await?;
    let s = repo::get(&mut tx, id).await?;
    let organiser = authorize(actor, Action::ManageService, Some(s.org_id)).is_ok();
    // Partner staff see the roster of their group, never the rest of their organisation's people.
    let sees_people = authorize(actor, Action::ViewParticipant, Some(s.org_id)).is_ok();
    if s.approval != Approval::Approved && !organiser {
        return Err(DomainError::NotFound.into());
    }
    let can_approve = s.approval == Approval::Pending
        && authorize(actor, Action::ApproveService, Some(s.org_id)).is_ok();
    let mut view = ServiceView {
        sessions: repo::sessions(&mut tx, id).await?,
        target_groups: repo::target_groups(&mut tx, id).await?,
        organiser,
        can_approve,
        roster: vec![],
        group_tally: AttendanceTally::default(),
        candidates: vec![],
        proposer: String::new(),
        s,
    };
    if organiser {
        let (per, all) = tallies(&repo::attendance(&mut tx, id).await?);
        view.group_tally = all;
        view.roster = repo::roster(&mut tx, id)
            .await?
            .into_iter()
            .map(|r| RosterLine {
                tally: per.get(&r.participant_id).copied().unwrap_or_default(),
                r,
            })
            .collect();
        let on_roster: Vec<ParticipantId> =
            view.roster.iter().map(|l| l.r.participant_id).collect();
        if sees_people {
            view.candidates =
                prepo::search(&mut tx, &app.cipher, actor.org, "", view.s.project_id, 500)
                    .await?
                    .into_iter()
                    .filter(|p| p.exit_date.is_none() && !on_roster.contains(&p.id))
                    .collect();
        }
        if let Some(p) = view.s.proposed_by_participant_id {
            view.proposer = prepo::get(&mut tx, p)
                .await
                .map(|p| format!("{} {}", p.first_name, p.last_name))
                .unwrap_or_default();
        }
        Audit::by(actor, app.clock.now())
            .read(&mut tx, Entity::ServiceRoster(id), "")
            .await?;
    }
    tx.commit().await?;
    Ok(view)
}

#[tracing::instrument(skip_all, fields(service = id))]
pub async fn add_session(app: &Polku, actor: &Actor, id: i64, f: &SessionForm) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    organised(&mut tx, actor, id).await?;
    let d = f.parse()?;
    let sid = repo::add_session(&mut tx, id, &d).await?;
    Audit::by(actor, app.clock.now())
        .create(&mut tx, Entity::Session(sid), &format!("service={id}"))
        .await?;
    tx.commit().await?;
    Ok(sid)
}

/// Enrols one of the organisation's participants (`None`: none was chosen), or puts them on
/// the waiting list when asked to or when the group is full.
#[tracing::instrument(skip_all, fields(service = id))]
pub async fn enrol(
    app: &Polku,
    actor: &Actor,
    id: i64,
    pid: Option<ParticipantId>,
    waitlist: bool,
) -> Result<EnrolmentStatus> {
    let mut tx = app.db.begin().await?;
    let s = organised(&mut tx, actor, id).await?;
    if s.approval != Approval::Approved {
        return Err(Error::field("rule", ErrorCode::NotApproved));
    }
    let pid = pid.ok_or_else(|| Error::field("participant_id", ErrorCode::Required))?;
    crate::participants::load(&mut tx, actor, pid, Action::EditParticipant).await?;
    let now = app.clock.now();
    let status = repo::enrol(&mut tx, id, pid, waitlist, now).await?;
    let data =
        serde_json::json!({"service_id": id, "participant_id": pid.0, "status": status.as_str()});
    let org = s.org_id;
    crate::webhooks::notify(&mut tx, org, WebhookEvent::EnrolmentCreated, data, now, now).await?;
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Enrolment(pid.0),
            &format!("service={id} {}", status.as_str()),
        )
        .await?;
    tx.commit().await?;
    Ok(status)
}

/// Cancels an enrolment; the first on the waiting list takes the place. Returns who did.
#[tracing::instrument(skip_all, fields(service = id, participant = pid.0))]
pub async fn cancel_enrolment(
    app: &Polku,
    actor: &Actor,
    id: i64,
    pid: ParticipantId,
) -> Result<Option<i64>> {
    let mut tx = app.db.begin().await?;
    organised(&mut tx, actor, id).await?;
    crate::participants::load(&mut tx, actor, pid, Action::EditParticipant).await?;
    let now = app.clock.now();
    let promoted = repo::cancel(&mut tx, id, pid, now).await?;
    let audit = Audit::by(actor, now);
    audit
        .update(
            &mut tx,
            Entity::Enrolment(pid.0),
            &format!("service={id} cancelled"),
        )
        .await?;
    if let Some(p) = promoted {
        let detail = format!("service={id} promoted from waiting list");
        audit.update(&mut tx, Entity::Enrolment(p), &detail).await?;
    }
    tx.commit().await?;
    Ok(promoted)
}

/// The roster with each person's attendance, and the group's, for a download in `format`
/// (audited as an export; `None`: the format asked for is not one there is).
#[tracing::instrument(skip_all, fields(service = id))]
pub async fn roster_export<F>(
    app: &Polku,
    actor: &Actor,
    id: i64,
    format: Option<F>,
) -> Result<(F, ServiceRow, Vec<RosterLine>, AttendanceTally)> {
    let mut tx = app.db.begin().await?;
    let s = organised(&mut tx, actor, id).await?;
    let format = format.ok_or_else(|| Error::field("format", ErrorCode::ChoiceInvalid))?;
    let (per, all) = tallies(&repo::attendance(&mut tx, id).await?);
    let roster: Vec<RosterLine> = repo::roster(&mut tx, id)
        .await?
        .into_iter()
        .map(|r| RosterLine {
            tally: per.get(&r.participant_id).copied().unwrap_or_default(),
            r,
        })
        .collect();
    Audit::by(actor, app.clock.now())
        .export(
            &mut tx,
            Entity::ServiceRoster(id),
            &format!("rows={}", roster.len()),
        )
        .await?;
    tx.commit().await?;
    Ok((format, s, roster, all))
}
