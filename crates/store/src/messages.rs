//! Messages between a job seeker and their organisation's staff.

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
        "SELECT m.id, m.from_participant, u.name AS author_name, m.body, m.created_at, m.read_at \
         FROM messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.participant_id = $1 ORDER BY m.id",
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
/// counsellor yet (`mine`), or all.
pub async fn unread_for_staff(
    conn: &mut Conn,
    org: OrgId,
    mine: Option<UserId>,
) -> Result<Vec<UnreadRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.id AS participant_id, p.first_name, p.last_name, COUNT(*) AS n FROM messages m \
         JOIN participants p ON p.id = m.participant_id \
         WHERE p.org_id = $1 AND m.from_participant = 1 AND m.read_at IS NULL AND ($2 IS NULL OR p.counsellor_id = $2 OR p.counsellor_id IS NULL) \
         GROUP BY p.id, p.first_name, p.last_name ORDER BY MIN(m.id) LIMIT 200",
    )
    .bind(org.0)
    .bind(mine.map(|u| u.0))
    .fetch_all(conn)
    .await?)
}
