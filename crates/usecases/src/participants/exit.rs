//! Exit from the project, which schedules the six-month follow-up.

use super::{load_open, repo};
use crate::{Polku, Result};
use polku_domain::authz::Actor;
use polku_domain::ids::ParticipantId;
use polku_domain::participant::ExitForm;
use polku_domain::webhook::WebhookEvent;
use polku_store::audit::{Audit, Entity};
use polku_store::participants::ParticipantRow;

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
    let now = app.clock.now();
    repo::set_exit(&mut tx, id, &exit, now).await?;
    let due = polku_store::follow_ups::schedule(&mut tx, id, exit.date, now).await?;
    let org = p.org_id;
    let data = serde_json::json!({"participant_id": id.0, "project_id": p.project_id, "exit_status": exit.status.as_str()});
    crate::webhooks::notify(
        &mut tx,
        org,
        WebhookEvent::ParticipantExited,
        data,
        now,
        now,
    )
    .await?;
    // Told on the morning it falls due (07:00 Finnish time is 04:00–05:00 UTC).
    let due_at = due.and_hms_opt(5, 0, 0).map_or(now, |t| t.and_utc());
    let data = serde_json::json!({"participant_id": id.0, "due_date": polku_store::date(due)});
    crate::webhooks::notify(
        &mut tx,
        org,
        WebhookEvent::FollowUpDue,
        data,
        now,
        due_at.max(now),
    )
    .await?;
    Audit::by(actor, now)
        .update(&mut tx, Entity::Participant(id.0), via)
        .await?;
    let saved = repo::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(saved)
}
