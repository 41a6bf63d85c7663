//! The employer register: employers with their contact persons and the timeline of what was
//! done with them. Another organisation's employer answers as if it did not exist.

use crate::{Error, Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::employer::{
    AttendeeKind, Attendees, ContactPersonForm, EmployerForm, InteractionForm,
};
use polku_domain::ids::{EmployerId, InteractionId, OrgId, ProjectId};
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::employer_shares as shares;
use polku_store::employers::{self as repo, ContactPersonRow, EmployerRow, InteractionRow};
use polku_store::placements::{self as places, OpeningRow, PlacementRow};
use polku_store::Conn;

/// The employer, if the actor may do `action` with their organisation's register.
pub(crate) async fn load(
    conn: &mut Conn,
    actor: &Actor,
    id: EmployerId,
    action: Action,
) -> Result<EmployerRow> {
    let e = repo::get(conn, id).await?;
    if authorize(actor, Action::ViewEmployers, Some(e.org_id)).is_err() {
        // Shared with the actor's organisation: seen by those who see their own register,
        // never changed by them.
        let sees = authorize(actor, Action::ViewEmployers, Some(actor.org)).is_ok();
        if !sees || !shares::is_shared_with(conn, id, actor.org).await? {
            return Err(DomainError::NotFound.into());
        }
        if action != Action::ViewEmployers {
            return Err(DomainError::Forbidden.into());
        }
        return Ok(e);
    }
    authorize(actor, action, Some(e.org_id))?;
    Ok(e)
}

/// Shares the employer with a partner organisation of one of the owner's projects.
#[tracing::instrument(skip_all, fields(employer = id.0))]
pub async fn share(app: &Polku, actor: &Actor, id: EmployerId, with: Option<OrgId>) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let e = load(&mut tx, actor, id, Action::ManageEmployers).await?;
    let with = with.ok_or_else(|| Error::field("org_id", ErrorCode::Required))?;
    let partners = shares::share_candidates(&mut tx, e.org_id).await?;
    if !partners.iter().any(|(o, _)| *o == with) {
        return Err(Error::field("org_id", ErrorCode::ChoiceInvalid));
    }
    let now = app.clock.now();
    shares::share(&mut tx, id, with, actor.user, now).await?;
    Audit::by(actor, now)
        .update(
            &mut tx,
            Entity::Employer(id.0),
            &format!("shared_with={}", with.0),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Refuses attendees who are not the organisation's staff, the employer's contact persons or
/// the organisation's participants.
async fn attendees_of(
    conn: &mut Conn,
    actor: &Actor,
    e: &EmployerRow,
    who: &Attendees,
) -> Result<()> {
    let staff = polku_store::users::list(conn, Some(e.org_id)).await?;
    if who
        .of(AttendeeKind::Staff)
        .any(|u| !staff.iter().any(|s| s.id.0 == u))
    {
        return Err(Error::field("staff_id", ErrorCode::ChoiceInvalid));
    }
    let contacts = repo::contacts(conn, e.id).await?;
    if who
        .of(AttendeeKind::Contact)
        .any(|c| !contacts.iter().any(|x| x.id == c))
    {
        return Err(Error::field("contact_id", ErrorCode::ChoiceInvalid));
    }
    let people: Vec<i64> = who.of(AttendeeKind::Participant).collect();
    if people.is_empty() {
        return Ok(());
    }
    authorize(actor, Action::PlaceParticipants, Some(e.org_id))?;
    let sql = "SELECT COUNT(*) FROM participants WHERE org_id = $1 AND id IN ({ids})";
    if polku_store::row::count_of_org(conn, sql, e.org_id, &people).await? != people.len() {
        return Err(Error::field("participant_id", ErrorCode::ChoiceInvalid));
    }
    Ok(())
}

/// Adds an employer to the organisation's register; a Y-tunnus already there is refused.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn create(app: &Polku, actor: &Actor, f: &EmployerForm) -> Result<EmployerId> {
    authorize(actor, Action::ManageEmployers, Some(actor.org))?;
    let e = f.parse()?;
    let mut tx = app.db.begin().await?;
    if repo::by_business_id(&mut tx, actor.org, e.business_id.as_str())
        .await?
        .is_some()
    {
        return Err(Error::field("business_id", ErrorCode::EmployerExists));
    }
    // A duplicate under another Y-tunnus (a typo, a new one of the same firm) is asked about.
    let namesake = repo::by_name(&mut tx, actor.org, &e.name).await?;
    if namesake.is_some() && f.same_name.as_deref() != Some("on") {
        return Err(Error::field("name", ErrorCode::EmployerNameExists));
    }
    let now = app.clock.now();
    let id = repo::create(&mut tx, actor.org, &e, now).await?;
    Audit::by(actor, now)
        .create(&mut tx, Entity::Employer(id.0), "")
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an employer's details at the version the form was read at (409 on a stale one).
#[tracing::instrument(skip_all, fields(employer = id.0))]
pub async fn update(app: &Polku, actor: &Actor, id: EmployerId, f: &EmployerForm) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let old = load(&mut tx, actor, id, Action::ManageEmployers).await?;
    let e = f.parse()?;
    let version = polku_domain::text::optional_int(&f.version, 1, i64::MAX)
        .ok()
        .flatten()
        .unwrap_or(old.version);
    if let Some(other) = repo::by_business_id(&mut tx, old.org_id, e.business_id.as_str()).await? {
        if other.id != id {
            return Err(Error::field("business_id", ErrorCode::EmployerExists));
        }
    }
    if !repo::update(&mut tx, id, &e, version).await? {
        return Err(DomainError::Conflict.into());
    }
    Audit::by(actor, app.clock.now())
        .update(&mut tx, Entity::Employer(id.0), "")
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Opens a transaction, loads the employer for `action` and audits the read (`what` was read).
async fn read(
    app: &Polku,
    actor: &Actor,
    id: EmployerId,
    (action, what): (Action, &str),
) -> Result<(polku_store::Tx, EmployerRow)> {
    let mut tx = app.db.begin().await?;
    let e = load(&mut tx, actor, id, action).await?;
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Employer(id.0), what)
        .await?;
    Ok((tx, e))
}

/// The employer's details, for its form: only the row, not the page's lists.
#[tracing::instrument(skip_all, fields(employer = id.0))]
pub async fn details(app: &Polku, actor: &Actor, id: EmployerId) -> Result<EmployerRow> {
    let (tx, e) = read(app, actor, id, (Action::ManageEmployers, "form")).await?;
    tx.commit().await?;
    Ok(e)
}

/// An employer's page: details, contact persons, timeline, openings and placements.
pub struct EmployerView {
    pub e: EmployerRow,
    pub contacts: Vec<ContactPersonRow>,
    pub interactions: Vec<InteractionRow>,
    pub openings: Vec<OpeningRow>,
    pub placements: Vec<PlacementRow>,
    pub coaches: Vec<polku_store::coaches::CoachRow>,
    /// Who took part in the interactions, by name.
    pub attendees: Vec<repo::AttendeeNameRow>,
    /// The partner organisations it is shared with, by name.
    pub shared_with: Vec<String>,
    /// Whom it can be shared with (for those who manage it).
    pub share_candidates: Vec<(OrgId, String)>,
    pub can_manage: bool,
    pub can_place: bool,
}

/// The employer as its page shows it; contact persons and placed participants are personal
/// data, so the read is audited.
#[tracing::instrument(skip_all, fields(employer = id.0))]
pub async fn view(app: &Polku, actor: &Actor, id: EmployerId) -> Result<EmployerView> {
    let (mut tx, e) = read(app, actor, id, (Action::ViewEmployers, "")).await?;
    let own = e.org_id == actor.org;
    let mut v = EmployerView {
        contacts: repo::contacts(&mut tx, id).await?,
        interactions: repo::interactions(&mut tx, id).await?,
        openings: places::openings_of(&mut tx, id).await?,
        placements: places::placements_at(&mut tx, id).await?,
        coaches: polku_store::coaches::at_employer(&mut tx, id).await?,
        attendees: repo::attendees(&mut tx, id).await?,
        shared_with: shares::shared_with(&mut tx, id).await?,
        share_candidates: vec![],
        can_manage: authorize(actor, Action::ManageEmployers, Some(e.org_id)).is_ok(),
        can_place: authorize(actor, Action::PlaceParticipants, Some(e.org_id)).is_ok(),
        e,
    };
    if v.can_manage {
        v.share_candidates = shares::share_candidates(&mut tx, v.e.org_id).await?;
    }
    if !own {
        // A partner sees the employer, not the owner's participants placed there or met.
        v.placements.clear();
        v.attendees.retain(|a| a.kind != AttendeeKind::Participant);
        v.shared_with.clear();
    }
    tx.commit().await?;
    Ok(v)
}

/// The organisation's employers matching `q` (name or Y-tunnus), a page of `limit` after the
/// employer `after`.
pub async fn list(
    app: &Polku,
    actor: &Actor,
    q: &str,
    after: Option<EmployerId>,
    limit: i64,
) -> Result<Vec<EmployerRow>> {
    authorize(actor, Action::ViewEmployers, Some(actor.org))?;
    let mut conn = app.db.acquire().await?;
    Ok(repo::search(&mut conn, actor.org, q, after, limit).await?)
}

/// Removes a contact person who no longer works with the project (their personal data with
/// them).
#[tracing::instrument(skip_all, fields(employer = id.0))]
pub async fn remove_contact_person(
    app: &Polku,
    actor: &Actor,
    id: EmployerId,
    contact: i64,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::ManageEmployers).await?;
    if !repo::remove_contact(&mut tx, id, contact).await? {
        return Err(DomainError::NotFound.into());
    }
    Audit::by(actor, app.clock.now())
        .update(
            &mut tx,
            Entity::Employer(id.0),
            &format!("contact_removed={contact}"),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(employer = id.0))]
pub async fn add_contact_person(
    app: &Polku,
    actor: &Actor,
    id: EmployerId,
    f: &ContactPersonForm,
) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::ManageEmployers).await?;
    let c = f.parse()?;
    let now = app.clock.now();
    let cid = repo::add_contact(&mut tx, id, &c, now).await?;
    Audit::by(actor, now)
        .update(&mut tx, Entity::Employer(id.0), &format!("contact={cid}"))
        .await?;
    tx.commit().await?;
    Ok(cid)
}

/// Records something done with the employer (a visit, a call, a recruitment event, …) on
/// its timeline, for a project of the organisation's.
#[tracing::instrument(skip_all, fields(employer = id.0))]
pub async fn add_interaction(
    app: &Polku,
    actor: &Actor,
    id: EmployerId,
    (f, who): (&InteractionForm, &Attendees),
) -> Result<InteractionId> {
    let mut tx = app.db.begin().await?;
    let e = load(&mut tx, actor, id, Action::ManageEmployers).await?;
    let i = f.parse()?;
    crate::projects::offered(&mut tx, actor, i.project_id.map(ProjectId)).await?;
    attendees_of(&mut tx, actor, &e, who).await?;
    let now = app.clock.now();
    let iid = repo::add_interaction(&mut tx, id, &i, actor.user, now).await?;
    repo::add_attendees(&mut tx, iid, who).await?;
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Interaction(iid.0),
            &format!("employer={}", id.0),
        )
        .await?;
    tx.commit().await?;
    Ok(iid)
}
