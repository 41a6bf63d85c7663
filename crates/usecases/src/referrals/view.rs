//! A referral as either end sees it: the receiver the items the consent shares, the sender
//! the receiver's answer and, for a service, the person's attendance there.

use super::{load, Side};
use crate::{Polku, Result};
use polku_domain::authz::Actor;
use polku_domain::ids::ReferralId;
use polku_domain::participant::Education;
use polku_store::audit::{Audit, Entity};
use polku_store::participants::{self as prepo, GoalRow, NoteRow, StepRow};
use polku_store::referrals::{self as repo, ReferralRow};
use polku_store::services::ParticipantServiceRow;

/// What the person's studies and services so far tell of their competence.
#[derive(Clone)]
pub struct Competence {
    pub education: Option<Education>,
    pub services: Vec<ParticipantServiceRow>,
}

/// The items the consent shares, read from the sender's record; each `None` when not shared.
#[derive(Clone, Default)]
pub struct SharedItems {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub municipality: Option<String>,
    pub hetu: Option<String>,
    pub plan: Option<(Vec<GoalRow>, Vec<StepRow>)>,
    pub competence: Option<Competence>,
    pub notes: Vec<NoteRow>,
}

pub struct ReferralView {
    pub r: ReferralRow,
    pub side: Side,
    /// What the receiver sees (and the sender, as a reminder of what they shared).
    pub shared: SharedItems,
    /// The person's enrolment and attendance in the service referred to, for both ends while
    /// the consent holds.
    pub attendance: Option<ParticipantServiceRow>,
}

/// The referral; reading shared items is audited in both organisations' logs.
#[tracing::instrument(skip_all, fields(referral = id.0))]
pub async fn show(app: &Polku, actor: &Actor, id: ReferralId) -> Result<ReferralView> {
    let mut tx = app.db.begin().await?;
    let (r, side) = load(&mut tx, actor, id).await?;
    let on = r.shared();
    let mut shared = SharedItems::default();
    // An erased person shares nothing any more.
    let person = match r.consent_holds() {
        true => prepo::get(&mut tx, r.from_participant_id).await.ok(),
        false => None,
    };
    if let Some(p) = person {
        if on.contact {
            shared.email = p.email.clone();
            shared.phone = p.phone.clone();
            shared.municipality = Some(p.municipality.clone());
        }
        if on.hetu {
            shared.hetu = prepo::hetu(&app.cipher, &p)?;
        }
        if on.plan {
            let goals = prepo::goals(&mut tx, p.id).await?;
            let steps = prepo::steps(&mut tx, p.id).await?;
            shared.plan = Some((goals, steps));
        }
        if on.competence {
            shared.competence = Some(Competence {
                education: p.education,
                services: polku_store::services::for_participant(&mut tx, p.id).await?,
            });
        }
        shared.notes = repo::notes(&mut tx, id).await?;
    }
    let attendance = match (r.to_service_id, r.to_participant_id, r.consent_holds()) {
        (Some(s), Some(p), true) => polku_store::services::for_participant(&mut tx, p)
            .await?
            .into_iter()
            .find(|row| row.service_id == s),
        _ => None,
    };
    let now = app.clock.now();
    let detail = match side {
        Side::Sender => "referral, as sender",
        Side::Receiver => "referral, shared items",
    };
    for org in [r.from_org_id, r.to_org_id] {
        Audit::by(actor, now)
            .in_org(Some(org))
            .read(&mut tx, Entity::Referral(id.0), detail)
            .await?;
    }
    tx.commit().await?;
    Ok(ReferralView {
        r,
        side,
        shared,
        attendance,
    })
}
