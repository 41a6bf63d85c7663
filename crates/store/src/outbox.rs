//! Messages to send (e-mail, or a text message where a gateway is configured), written in the
//! same transaction as what they tell about. Until a mail server (or gateway) is configured,
//! `polku outbox` prints them for the platform operator to deliver.

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};

#[derive(Clone, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// `email` or `sms`.
    pub channel: String,
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

/// A text message to a mobile number (`+358…`).
pub async fn queue_sms(
    conn: &mut Conn,
    to: &polku_domain::validated::Mobile,
    body: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (recipient, subject, body, created_at, channel) VALUES ($1, '', $2, $3, 'sms') RETURNING id",
    )
    .bind(to.as_str())
    .bind(body)
    .bind(ts(at))
    .fetch_one(conn)
    .await?)
}

/// Unsent messages not given up, oldest first: of one channel (`email`, `sms`), or all.
pub async fn pending(conn: &mut Conn, channel: Option<&str>) -> Result<Vec<Message>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, recipient, subject, body, channel FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
         AND ($1 IS NULL OR channel = $1) ORDER BY id",
    )
    .bind(channel)
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

/// Claims an unsent message for this node; false when another node holds a fresh claim or it
/// was sent already. A claim older than `stale` is taken over.
pub async fn claim(
    conn: &mut Conn,
    id: i64,
    at: DateTime<Utc>,
    stale: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE outbox SET claimed_at = $1 WHERE id = $2 AND sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < $3)",
    )
    .bind(ts(at))
    .bind(id)
    .bind(ts(stale))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a claim back after a failed send, so the next round tries again.
pub async fn release(conn: &mut Conn, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE outbox SET claimed_at = NULL WHERE id = $1 AND sent_at IS NULL")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Gives a claimed message up for good, with why (no address or personal data in `reason`).
pub async fn give_up(
    conn: &mut Conn,
    id: i64,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET failed_at = $1, failure = $2, claimed_at = NULL WHERE id = $3 AND sent_at IS NULL",
    )
    .bind(ts(at))
    .bind(reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
