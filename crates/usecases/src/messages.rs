//! The staff's side of a job seeker's messages (the conversation is read with the record): a
//! reply, which tells the person by e-mail that a message waits (never what it says).

use crate::participants::load;
use crate::{Polku, Result};
use polku_domain::authz::{Action, Actor};
use polku_domain::ids::ParticipantId;
use polku_domain::portal::{Attachment, MessageForm};
use polku_store::audit::{Audit, Entity};
use polku_store::messages as repo;

/// The staff who may answer have seen what the person wrote: it is no longer unread.
/// Returns how many were. (The conversation itself is read with the record.)
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn seen(app: &Polku, actor: &Actor, id: ParticipantId) -> Result<u64> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::EditParticipant).await?;
    let n = repo::mark_read(&mut tx, id, false, app.clock.now()).await?;
    tx.commit().await?;
    Ok(n)
}

/// The conversation, oldest first (the read is audited).
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn conversation(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
) -> Result<Vec<repo::MessageRow>> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::ViewParticipant).await?;
    let rows = repo::conversation(&mut tx, id).await?;
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Participant(id.0), "messages")
        .await?;
    tx.commit().await?;
    Ok(rows)
}

/// Answers the person; `mail` words the notice (subject, body) sent to their address.
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn reply(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    (f, file): (&MessageForm, Option<&Attachment>),
    mail: (String, String),
) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    let p = crate::participants::load_open(&mut tx, actor, id, app.clock.today()).await?;
    crate::participants::processing_allowed(&p)?;
    let body = f.parse()?;
    let now = app.clock.now();
    let mid = repo::add(&mut tx, id, Some(actor.user), &body, now).await?;
    if let Some(a) = file {
        repo::add_attachment(&mut tx, mid, a).await?;
    }
    if let Some(to) = &p.email {
        polku_store::outbox::queue(&mut tx, to, &mail.0, &mail.1, now).await?;
    }
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Message(mid),
            &format!("participant={}", id.0),
        )
        .await?;
    tx.commit().await?;
    Ok(mid)
}

/// One of the files of the person's messages: (name, kind, bytes); the read is audited.
#[tracing::instrument(skip_all, fields(participant = id.0, attachment = file))]
pub async fn attachment(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    file: i64,
) -> Result<(String, String, Vec<u8>)> {
    let mut tx = app.db.begin().await?;
    load(&mut tx, actor, id, Action::ViewParticipant).await?;
    let found = repo::attachment(&mut tx, id, file)
        .await?
        .ok_or(polku_domain::DomainError::NotFound)?;
    Audit::by(actor, app.clock.now())
        .read(
            &mut tx,
            Entity::Participant(id.0),
            &format!("attachment {file}"),
        )
        .await?;
    tx.commit().await?;
    Ok(found)
}
