//! Messages between a job seeker and the staff of an organisation they take part in: their
//! own, and after a referral the partner's, whose record of the person holds that thread.

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use polku_domain::ids::{OrgId, ParticipantId, UserId};

crate::typed_row! {
    #[derive(Clone, serde::Serialize)]
    pub struct MessageRow {
        pub id: i64,
        pub from_participant: bool,
        /// The staff member who wrote it (none when the participant did).
        pub author_name: Option<String>,
        /// The organisation whose record holds the message (the other side of the thread).
        pub org_name: String,
        pub body: String,
        pub created_at: DateTime<Utc>,
        pub read_at: Option<DateTime<Utc>>,
    }
}

impl std::fmt::Debug for MessageRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "MessageRow {{ id: {}, <personal data redacted> }}",
            self.id
        )
    }
}

/// Writes a message from the participant (`author` none) or a staff member.
pub async fn add(
    conn: &mut Conn,
    participant: ParticipantId,
    author: Option<UserId>,
    body: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO messages (participant_id, from_participant, author_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(participant.0)
    .bind(i64::from(author.is_none()))
    .bind(author.map(|a| a.0))
    .bind(body)
    .bind(ts(at))
    .fetch_one(conn)
    .await?)
}

/// The whole conversation, oldest first.
pub async fn conversation(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<Vec<MessageRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT m.id, m.from_participant, u.name AS author_name, o.name AS org_name, m.body, m.created_at, m.read_at \
         FROM messages m LEFT JOIN users u ON u.id = m.author_id JOIN participants p ON p.id = m.participant_id \
         JOIN organisations o ON o.id = p.org_id WHERE m.participant_id = $1 ORDER BY m.id",
        participant.0,
    )
    .await
}

/// Marks read what the other side wrote: the staff's messages when the participant reads
/// (`by_participant`), the participant's when staff do. Returns how many were unread.
pub async fn mark_read(
    conn: &mut Conn,
    participant: ParticipantId,
    by_participant: bool,
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE messages SET read_at = $1 WHERE participant_id = $2 AND from_participant = $3 AND read_at IS NULL",
    )
    .bind(ts(at))
    .bind(participant.0)
    .bind(i64::from(!by_participant))
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Unread messages from staff, for the participant.
pub async fn unread_for_participant(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages WHERE participant_id = $1 AND from_participant = 0 AND read_at IS NULL",
    )
    .bind(participant.0)
    .fetch_one(conn)
    .await?)
}

crate::typed_row! {
    /// The same person's record in another organisation, reached through a referral that was
    /// accepted and whose consent holds: a thread with that organisation's staff.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct LinkedRow {
        pub participant_id: ParticipantId,
        pub org_id: OrgId,
        pub org_name: String,
        /// The staff's messages there the person has not read.
        pub unread: i64,
    }
}

/// The person's records in other organisations that a referral from or to `participant`
/// links to theirs, by organisation name.
pub async fn linked(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<Vec<LinkedRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT DISTINCT p.id AS participant_id, p.org_id, o.name AS org_name, \
         (SELECT COUNT(*) FROM messages m WHERE m.participant_id = p.id AND m.from_participant = 0 AND m.read_at IS NULL) AS unread \
         FROM referrals r JOIN participants p ON p.id = CASE WHEN r.from_participant_id = $1 THEN r.to_participant_id ELSE r.from_participant_id END \
         JOIN organisations o ON o.id = p.org_id \
         WHERE (r.from_participant_id = $1 OR r.to_participant_id = $1) AND r.to_participant_id IS NOT NULL \
         AND r.consent_withdrawn_on IS NULL AND p.erased_at IS NULL AND p.processing_consent = 1 \
         ORDER BY o.name, p.id",
        participant.0,
    )
    .await
}

crate::typed_row! {
    /// A participant with messages staff have not read.
    #[derive(Clone)]
    pub struct UnreadRow {
        pub participant_id: ParticipantId,
        pub first_name: String,
        pub last_name: String,
        pub n: i64,
    }
}

/// The organisation's participants with unread messages: a counsellor's own and those with no
/// counsellor yet (`mine`), or all; for partner staff (`referred`), only those whose record
/// came through a referral the organisation accepted.
pub async fn unread_for_staff(
    conn: &mut Conn,
    org: OrgId,
    (mine, referred): (Option<UserId>, bool),
) -> Result<Vec<UnreadRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.id AS participant_id, p.first_name, p.last_name, COUNT(*) AS n FROM messages m \
         JOIN participants p ON p.id = m.participant_id \
         WHERE p.org_id = $1 AND m.from_participant = 1 AND m.read_at IS NULL AND ($2 IS NULL OR p.counsellor_id = $2 OR p.counsellor_id IS NULL) \
         AND ($3 = 0 OR EXISTS (SELECT 1 FROM referrals r WHERE r.to_participant_id = p.id AND r.to_org_id = $1)) \
         GROUP BY p.id, p.first_name, p.last_name ORDER BY MIN(m.id) LIMIT 200",
    )
    .bind(org.0)
    .bind(mine.map(|u| u.0))
    .bind(i64::from(referred))
    .fetch_all(conn)
    .await?)
}

pub async fn add_attachment(
    conn: &mut Conn,
    message: i64,
    a: &polku_domain::portal::Attachment,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO message_attachments (message_id, file_name, content_type, content) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(message)
    .bind(&a.file_name)
    .bind(a.content_type)
    .bind(a.bytes.clone())
    .fetch_one(conn)
    .await?)
}

crate::typed_row! {
    /// A file of one of the person's messages, without its bytes.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct AttachmentRow {
        pub id: i64,
        pub message_id: i64,
        pub file_name: String,
        pub content_type: String,
        pub size_bytes: i64,
    }
}

pub async fn attachments_of(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<Vec<AttachmentRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT a.id, a.message_id, a.file_name, a.content_type, CAST(LENGTH(a.content) AS BIGINT) AS size_bytes FROM message_attachments a \
         JOIN messages m ON m.id = a.message_id WHERE m.participant_id = $1 ORDER BY a.id",
        participant.0,
    )
    .await
}

/// One file of the person's messages with its bytes: (name, kind, bytes); none when it is not
/// theirs.
pub async fn attachment(
    conn: &mut Conn,
    participant: ParticipantId,
    id: i64,
) -> Result<Option<(String, String, Vec<u8>)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.file_name, a.content_type, a.content FROM message_attachments a \
         JOIN messages m ON m.id = a.message_id WHERE a.id = $1 AND m.participant_id = $2",
    )
    .bind(id)
    .bind(participant.0)
    .fetch_optional(conn)
    .await?)
}
