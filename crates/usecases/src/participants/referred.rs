//! Who referred a person to the organisation from outside Polku (the TE office, Kela): recorded
//! on their record, counted in the project's report.

use super::load;
use crate::{Polku, Result};
use polku_domain::authz::{Action, Actor};
use polku_domain::ids::{ParticipantId, ReferralId};
use polku_domain::referral::IncomingReferralForm;
use polku_store::audit::{Audit, Entity};

/// Records a referral from outside Polku on the person's record.
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn record_referred_by(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    f: &IncomingReferralForm,
) -> Result<ReferralId> {
    let mut tx = app.db.begin().await?;
    let p = load(&mut tx, actor, id, Action::EditParticipant).await?;
    let r = f.parse(app.clock.today())?;
    let now = app.clock.now();
    let rid =
        polku_store::referrals::add_incoming(&mut tx, (p.org_id, id), &r, actor.user, now).await?;
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Referral(rid.0),
            &format!("participant={} referrer={}", id.0, r.referrer.as_str()),
        )
        .await?;
    tx.commit().await?;
    Ok(rid)
}

/// Who referred the person from outside Polku, newest first (the read is audited).
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn referred_by(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
) -> Result<Vec<polku_store::referrals::IncomingRow>> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::ViewParticipant).await?;
    let rows = polku_store::referrals::incoming_of(&mut tx, id).await?;
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Participant(id.0), "referred_by")
        .await?;
    tx.commit().await?;
    Ok(rows)
}
