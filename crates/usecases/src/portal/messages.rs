//! The job seeker's side of their messages with their organisation's staff.

use super::{by_person, own, Person};
use crate::{Polku, Result};
use polku_domain::portal::MessageForm;
use polku_store::audit::Entity;
use polku_store::messages::{self as repo, MessageRow};

pub struct Conversation {
    pub first_name: String,
    pub messages: Vec<MessageRow>,
}

/// The conversation, oldest first; the staff's messages are read now.
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn messages(app: &Polku, who: &Person) -> Result<Conversation> {
    let mut tx = app.db.begin().await?;
    let p = own(&mut tx, who).await?;
    let messages = repo::conversation(&mut tx, who.participant).await?;
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
        first_name: p.first_name,
        messages,
    })
}

/// A message to the staff, shown on their front page until read.
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn write(app: &Polku, who: &Person, f: &MessageForm) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    own(&mut tx, who).await?;
    let body = f.parse()?;
    let now = app.clock.now();
    let id = repo::add(&mut tx, who.participant, None, &body, now).await?;
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
