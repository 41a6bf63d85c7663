//! Outbound webhooks and their deliveries. A delivery is written in the same transaction as the
//! change it tells about; any node may send it, after claiming it with one conditional update,
//! so two nodes never send one delivery at the same time.

use crate::crypto::FieldCipher;
use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use polku_domain::ids::OrgId;
use polku_domain::ids::WebhookId;
use polku_domain::webhook::WebhookEvent;
use sha2::Sha256;

crate::typed_row! {
    #[derive(Debug, Clone)]
    pub struct HookRow {
        pub id: WebhookId,
        pub url: String,
        pub events: String,
        pub active: bool,
        pub created_at: DateTime<Utc>,
    }
}

crate::typed_row! {
    #[derive(Debug, Clone)]
    pub struct DeliveryRow {
        pub id: i64,
        pub webhook_id: WebhookId,
        pub url: String,
        pub event: String,
        pub status: String,
        pub attempts: i64,
        pub next_attempt_at: DateTime<Utc>,
        pub last_status: Option<i64>,
        pub last_error: Option<String>,
        pub delivered_at: Option<DateTime<Utc>>,
        pub created_at: DateTime<Utc>,
    }
}

/// A delivery claimed for sending, with what it takes to send it.
pub struct Claimed {
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub event: String,
    pub payload: String,
    pub attempts: i64,
}

pub async fn create(
    conn: &mut Conn,
    org: OrgId,
    url: &str,
    secret: &str,
    events: &[WebhookEvent],
    cipher: &FieldCipher,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let events: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
    Ok(sqlx::query_scalar(
        "INSERT INTO webhooks (org_id, url, secret_enc, events, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org.0)
    .bind(url)
    .bind(cipher.encrypt(secret)?)
    .bind(events.join(","))
    .bind(ts(at))
    .fetch_one(conn)
    .await?)
}

pub async fn list(conn: &mut Conn, org: OrgId) -> Result<Vec<HookRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT id, url, events, active, created_at FROM webhooks WHERE org_id = $1 ORDER BY id",
        org.0,
    )
    .await
}

/// Queues `event` for every active webhook of the organisation that asked for it, to be sent
/// from `deliver_at` on. Returns how many deliveries were queued.
pub async fn enqueue(
    conn: &mut Conn,
    org: OrgId,
    event: WebhookEvent,
    payload: &serde_json::Value,
    deliver_at: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO webhook_deliveries (webhook_id, event, payload, next_attempt_at, created_at) \
         SELECT id, $2, $3, $4, $5 FROM webhooks \
         WHERE org_id = $1 AND active = 1 AND (',' || events || ',') LIKE ('%,' || $2 || ',%')",
    )
    .bind(org.0)
    .bind(event.as_str())
    .bind(payload.to_string())
    .bind(ts(deliver_at))
    .bind(ts(at))
    .execute(conn)
    .await?
    .rows_affected())
}

/// Deliveries due now that no node holds.
pub async fn due(conn: &mut Conn, now: DateTime<Utc>, limit: i64) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 \
         AND (locked_until IS NULL OR locked_until < $1) ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(ts(now))
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Claims a due delivery until `until`, counting the attempt; `None` when another node has it.
pub async fn claim(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    cipher: &FieldCipher,
) -> Result<Option<Claimed>, StoreError> {
    let claimed = sqlx::query(
        "UPDATE webhook_deliveries SET locked_until = $1, attempts = attempts + 1 \
         WHERE id = $2 AND status = 'pending' AND next_attempt_at <= $3 AND (locked_until IS NULL OR locked_until < $3)",
    )
    .bind(ts(until))
    .bind(id)
    .bind(ts(now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Ok(None);
    }
    let (url, secret_enc, event, payload, attempts): (String, String, String, String, i64) = sqlx::query_as(
        "SELECT w.url, w.secret_enc, d.event, d.payload, d.attempts FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(Claimed {
        id,
        url,
        secret: cipher.decrypt(&secret_enc)?,
        event,
        payload,
        attempts,
    }))
}

/// What came of an attempt: delivered, to be retried at a time, or given up.
pub enum Outcome<'a> {
    Delivered(u16),
    Retry {
        status: Option<u16>,
        error: &'a str,
        at: DateTime<Utc>,
    },
    GiveUp {
        status: Option<u16>,
        error: &'a str,
    },
}

pub async fn record(
    conn: &mut Conn,
    id: i64,
    outcome: Outcome<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (status, next, code, error, delivered) = match outcome {
        Outcome::Delivered(code) => ("delivered", None, Some(code), None, Some(ts(now))),
        Outcome::Retry { status, error, at } => {
            ("pending", Some(ts(at)), status, Some(error), None)
        }
        Outcome::GiveUp { status, error } => ("failed", None, status, Some(error), None),
    };
    sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, next_attempt_at = COALESCE($2, next_attempt_at), last_status = $3, \
         last_error = $4, delivered_at = $5, locked_until = NULL WHERE id = $6",
    )
    .bind(status)
    .bind(next)
    .bind(code.map(i64::from))
    .bind(error.map(|e| e.chars().take(300).collect::<String>()))
    .bind(delivered)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The organisation's latest deliveries, newest first.
pub async fn deliveries(
    conn: &mut Conn,
    org: OrgId,
    limit: i64,
) -> Result<Vec<DeliveryRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.webhook_id, w.url, d.event, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error, \
         d.delivered_at, d.created_at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
         WHERE w.org_id = $1 ORDER BY d.id DESC LIMIT $2",
    )
    .bind(org.0)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The signature a receiver checks: HMAC-SHA256 over `<unix time>.<body>` with the webhook's
/// secret, as hex.
pub fn sign(secret: &str, unix: i64, body: &str) -> Result<String, StoreError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|_| StoreError::Crypto("hmac key"))?;
    mac.update(format!("{unix}.{body}").as_bytes());
    Ok(hex::encode(mac.finalize().into_bytes()))
}
