//! Messages to send (e-mail), written in the same transaction as what they tell about. Until a
//! mail server is configured, `polku outbox` prints them for the platform operator to deliver.

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};

#[derive(Clone, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

impl std::fmt::Debug for Message {
    // The recipient is personal data and the body may hold a one-time link.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Message {{ id: {} }}", self.id)
    }
}

pub async fn queue(
    conn: &mut Conn,
    recipient: &str,
    subject: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(ts(at))
    .fetch_one(conn)
    .await?)
}

/// Unsent messages, oldest first.
pub async fn pending(conn: &mut Conn) -> Result<Vec<Message>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, recipient, subject, body FROM outbox WHERE sent_at IS NULL ORDER BY id",
    )
    .fetch_all(conn)
    .await?)
}

pub async fn mark_sent(conn: &mut Conn, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("UPDATE outbox SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL")
        .bind(ts(at))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
