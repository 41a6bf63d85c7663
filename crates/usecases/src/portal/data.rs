//! The person's own data: everything they may download about themself, and a request to
//! correct or erase it, which waits on their counsellor's front page.

use super::{by_person, own, Person};
use crate::participants::ViewData;
use crate::{Polku, Result};
use polku_domain::portal::DataRequestForm;
use polku_store::audit::{AuditRow, Entity};

/// What the person downloads: the record as the right-of-access export has it — but without
/// the staff's notes and the summaries of guidance meetings, which come through a request to
/// the counsellor — with their threads with partners' staff, and the log of who handled it.
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn my_data(app: &Polku, who: &Person) -> Result<(ViewData, Vec<AuditRow>)> {
    let mut tx = app.db.begin().await?;
    let p = own(&mut tx, who).await?;
    let mut d = crate::participants::gather(&mut tx, app, p).await?;
    d.notes.clear();
    for c in &mut d.contacts {
        c.summary.clear();
    }
    // Their threads with partners' staff are theirs too.
    let (messages, files) = super::messages::partner_messages(&mut tx, who).await?;
    d.messages.extend(messages);
    d.messages.sort_by_key(|m| m.created_at);
    d.attachments.extend(files);
    let log = polku_store::audit::about_participant(&mut tx, who.org, who.participant.0).await?;
    by_person(who, app.clock.now())
        .export(
            &mut tx,
            Entity::Participant(who.participant.0),
            "portal: own data",
        )
        .await?;
    tx.commit().await?;
    Ok((d, log))
}

/// A request to correct or erase.
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn request(app: &Polku, who: &Person, f: &DataRequestForm) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    own(&mut tx, who).await?;
    let (kind, details) = f.parse()?;
    let now = app.clock.now();
    let id =
        polku_store::portal::add_request(&mut tx, who.participant, (kind, &details), now).await?;
    by_person(who, now)
        .create(
            &mut tx,
            Entity::Participant(who.participant.0),
            &format!("portal: request {}", kind.as_str()),
        )
        .await?;
    tx.commit().await?;
    Ok(id)
}
