//! Sending a referral, and the participant withdrawing their consent to it.

use super::{load, Side};
use crate::{Error, Polku, Result};
use polku_domain::authz::{Action, Actor};
use polku_domain::ids::{NoteId, ParticipantId, ReferralId};
use polku_domain::referral::ReferralForm;
use polku_domain::services::Approval;
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::referrals as repo;

/// Refers the participant to another organisation, or to one of its services, sharing what
/// the form ticks (`notes`: the notes chosen).
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn send(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    (f, notes): (&ReferralForm, Vec<NoteId>),
) -> Result<ReferralId> {
    let mut tx = app.db.begin().await?;
    let p = crate::participants::load(&mut tx, actor, id, Action::ReferParticipants).await?;
    if crate::participants::archived(&p, app.clock.today()) {
        return Err(Error::field("form", ErrorCode::ProjectArchived));
    }
    crate::participants::processing_allowed(&p)?;
    // A service chosen names its organisation; the form need not say it twice.
    let mut f = f.clone();
    let service = polku_domain::text::optional_int(&f.to_service_id, 1, i64::MAX);
    if let (true, Ok(Some(sid))) = (f.to_org_id.trim().is_empty(), service) {
        if let Ok(s) = polku_store::services::get(&mut tx, sid).await {
            f.to_org_id = s.org_id.to_string();
        }
    }
    let r = f.parse(notes, p.org_id)?;
    if polku_store::orgs::get(&mut tx, r.to_org).await.is_err() {
        return Err(Error::field("to_org_id", ErrorCode::ChoiceInvalid));
    }
    if let Some(sid) = r.to_service {
        // Only a service the receiver organises and has approved takes referrals.
        let s = polku_store::services::get(&mut tx, sid.0).await;
        if !s.is_ok_and(|s| s.org_id == r.to_org && s.approval == Approval::Approved) {
            return Err(Error::field("to_service_id", ErrorCode::ChoiceInvalid));
        }
    }
    let own = polku_store::participants::notes(&mut tx, id).await?;
    if !r
        .shared
        .notes
        .iter()
        .all(|n| own.iter().any(|o| o.id == *n))
    {
        return Err(Error::field("note_id", ErrorCode::ChoiceInvalid));
    }
    let now = app.clock.now();
    let rid = repo::send(
        &mut tx,
        (p.org_id, id),
        &r,
        (actor.user, app.clock.today(), now),
    )
    .await?;
    let detail = format!(
        "participant={} to_org={} contact={} plan={} competence={} hetu={} notes={}",
        id.0,
        r.to_org.0,
        r.shared.contact,
        r.shared.plan,
        r.shared.competence,
        r.shared.hetu,
        r.shared.notes.len()
    );
    Audit::by(actor, now)
        .create(&mut tx, Entity::Referral(rid.0), &detail)
        .await?;
    tx.commit().await?;
    Ok(rid)
}

/// The participant withdrew their consent: from now on the receiver sees only that the
/// referral existed. Recorded by the sender; once withdrawn it stays withdrawn.
#[tracing::instrument(skip_all, fields(referral = id.0))]
pub async fn withdraw_consent(app: &Polku, actor: &Actor, id: ReferralId) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let (r, side) = load(&mut tx, actor, id).await?;
    if side != Side::Sender {
        return Err(DomainError::Forbidden.into());
    }
    if !r.consent_holds() {
        return Err(Error::field("form", ErrorCode::ConsentWithdrawn));
    }
    let now = app.clock.now();
    repo::withdraw_consent(&mut tx, id, app.clock.today()).await?;
    for org in [r.from_org_id, r.to_org_id] {
        Audit::by(actor, now)
            .in_org(Some(org))
            .update(&mut tx, Entity::Referral(id.0), "consent withdrawn")
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What the referral form offers: the person's notes to choose from, the other organisations
/// and their services open to referrals.
pub struct Draft {
    pub participant: polku_store::participants::ParticipantRow,
    pub notes: Vec<polku_store::participants::NoteRow>,
    pub orgs: Vec<polku_store::orgs::Org>,
    pub services: Vec<polku_store::services::ServiceRow>,
}

/// The referral form for one participant (the read of their notes is audited).
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn draft(app: &Polku, actor: &Actor, id: ParticipantId) -> Result<Draft> {
    let mut tx = app.db.begin().await?;
    let participant =
        crate::participants::load(&mut tx, actor, id, Action::ReferParticipants).await?;
    let notes = polku_store::participants::notes(&mut tx, id).await?;
    let orgs = polku_store::orgs::list(&mut tx)
        .await?
        .into_iter()
        .filter(|o| o.id != actor.org)
        .collect();
    let services = polku_store::services::list(
        &mut tx,
        actor.org,
        &polku_store::services::Filter::default(),
    )
    .await?
    .into_iter()
    .filter(|s| s.org_id != actor.org && s.approval == Approval::Approved)
    .collect();
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Participant(id.0), "referral form")
        .await?;
    tx.commit().await?;
    Ok(Draft {
        participant,
        notes,
        orgs,
        services,
    })
}
