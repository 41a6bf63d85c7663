//! Exit from the project, which schedules the six-month follow-up.

use super::{load_open, repo};
use crate::{Polku, Result};
use chrono::{DateTime, Utc};
use polku_domain::authz::Actor;
use polku_domain::ids::ParticipantId;
use polku_domain::participant::{Exit, ExitForm};
use polku_domain::webhook::WebhookEvent;
use polku_store::audit::{Audit, Entity};
use polku_store::participants::ParticipantRow;
use polku_store::Tx;

/// Records the exit (refused on an archived record) and schedules the six-month follow-up.
/// `via` says in the audit log which channel recorded it. Returns the record as saved.
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn exit(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    f: &ExitForm,
    via: &str,
) -> Result<ParticipantRow> {
    let mut tx = app.db.begin().await?;
    let p = load_open(&mut tx, actor, id, app.clock.today()).await?;
    let exit = f.parse(p.entry_date)?;
    record(&mut tx, actor, &p, &exit, via, app.clock.now()).await?;
    let saved = repo::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Writes the exit in the caller's transaction: the record, the six-month follow-up, the
/// webhooks told and the audit entry. A placement that ends in a hire exits the same way.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    p: &ParticipantRow,
    exit: &Exit,
    via: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = p.id;
    repo::set_exit(tx, id, exit, now).await?;
    let due = polku_store::follow_ups::schedule(tx, id, exit.date, now).await?;
    let org = p.org_id;
    let data = serde_json::json!({"participant_id": id.0, "project_id": p.project_id, "exit_status": exit.status.as_str()});
    crate::webhooks::notify(tx, org, WebhookEvent::ParticipantExited, data, now, now).await?;
    // Told on the morning it falls due (07:00 Finnish time is 04:00–05:00 UTC).
    let due_at = due.and_hms_opt(5, 0, 0).map_or(now, |t| t.and_utc());
    let data = serde_json::json!({"participant_id": id.0, "due_date": polku_store::date(due)});
    crate::webhooks::notify(
        tx,
        org,
        WebhookEvent::FollowUpDue,
        data,
        now,
        due_at.max(now),
    )
    .await?;
    Audit::by(actor, now)
        .update(tx, Entity::Participant(id.0), via)
        .await?;
    Ok(())
}
