//! API bearer tokens. Only a SHA-256 of the token is stored; the token is shown once.

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use polku_domain::ids::{ApiTokenId, UserId};
use sha2::{Digest, Sha256};

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub async fn create(
    conn: &mut Conn,
    user: UserId,
    name: &str,
    token: &str,
    at: DateTime<Utc>,
) -> Result<ApiTokenId, StoreError> {
    let id: i64 = sqlx::query_scalar("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(user.0)
        .bind(name)
        .bind(hash(token))
        .bind(ts(at))
        .fetch_one(conn)
        .await?;
    Ok(ApiTokenId(id))
}

/// The active user owning this token, if any.
pub async fn user_for(conn: &mut Conn, token: &str) -> Result<Option<UserId>, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked = 0 AND u.active = 1",
    )
    .bind(hash(token))
    .fetch_optional(conn)
    .await?;
    Ok(id.map(UserId))
}

crate::typed_row! {
    #[derive(Debug, Clone)]
    pub struct TokenRow {
        pub id: ApiTokenId,
        pub name: String,
        pub created_at: DateTime<Utc>,
        pub revoked: bool,
    }
}

pub async fn list(conn: &mut Conn, user: UserId) -> Result<Vec<TokenRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT id, name, created_at, revoked FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
        user.0,
    )
    .await
}

pub async fn revoke(conn: &mut Conn, user: UserId, id: ApiTokenId) -> Result<(), StoreError> {
    let r = sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE id = $1 AND user_id = $2")
        .bind(id.0)
        .bind(user.0)
        .execute(conn)
        .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
