//! The job seeker's side of their messages with their organisation's staff.

use super::{by_person, own, Person};
use crate::{Polku, Result};
use polku_domain::portal::{Attachment, MessageForm};
use polku_store::audit::Entity;
use polku_store::messages::{self as repo, MessageRow};

pub struct Conversation {
    pub messages: Vec<MessageRow>,
    pub attachments: Vec<repo::AttachmentRow>,
}

/// The conversation, oldest first; the staff's messages are read now.
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn messages(app: &Polku, who: &Person) -> Result<Conversation> {
    let mut tx = app.db.begin().await?;
    own(&mut tx, who).await?;
    let messages = repo::conversation(&mut tx, who.participant).await?;
    let attachments = repo::attachments_of(&mut tx, who.participant).await?;
    let now = app.clock.now();
    repo::mark_read(&mut tx, who.participant, true, now).await?;
    by_person(who, now)
        .read(
            &mut tx,
            Entity::Participant(who.participant.0),
            "portal: messages",
        )
        .await?;
    tx.commit().await?;
    Ok(Conversation {
        messages,
        attachments,
    })
}

/// A message to the staff, shown on their front page until read.
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn write(
    app: &Polku,
    who: &Person,
    (f, file): (&MessageForm, Option<&Attachment>),
) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    own(&mut tx, who).await?;
    let body = f.parse()?;
    let now = app.clock.now();
    let id = repo::add(&mut tx, who.participant, None, &body, now).await?;
    if let Some(a) = file {
        repo::add_attachment(&mut tx, id, a).await?;
    }
    by_person(who, now)
        .create(&mut tx, Entity::Message(id), "portal: by the participant")
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// How many of the staff's messages the person has not read.
pub async fn unread(app: &Polku, who: &Person) -> Result<i64> {
    let mut conn = app.db.acquire().await?;
    Ok(repo::unread_for_participant(&mut conn, who.participant).await?)
}

/// One of the files of their messages: (name, kind, bytes).
#[tracing::instrument(skip_all, fields(participant = who.participant.0, attachment = id))]
pub async fn attachment(app: &Polku, who: &Person, id: i64) -> Result<(String, String, Vec<u8>)> {
    let mut tx = app.db.begin().await?;
    own(&mut tx, who).await?;
    let file = repo::attachment(&mut tx, who.participant, id)
        .await?
        .ok_or(polku_domain::DomainError::NotFound)?;
    by_person(who, app.clock.now())
        .read(
            &mut tx,
            Entity::Participant(who.participant.0),
            "portal: attachment",
        )
        .await?;
    tx.commit().await?;
    Ok(file)
}
