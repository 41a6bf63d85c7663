//! The job seeker's side of their messages: with their own organisation's staff and, after a
//! referral was accepted, with the partner's staff — a thread the partner's record of the
//! person holds, reached while the person's consent to share holds.

use super::{by_person, own, Person};
use crate::{Polku, Result};
use polku_domain::ids::ParticipantId;
use polku_domain::portal::{Attachment, MessageForm};
use polku_domain::DomainError;
use polku_store::audit::Entity;
use polku_store::messages::{self as repo, LinkedRow, MessageRow};
use polku_store::participants::ParticipantRow;
use polku_store::Conn;

pub struct Conversation {
    pub messages: Vec<MessageRow>,
    pub attachments: Vec<repo::AttachmentRow>,
    /// The threads with partners; the one shown when `with` is set.
    pub threads: Vec<LinkedRow>,
    pub with: Option<LinkedRow>,
}

/// The person as seen in one thread: theirs, or the partner's record it is held in.
fn in_thread(who: &Person, with: Option<&LinkedRow>) -> Person {
    match with {
        Some(l) => Person {
            participant: l.participant_id,
            org: l.org_id,
        },
        None => *who,
    }
}

/// The thread `with` names among the person's own (refused as missing when it is not theirs),
/// with the person's own record.
async fn thread(
    conn: &mut Conn,
    who: &Person,
    with: Option<ParticipantId>,
) -> Result<(Vec<LinkedRow>, Option<LinkedRow>, ParticipantRow)> {
    let mine = own(conn, who).await?;
    let threads = repo::linked(conn, who.participant).await?;
    let chosen = match with {
        None => None,
        Some(p) => Some(
            threads
                .iter()
                .find(|l| l.participant_id == p)
                .cloned()
                .ok_or(DomainError::NotFound)?,
        ),
    };
    Ok((threads, chosen, mine))
}

/// One conversation, oldest first: with their own staff, or `with` a partner's record. The
/// staff's messages in it are read now; the read is in that organisation's log.
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn messages(
    app: &Polku,
    who: &Person,
    with: Option<ParticipantId>,
) -> Result<Conversation> {
    let mut tx = app.db.begin().await?;
    let (threads, with, _) = thread(&mut tx, who, with).await?;
    let at = in_thread(who, with.as_ref());
    let messages = repo::conversation(&mut tx, at.participant).await?;
    let attachments = repo::attachments_of(&mut tx, at.participant).await?;
    let now = app.clock.now();
    repo::mark_read(&mut tx, at.participant, true, now).await?;
    by_person(&at, now)
        .read(
            &mut tx,
            Entity::Participant(at.participant.0),
            "portal: messages",
        )
        .await?;
    tx.commit().await?;
    Ok(Conversation {
        messages,
        attachments,
        threads,
        with,
    })
}

/// A message to the staff of their own organisation or `with` a partner, shown on those
/// staff's front page until read; refused once the project holding the thread has ended.
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn write(
    app: &Polku,
    who: &Person,
    with: Option<ParticipantId>,
    (f, file): (&MessageForm, Option<&Attachment>),
) -> Result<i64> {
    let mut tx = app.db.begin().await?;
    let (_, with, mine) = thread(&mut tx, who, with).await?;
    let at = in_thread(who, with.as_ref());
    // Once the project that holds the thread has ended it is only read, as staff find it.
    let holder = match with {
        Some(l) => polku_store::participants::get(&mut tx, l.participant_id).await?,
        None => mine,
    };
    if crate::participants::archived(&holder, app.clock.today()) {
        return Err(crate::Error::field(
            "form",
            polku_domain::ErrorCode::ProjectArchived,
        ));
    }
    let body = f.parse()?;
    let now = app.clock.now();
    let id = repo::add(&mut tx, at.participant, None, &body, now).await?;
    if let Some(a) = file {
        repo::add_attachment(&mut tx, id, a).await?;
    }
    by_person(&at, now)
        .create(&mut tx, Entity::Message(id), "portal: by the participant")
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// How many of the staff's messages the person has not read, in every thread.
pub async fn unread(app: &Polku, who: &Person) -> Result<i64> {
    let mut conn = app.db.acquire().await?;
    let own = repo::unread_for_participant(&mut conn, who.participant).await?;
    let partners: i64 = repo::linked(&mut conn, who.participant)
        .await?
        .iter()
        .map(|l| l.unread)
        .sum();
    Ok(own + partners)
}

/// The partners' threads, for the person's own data: each message with the organisation
/// whose record holds it, and their files.
pub(super) async fn partner_messages(
    conn: &mut Conn,
    who: &Person,
) -> Result<(Vec<MessageRow>, Vec<repo::AttachmentRow>)> {
    let (mut messages, mut files) = (vec![], vec![]);
    for l in repo::linked(conn, who.participant).await? {
        messages.extend(repo::conversation(conn, l.participant_id).await?);
        files.extend(repo::attachments_of(conn, l.participant_id).await?);
    }
    Ok((messages, files))
}

/// One of the files of their messages in any of their threads: (name, kind, bytes).
#[tracing::instrument(skip_all, fields(participant = who.participant.0, attachment = id))]
pub async fn attachment(app: &Polku, who: &Person, id: i64) -> Result<(String, String, Vec<u8>)> {
    let mut tx = app.db.begin().await?;
    let (threads, _, _) = thread(&mut tx, who, None).await?;
    let mut places = vec![*who];
    places.extend(threads.iter().map(|l| in_thread(who, Some(l))));
    for at in places {
        if let Some(file) = repo::attachment(&mut tx, at.participant, id).await? {
            by_person(&at, app.clock.now())
                .read(
                    &mut tx,
                    Entity::Participant(at.participant.0),
                    "portal: attachment",
                )
                .await?;
            tx.commit().await?;
            return Ok(file);
        }
    }
    Err(DomainError::NotFound.into())
}
