//! The drop-in service point: opening hours, partner duty shifts, and the visit log.

use crate::{Error, Polku, Result};
use chrono::{Duration, NaiveDate};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::dropin::{HoursForm, PointForm, ShiftForm, VisitForm, Visitor};
use polku_domain::ids::{OrgId, ParticipantId};
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::dropin::{self as repo, PointRow, ShiftRow, VisitRow};
use polku_store::orgs::{self, Org};
use polku_store::participants::ParticipantRow;
use polku_store::Conn;

#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn create_point(app: &Polku, actor: &Actor, f: &PointForm) -> Result<i64> {
    authorize(actor, Action::ManageService, Some(actor.org))?;
    let p = f.parse()?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let id = repo::create(&mut tx, actor.org, &p, now).await?;
    Audit::by(actor, now)
        .create(&mut tx, Entity::DropinPoint(id), "")
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// A point's week from `monday`: hours, shifts, daily counts; and for the organiser, who
/// visited (personal data, audited as a read or, for a download, an export), the
/// organisations that can hold shifts and the participants who can be logged as visitors.
pub struct Week {
    pub p: PointRow,
    pub organiser: bool,
    pub hours: Vec<(i64, String, String)>,
    pub shifts: Vec<ShiftRow>,
    /// (ISO date, registered, anonymous)
    pub counts: Vec<repo::DayCount>,
    pub visits: Vec<VisitRow>,
    pub orgs: Vec<Org>,
    pub participants: Vec<ParticipantRow>,
}

#[tracing::instrument(skip_all, fields(point = id))]
pub async fn week(
    app: &Polku,
    actor: &Actor,
    id: i64,
    monday: NaiveDate,
    export: bool,
) -> Result<Week> {
    authorize(actor, Action::ViewServices, None)?;
    let next = monday + Duration::days(7);
    let mut tx = app.db.begin().await?;
    let p = repo::get(&mut tx, id).await?;
    let organiser = authorize(actor, Action::EditParticipant, Some(p.org_id)).is_ok();
    if export && !organiser {
        return Err(DomainError::Forbidden.into());
    }
    let mut w = Week {
        organiser,
        hours: repo::hours(&mut tx, id).await?,
        shifts: repo::shifts(&mut tx, id, monday, next).await?,
        counts: repo::daily_counts(&mut tx, id, monday, next).await?,
        visits: vec![],
        orgs: vec![],
        participants: vec![],
        p,
    };
    if organiser {
        w.visits = repo::visits(&mut tx, id, monday, next).await?;
        let audit = Audit::by(actor, app.clock.now());
        if export {
            let detail = format!("rows={}", w.visits.len());
            audit.export(&mut tx, Entity::Visits(id), &detail).await?;
        } else {
            audit.read(&mut tx, Entity::Visits(id), "").await?;
            let project = w.p.project_id;
            w.participants = polku_store::participants::search(
                &mut tx,
                &app.cipher,
                actor.org,
                "",
                project,
                500,
            )
            .await?
            .into_iter()
            .filter(|x| x.exit_date.is_none())
            .collect();
            w.orgs = orgs::list(&mut tx).await?;
        }
    }
    tx.commit().await?;
    Ok(w)
}

/// The point, if the actor's organisation runs it.
async fn organised(conn: &mut Conn, actor: &Actor, id: i64) -> Result<PointRow> {
    let p = repo::get(conn, id).await?;
    authorize(actor, Action::ManageService, Some(p.org_id))?;
    Ok(p)
}

/// Sets one weekday's opening hours, or when `closed`, closes the point on the form's weekday.
#[tracing::instrument(skip_all, fields(point = id))]
pub async fn set_hours(
    app: &Polku,
    actor: &Actor,
    id: i64,
    f: &HoursForm,
    closed: bool,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    organised(&mut tx, actor, id).await?;
    let detail = if closed {
        let wd = polku_domain::text::optional_int(&f.weekday, 0, 6)
            .ok()
            .flatten()
            .ok_or_else(|| Error::field("weekday", ErrorCode::Required))?;
        repo::clear_hours(&mut tx, id, wd).await?;
        format!("closed weekday={wd}")
    } else {
        let h = f.parse()?;
        repo::set_hours(&mut tx, id, &h).await?;
        "hours".to_string()
    };
    Audit::by(actor, app.clock.now())
        .update(&mut tx, Entity::DropinPoint(id), &detail)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a duty shift, free or already held by a partner organisation. Returns its day.
#[tracing::instrument(skip_all, fields(point = id))]
pub async fn add_shift(
    app: &Polku,
    actor: &Actor,
    id: i64,
    f: &ShiftForm,
) -> Result<(i64, NaiveDate)> {
    let mut tx = app.db.begin().await?;
    organised(&mut tx, actor, id).await?;
    let s = f.parse()?;
    if let Some(o) = s.org_id {
        orgs::get(&mut tx, OrgId(o))
            .await
            .map_err(|_| Error::field("org_id", ErrorCode::ChoiceInvalid))?;
    }
    let sid = repo::add_shift(&mut tx, id, &s).await?;
    Audit::by(actor, app.clock.now())
        .create(&mut tx, Entity::DutyShift(sid), &format!("point={id}"))
        .await?;
    tx.commit().await?;
    Ok((sid, s.starts_at.date()))
}

/// Takes a free shift for the actor's organisation, or gives back one it holds. Returns the
/// shift's day.
#[tracing::instrument(skip_all, fields(point = id, shift = sid))]
pub async fn change_shift(
    app: &Polku,
    actor: &Actor,
    id: i64,
    sid: i64,
    take: bool,
) -> Result<NaiveDate> {
    authorize(actor, Action::TakeShift, None)?;
    let mut tx = app.db.begin().await?;
    let s = repo::shift(&mut tx, sid).await?;
    if s.point_id.0 != id {
        return Err(DomainError::NotFound.into());
    }
    if take {
        repo::take_shift(&mut tx, sid, actor.org).await?;
    } else {
        if s.org_id != Some(actor.org) {
            return Err(DomainError::Forbidden.into());
        }
        repo::release_shift(&mut tx, sid, actor.org).await?;
    }
    let detail = if take { "taken" } else { "released" };
    Audit::by(actor, app.clock.now())
        .update(&mut tx, Entity::DutyShift(sid), detail)
        .await?;
    tx.commit().await?;
    Ok(s.starts_at.date())
}

/// Logs a visit: a registered participant of the organisation, or anonymous visitors.
/// Returns the visit and its day.
#[tracing::instrument(skip_all, fields(point = id))]
pub async fn add_visit(
    app: &Polku,
    actor: &Actor,
    id: i64,
    f: &VisitForm,
) -> Result<(i64, NaiveDate)> {
    let mut tx = app.db.begin().await?;
    let p = repo::get(&mut tx, id).await?;
    authorize(actor, Action::EditParticipant, Some(p.org_id))?;
    let v = f.parse(app.clock.today())?;
    if let Visitor::Participant(pid) = v.visitor {
        crate::participants::load(&mut tx, actor, ParticipantId(pid), Action::EditParticipant)
            .await
            .map_err(|_| Error::field("participant_id", ErrorCode::ChoiceInvalid))?;
    }
    let now = app.clock.now();
    let vid = repo::add_visit(&mut tx, id, &v, actor, now).await?;
    Audit::by(actor, now)
        .create(&mut tx, Entity::Visit(vid), "")
        .await?;
    tx.commit().await?;
    Ok((vid, v.date))
}

/// Every drop-in point of the network (no personal data).
pub async fn points(app: &Polku, actor: &Actor) -> Result<Vec<PointRow>> {
    authorize(actor, Action::ViewServices, None)?;
    Ok(repo::list(&mut *app.db.acquire().await?).await?)
}
