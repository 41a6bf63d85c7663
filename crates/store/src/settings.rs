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

pub async fn delete(conn: &mut Conn, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM settings WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}
