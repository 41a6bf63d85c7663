use crate::{Conn, StoreError};

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn set(conn: &mut Conn, key: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes `key` only while it still holds `value`; true when this call deleted it. One
/// conditional statement, so of two concurrent callers exactly one wins (a one-time token).
pub async fn take(conn: &mut Conn, key: &str, value: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM settings WHERE key = $1 AND value = $2")
        .bind(key)
        .bind(value)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
