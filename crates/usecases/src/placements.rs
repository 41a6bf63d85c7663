//! Openings, proposals and placements: a counsellor proposes their own participants to an
//! employer's opening, the coordinator records the answer, and a placement runs its periods
//! to a result that feeds the participant's outcome.

use crate::employers::load as load_employer;
use crate::participants::{load as load_participant, record_exit};
use crate::{Error, Polku, Result};
use polku_domain::authz::{Action, Actor};
use polku_domain::ids::{EmployerId, OpeningId, ParticipantId, PlacementId};
use polku_domain::participant::Exit;
use polku_domain::placement::{
    ExtensionForm, OpeningForm, OpeningStatus, PlacementEndForm, PlacementForm, ProposalStatus,
};
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::coaches::{self, MeetingRow};
use polku_store::placements::{self as repo, ExtensionRow, OpeningRow, PlacementRow, ProposalRow};
use polku_store::Conn;

#[tracing::instrument(skip_all, fields(employer = id.0))]
pub async fn add_opening(
    app: &Polku,
    actor: &Actor,
    id: EmployerId,
    f: &OpeningForm,
) -> Result<OpeningId> {
    let mut tx = app.db.begin().await?;
    load_employer(&mut tx, actor, id, Action::ManageEmployers).await?;
    let o = f.parse()?;
    let now = app.clock.now();
    let oid = repo::add_opening(&mut tx, id, None, &o, actor.user, now).await?;
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Opening(oid.0),
            &format!("employer={}", id.0),
        )
        .await?;
    tx.commit().await?;
    Ok(oid)
}

/// The opening, if its employer is in the actor's register.
async fn opening_for(
    conn: &mut Conn,
    actor: &Actor,
    id: OpeningId,
    action: Action,
) -> Result<OpeningRow> {
    let o = repo::opening(conn, id).await?;
    load_employer(conn, actor, o.employer_id, action).await?;
    Ok(o)
}

/// The organisation's open openings, soonest deadline first: where counsellors look for a place
/// for their participants.
pub async fn open_openings(app: &Polku, actor: &Actor, limit: i64) -> Result<Vec<OpeningRow>> {
    polku_domain::authz::authorize(actor, Action::ViewEmployers, Some(actor.org))?;
    let mut conn = app.db.acquire().await?;
    Ok(repo::open_openings(&mut conn, actor.org, limit).await?)
}

/// Opens, fills or closes an opening (a filled or closed one takes no more proposals).
#[tracing::instrument(skip_all, fields(opening = id.0))]
pub async fn set_status(app: &Polku, actor: &Actor, id: OpeningId, status: &str) -> Result<()> {
    let mut tx = app.db.begin().await?;
    opening_for(&mut tx, actor, id, Action::ManageEmployers).await?;
    let status = OpeningStatus::parse(status).map_err(|c| Error::field("status", c))?;
    repo::set_opening_status(&mut tx, id, status).await?;
    Audit::by(actor, app.clock.now())
        .update(
            &mut tx,
            Entity::Opening(id.0),
            &format!("status={}", status.as_str()),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// An opening with the participants proposed to it.
pub struct OpeningView {
    pub o: OpeningRow,
    pub proposals: Vec<ProposalRow>,
}

#[tracing::instrument(skip_all, fields(opening = id.0))]
pub async fn opening(app: &Polku, actor: &Actor, id: OpeningId) -> Result<OpeningView> {
    let mut tx = app.db.begin().await?;
    let o = opening_for(&mut tx, actor, id, Action::ViewEmployers).await?;
    // A partner the employer is shared with sees the opening, not whom the owner proposed.
    let e = polku_store::employers::get(&mut tx, o.employer_id).await?;
    let proposals = if e.org_id == actor.org {
        repo::proposals(&mut tx, id).await?
    } else {
        vec![]
    };
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Opening(id.0), "")
        .await?;
    tx.commit().await?;
    Ok(OpeningView { o, proposals })
}

/// Proposes one of the actor's own organisation's participants to an open opening.
#[tracing::instrument(skip_all, fields(opening = id.0))]
pub async fn propose(
    app: &Polku,
    actor: &Actor,
    id: OpeningId,
    who: Option<ParticipantId>,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let o = opening_for(&mut tx, actor, id, Action::PlaceParticipants).await?;
    let who = who.ok_or_else(|| Error::field("participant_id", ErrorCode::Required))?;
    load_participant(&mut tx, actor, who, Action::PlaceParticipants)
        .await
        .map_err(|_| Error::field("participant_id", ErrorCode::ChoiceInvalid))?;
    if o.status != OpeningStatus::Open {
        return Err(Error::field("participant_id", ErrorCode::OpeningClosed));
    }
    let now = app.clock.now();
    if !repo::propose(&mut tx, id, who, actor.user, now).await? {
        return Err(Error::field("participant_id", ErrorCode::Duplicate));
    }
    Audit::by(actor, now)
        .update(
            &mut tx,
            Entity::Opening(id.0),
            &format!("proposed={}", who.0),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Records the employer's answer to a proposal (accepted or declined).
#[tracing::instrument(skip_all, fields(opening = id.0, participant = who.0))]
pub async fn answer(
    app: &Polku,
    actor: &Actor,
    id: OpeningId,
    who: ParticipantId,
    answer: &str,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    opening_for(&mut tx, actor, id, Action::ManageEmployers).await?;
    let status = ProposalStatus::parse(answer).map_err(|c| Error::field("answer", c))?;
    let now = app.clock.now();
    if !repo::answer(&mut tx, id, who, status, now).await? {
        return Err(DomainError::NotFound.into());
    }
    Audit::by(actor, now)
        .update(
            &mut tx,
            Entity::Opening(id.0),
            &format!("answer={}:{}", who.0, status.as_str()),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Places one of the organisation's participants with the employer, from an opening (which is
/// then filled once all its places are taken) or directly.
#[tracing::instrument(skip_all, fields(employer = id.0))]
pub async fn place(
    app: &Polku,
    actor: &Actor,
    id: EmployerId,
    opening: Option<OpeningId>,
    f: &PlacementForm,
) -> Result<PlacementId> {
    let mut tx = app.db.begin().await?;
    load_employer(&mut tx, actor, id, Action::PlaceParticipants).await?;
    let n = f.parse()?;
    let who = ParticipantId(n.participant_id);
    let p = load_participant(&mut tx, actor, who, Action::PlaceParticipants)
        .await
        .map_err(|_| Error::field("participant_id", ErrorCode::ChoiceInvalid))?;
    if n.period.starts_on < p.entry_date {
        return Err(Error::field("starts_on", ErrorCode::DateRange));
    }
    if let Some(oid) = opening {
        // The employer is the actor's (checked above), so its opening is too.
        let o = repo::opening(&mut tx, oid).await?;
        if o.employer_id != id {
            return Err(DomainError::NotFound.into());
        }
        repo::answer(&mut tx, oid, who, ProposalStatus::Accepted, app.clock.now()).await?;
        let taken = repo::proposals(&mut tx, oid)
            .await?
            .iter()
            .filter(|r| r.status == ProposalStatus::Accepted)
            .count() as i64;
        if taken >= o.places {
            repo::set_opening_status(&mut tx, oid, OpeningStatus::Filled).await?;
        }
    }
    let now = app.clock.now();
    let pid = repo::place(&mut tx, id, opening, &n, now).await?;
    if let Some(name) = &n.coach {
        let coach = coaches::by_name_or_add(&mut tx, id, name, now).await?;
        coaches::set_placement_coach(&mut tx, pid, coach).await?;
    }
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Placement(pid.0),
            &format!("employer={} participant={}", id.0, who.0),
        )
        .await?;
    tx.commit().await?;
    Ok(pid)
}

/// A placement with its periods and the meetings that followed it.
pub struct PlacementView {
    pub pl: PlacementRow,
    pub extensions: Vec<ExtensionRow>,
    pub meetings: Vec<MeetingRow>,
}

pub(crate) async fn placement_for(
    conn: &mut Conn,
    actor: &Actor,
    id: PlacementId,
    action: Action,
) -> Result<PlacementRow> {
    let pl = repo::placement(conn, id).await?;
    let e = load_employer(conn, actor, pl.employer_id, action).await?;
    // A placement is the owner's participant's: not for a partner the employer is shared with.
    if e.org_id != actor.org {
        return Err(DomainError::NotFound.into());
    }
    Ok(pl)
}

#[tracing::instrument(skip_all, fields(placement = id.0))]
pub async fn placement(app: &Polku, actor: &Actor, id: PlacementId) -> Result<PlacementView> {
    let mut tx = app.db.begin().await?;
    let pl = placement_for(&mut tx, actor, id, Action::ViewEmployers).await?;
    let extensions = repo::extensions(&mut tx, id).await?;
    let meetings = coaches::meetings(&mut tx, id).await?;
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Placement(id.0), "")
        .await?;
    tx.commit().await?;
    Ok(PlacementView {
        pl,
        extensions,
        meetings,
    })
}

fn version_of(input: &str, current: i64) -> i64 {
    polku_domain::text::optional_int(input, 1, i64::MAX)
        .ok()
        .flatten()
        .unwrap_or(current)
}

/// Extends a running placement by a period that begins after its current end.
#[tracing::instrument(skip_all, fields(placement = id.0))]
pub async fn extend(
    app: &Polku,
    actor: &Actor,
    id: PlacementId,
    f: &ExtensionForm,
    version: &str,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let pl = placement_for(&mut tx, actor, id, Action::PlaceParticipants).await?;
    if pl.result.is_some() {
        return Err(Error::field("starts_on", ErrorCode::PlacementEnded));
    }
    let x = f.parse(pl.ends_on)?;
    let now = app.clock.now();
    if !repo::extend(&mut tx, id, &x, version_of(version, pl.version), now).await? {
        return Err(DomainError::Conflict.into());
    }
    Audit::by(actor, now)
        .update(
            &mut tx,
            Entity::Placement(id.0),
            &format!("extended_to={}", polku_store::date(x.period.ends_on)),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Records how the placement ended. A hire, another job or education settles the
/// participant's outcome: if they are still in the project, they exit with it on that day.
#[tracing::instrument(skip_all, fields(placement = id.0))]
pub async fn end(
    app: &Polku,
    actor: &Actor,
    id: PlacementId,
    f: &PlacementEndForm,
    version: &str,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let pl = placement_for(&mut tx, actor, id, Action::PlaceParticipants).await?;
    if pl.result.is_some() {
        return Err(Error::field("result", ErrorCode::PlacementEnded));
    }
    let end = f.parse(pl.starts_on)?;
    if end.ended_on > app.clock.today() {
        return Err(Error::field("ended_on", ErrorCode::DateFuture));
    }
    let now = app.clock.now();
    if !repo::end(&mut tx, id, &end, version_of(version, pl.version)).await? {
        return Err(DomainError::Conflict.into());
    }
    Audit::by(actor, now)
        .update(
            &mut tx,
            Entity::Placement(id.0),
            &format!("result={}", end.result.as_str()),
        )
        .await?;
    if let Some(status) = end.result.exit_status(pl.kind) {
        let p =
            load_participant(&mut tx, actor, pl.participant_id, Action::ViewParticipant).await?;
        if p.exit_date.is_none() && end.ended_on >= p.entry_date {
            let exit = Exit {
                date: end.ended_on,
                status,
                qualification: false,
                in_education: status == polku_domain::participant::ExitStatus::Education,
                version: p.version,
            };
            record_exit(&mut tx, actor, &p, &exit, "placement", now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Whom the actor could propose to an opening: their organisation's participants still in a
/// project, from the first 500 of the register (a page, not the whole register at 1M).
#[tracing::instrument(skip_all)]
pub async fn candidates(
    app: &Polku,
    actor: &Actor,
) -> Result<Vec<polku_store::participants::ParticipantRow>> {
    let search = crate::participants::Search {
        text: "",
        project: None,
        limit: Some(500),
        offset: 0,
        export: false,
        via: "placement",
    };
    Ok(crate::participants::search(app, actor, search)
        .await?
        .into_iter()
        .filter(|p| p.exit_date.is_none())
        .collect())
}
