//! Uploaded spreadsheets between the import's steps, the organisation's last column mapping,
//! and what the import must know of the project (who is in it already).

use crate::crypto::FieldCipher;
use crate::{parse_date, ts, Conn, StoreError};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use polku_domain::ids::{OrgId, ProjectId, UserId};
use std::collections::HashSet;

/// An uploaded file, in one organisation.
pub struct ImportFile {
    pub id: i64,
    pub project_id: i64,
    pub user_id: i64,
    pub name: String,
    pub bytes: Vec<u8>,
    /// Set once imported: how many rows were written.
    pub imported_rows: Option<i64>,
}

impl std::fmt::Debug for ImportFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ImportFile {{ id: {}, <content redacted> }}", self.id)
    }
}

pub async fn save_file(
    conn: &mut Conn,
    org: OrgId,
    project: ProjectId,
    user: UserId,
    name: &str,
    bytes: &[u8],
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO import_files (org_id, project_id, user_id, name, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(org.0)
    .bind(project.0)
    .bind(user.0)
    .bind(name)
    .bind(B64.encode(bytes))
    .bind(ts(at))
    .fetch_one(conn)
    .await?)
}

/// A file of `org`'s; another organisation's answers not found.
pub async fn file(conn: &mut Conn, org: OrgId, id: i64) -> Result<ImportFile, StoreError> {
    let (project_id, user_id, name, content, imported_rows): (i64, i64, String, String, Option<i64>) =
        sqlx::query_as(
            "SELECT project_id, user_id, name, content, imported_rows FROM import_files WHERE id = $1 AND org_id = $2",
        )
        .bind(id)
        .bind(org.0)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(ImportFile {
        id,
        project_id,
        user_id,
        name,
        bytes: B64
            .decode(content)
            .map_err(|_| StoreError::Crypto("stored file is not base64"))?,
        imported_rows,
    })
}

/// Marks the file imported and drops its content (the rows are in the database now); `false`
/// when it was imported already, by a concurrent request.
pub async fn finish(
    conn: &mut Conn,
    id: i64,
    rows: i64,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE import_files SET imported_rows = $1, done_at = $2, content = '' WHERE id = $3 AND imported_rows IS NULL",
    )
    .bind(rows)
    .bind(ts(at))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The mapping (JSON) the organisation used last for this kind of import.
pub async fn mapping(
    conn: &mut Conn,
    org: OrgId,
    kind: &str,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT mapping FROM import_mappings WHERE org_id = $1 AND kind = $2")
            .bind(org.0)
            .bind(kind)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn save_mapping(
    conn: &mut Conn,
    org: OrgId,
    kind: &str,
    mapping: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO import_mappings (org_id, kind, mapping, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (org_id, kind) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
    )
    .bind(org.0)
    .bind(kind)
    .bind(mapping)
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Who is in the project already: (identity-code index, entry date) of every participation,
/// and the indexes of those still open.
pub async fn present(
    conn: &mut Conn,
    project: ProjectId,
) -> Result<(HashSet<(String, NaiveDate)>, HashSet<String>), StoreError> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT hetu_index, entry_date, exit_date FROM participants WHERE project_id = $1 AND hetu_index IS NOT NULL",
    )
    .bind(project.0)
    .fetch_all(conn)
    .await?;
    let mut all = HashSet::new();
    let mut open = HashSet::new();
    for (index, entry, exit) in rows {
        if let Some(d) = parse_date(&entry) {
            all.insert((index.clone(), d));
        }
        if exit.is_none() {
            open.insert(index);
        }
    }
    Ok((all, open))
}

/// The blind index the duplicate check compares, as stored.
pub fn person_key(cipher: &FieldCipher, hetu: &polku_domain::validated::Hetu) -> String {
    cipher.blind_index(hetu.as_str())
}
