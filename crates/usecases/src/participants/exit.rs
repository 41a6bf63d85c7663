//! Exit from the project, which schedules the six-month follow-up.

use super::{load_open, repo};
use crate::{Polku, Result};
use polku_domain::authz::Actor;
use polku_domain::ids::ParticipantId;
use polku_domain::participant::ExitForm;
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
    let entry = polku_store::parse_date(&p.entry_date).unwrap_or_default();
    let exit = f.parse(entry)?;
    let now = app.clock.now();
    repo::set_exit(&mut tx, id, &exit, now).await?;
    polku_store::follow_ups::schedule(&mut tx, id, exit.date, now).await?;
    Audit::by(actor, now)
        .update(&mut tx, Entity::Participant(id.0), via)
        .await?;
    let saved = repo::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(saved)
}
