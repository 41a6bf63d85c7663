//! The encrypted participant columns: the henkilötunnus (`hetu_enc`) and the special-category
//! answers (`special_enc`). Reading them, re-encrypting under a new key, and the start-up step
//! that encrypts answers a migration left marked `plain:`.

use crate::crypto::FieldCipher;
use crate::{Backend, Conn, Db, StoreError};
use polku_domain::ids::ParticipantId;
use polku_domain::special::SpecialCategories;

/// Every encrypted column of `participants`, for key rotation and retirement.
pub const COLUMNS: [&str; 2] = ["hetu_enc", "special_enc"];

/// Written by migration 0013 before the key was at hand; encrypted at start-up.
const PLAIN: &str = "plain:";

/// The answers as stored; a record without them (none was asked) reads as all "not asked".
pub fn open_special(
    cipher: &FieldCipher,
    stored: Option<&str>,
) -> Result<SpecialCategories, StoreError> {
    let code = match stored {
        None => return Ok(SpecialCategories::default()),
        Some(s) => match s.strip_prefix(PLAIN) {
            Some(plain) => plain.to_string(),
            None => cipher.decrypt(s)?,
        },
    };
    SpecialCategories::decode(&code).ok_or(StoreError::Crypto("special categories malformed"))
}

pub fn seal_special(cipher: &FieldCipher, s: &SpecialCategories) -> Result<String, StoreError> {
    cipher.encrypt(&s.encode())
}

/// One participation's answers.
pub async fn special(
    conn: &mut Conn,
    cipher: &FieldCipher,
    id: ParticipantId,
) -> Result<SpecialCategories, StoreError> {
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT special_enc FROM participants WHERE id = $1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    open_special(cipher, stored.flatten().as_deref())
}

/// Encrypts what migration 0013 left in plaintext, in batches; a no-op once done and safe on
/// several nodes at once (each row is replaced only while it still holds the plaintext). On
/// SQLite the file is then vacuumed so the freed pages no longer hold the old answers.
pub async fn encrypt_pending(db: &Db, cipher: &FieldCipher) -> Result<u64, StoreError> {
    let mut total = 0;
    loop {
        let mut conn = db.acquire().await?;
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, special_enc FROM participants WHERE special_enc LIKE 'plain:%' ORDER BY id LIMIT 500",
        )
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            break;
        }
        for (id, old) in rows {
            let sealed = seal_special(cipher, &open_special(cipher, Some(&old))?)?;
            total += replace(&mut conn, "special_enc", id, &old, &sealed).await?;
        }
    }
    if total > 0 && db.backend() == Backend::Sqlite {
        sqlx::query("VACUUM").execute(db.pool()).await?;
    }
    Ok(total)
}

async fn replace(
    conn: &mut Conn,
    column: &str,
    id: i64,
    old: &str,
    new: &str,
) -> Result<u64, StoreError> {
    Ok(sqlx::query(&format!(
        "UPDATE participants SET {column} = $1 WHERE id = $2 AND {column} = $3"
    ))
    .bind(new)
    .bind(id)
    .bind(old)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Re-encrypts up to `batch` values per column that are not under the current key. Returns
/// how many it re-encrypted; 0 when all are done.
pub async fn reencrypt_batch(
    conn: &mut Conn,
    cipher: &FieldCipher,
    batch: i64,
) -> Result<u64, StoreError> {
    let prefix = format!("{}:%", cipher.current());
    let mut done = 0;
    for column in COLUMNS {
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, {column} FROM participants WHERE {column} IS NOT NULL AND {column} NOT LIKE $1 \
             AND {column} NOT LIKE 'plain:%' ORDER BY id LIMIT $2"
        ))
        .bind(&prefix)
        .bind(batch)
        .fetch_all(&mut *conn)
        .await?;
        for (id, old) in rows {
            let new = cipher.encrypt(&cipher.decrypt(&old)?)?;
            done += replace(conn, column, id, &old, &new).await?;
        }
    }
    Ok(done)
}

/// How many stored values are still encrypted under key `kid`.
pub async fn count_under_key(conn: &mut Conn, kid: &str) -> Result<i64, StoreError> {
    let mut n = 0;
    for column in COLUMNS {
        let c: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM participants WHERE {column} LIKE $1"
        ))
        .bind(format!("{kid}:%"))
        .fetch_one(&mut *conn)
        .await?;
        n += c;
    }
    Ok(n)
}
