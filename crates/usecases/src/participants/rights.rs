//! The data subject's rights: everything held about them (right of access), and erasure that
//! keeps the anonymous ESF+ record.

use super::{load, view, ViewData};
use crate::{Error, Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::ParticipantId;
use polku_domain::ErrorCode;
use polku_store::audit::{self, Audit, AuditRow, Entity};
use polku_store::erasure;

/// Everything held about one person, gathered for the right of access.
pub struct Access {
    pub d: ViewData,
    pub log: Vec<AuditRow>,
}

/// Gathers the person's data and the log of who handled it; the export is audited.
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn access(app: &Polku, actor: &Actor, id: ParticipantId) -> Result<Access> {
    let d = view(app, actor, id).await?;
    authorize(actor, Action::EditParticipant, Some(d.p.org_id))?;
    let mut tx = app.db.begin().await?;
    let log = audit::about_participant(&mut tx, d.p.org_id, id.0).await?;
    Audit::by(actor, app.clock.now())
        .export(&mut tx, Entity::Participant(id.0), "right of access")
        .await?;
    tx.commit().await?;
    Ok(Access { d, log })
}

/// Why personal data is erased: the person's justified request, or the retention period ended.
fn reason(s: &str) -> Result<&'static str> {
    match s {
        "request" => Ok("request"),
        "retention" => Ok("retention"),
        _ => Err(Error::field("reason", ErrorCode::ChoiceInvalid)),
    }
}

/// Erases the person's personal data in every participation in the organisation; returns how
/// many participations became anonymous ESF+ records.
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn erase(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    why: &str,
    confirmed: bool,
) -> Result<usize> {
    let mut tx = app.db.begin().await?;
    let row = load(&mut tx, actor, id, Action::ViewParticipant).await?;
    authorize(actor, Action::ErasePersonalData, Some(row.org_id))?;
    let why = reason(why)?;
    if !confirmed {
        return Err(Error::field("confirm", ErrorCode::Required));
    }
    let ids = erasure::participations(&mut tx, actor.org, id).await?;
    let now = app.clock.now();
    let erased = erasure::erase(&mut tx, &ids, now).await?;
    let audit = Audit::by(actor, now);
    for p in &erased {
        audit
            .update(&mut tx, Entity::Participant(p.0), &format!("erased: {why}"))
            .await?;
    }
    tx.commit().await?;
    Ok(erased.len())
}

/// Marks the person's request to correct or erase handled (what was done is on the record).
#[tracing::instrument(skip_all, fields(participant = id.0, request = request))]
pub async fn handle_request(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    request: i64,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::EditParticipant).await?;
    let now = app.clock.now();
    if !polku_store::portal::handle_request(&mut tx, (id, request), actor.user, now).await? {
        return Err(polku_domain::DomainError::NotFound.into());
    }
    Audit::by(actor, now)
        .update(
            &mut tx,
            Entity::Participant(id.0),
            &format!("request {request} handled"),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}
