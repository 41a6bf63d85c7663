//! Idempotency keys of the API: the first answer to a create, kept so that a retry with the
//! same key gets it again instead of creating twice. Each statement stands alone, so two nodes
//! racing on one key agree: the primary key lets only one claim it.

use crate::crypto::FieldCipher;
use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Duration, Utc};
use polku_domain::ids::UserId;

/// How long a key is remembered.
pub const KEEP_HOURS: i64 = 24;

/// What a key's claim found.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: go on, then [`complete`] or [`release`] it.
    New,
    /// The same request was answered already: (status, body).
    Done(u16, Vec<u8>),
    /// The same request is being answered right now.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

pub async fn claim(
    conn: &mut Conn,
    user: UserId,
    key: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
    cipher: &FieldCipher,
) -> Result<Claim, StoreError> {
    sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(ts(now - Duration::hours(KEEP_HOURS)))
        .execute(&mut *conn)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (user_id, idem_key, fingerprint, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(user.0)
    .bind(key)
    .bind(fingerprint)
    .bind(ts(now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let row: Option<(String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT fingerprint, status, body FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2",
    )
    .bind(user.0)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        // Released in between: the caller may simply try again.
        None => Claim::InProgress,
        Some((f, _, _)) if f != fingerprint => Claim::Mismatch,
        Some((_, Some(status), Some(body))) => {
            let status = u16::try_from(status).map_err(|_| StoreError::Corrupt("status".into()))?;
            let body = cipher.decrypt(&body)?;
            Claim::Done(status, body.into_bytes())
        }
        Some(_) => Claim::InProgress,
    })
}

/// Keeps the answer (a UTF-8 body: the API answers JSON) for the key's retries.
pub async fn complete(
    conn: &mut Conn,
    user: UserId,
    key: &str,
    status: u16,
    body: &str,
    cipher: &FieldCipher,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE idempotency_keys SET status = $1, body = $2 WHERE user_id = $3 AND idem_key = $4",
    )
    .bind(i64::from(status))
    .bind(cipher.encrypt(body)?)
    .bind(user.0)
    .bind(key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Forgets a claimed key whose request failed inside, so that a retry runs it again.
pub async fn release(conn: &mut Conn, user: UserId, key: &str) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2 AND status IS NULL",
    )
    .bind(user.0)
    .bind(key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
