//! Uploaded spreadsheets between the import's steps, the organisation's last column mapping,
//! and what the import must know of the project (who is in it already).

use crate::crypto::FieldCipher;
use crate::{parse_date, ts, Conn, StoreError};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use polku_domain::ids::{OrgId, ProjectId, UserId};
use polku_domain::import::Kind;
use std::collections::HashSet;

/// An uploaded file, in one organisation.
pub struct ImportFile {
    pub id: i64,
    pub kind: Kind,
    /// The project a file of participants is imported into.
    pub project_id: Option<i64>,
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

/// How long an upload that was never imported keeps its content (personal data).
const KEEP_UNFINISHED_HOURS: i64 = 48;

/// Stores an upload; uploads left unfinished for two days lose their content first.
#[allow(clippy::too_many_arguments)]
pub async fn save_file(
    conn: &mut Conn,
    org: OrgId,
    (kind, project): (Kind, Option<ProjectId>),
    user: UserId,
    name: &str,
    bytes: &[u8],
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    sqlx::query(
        "UPDATE import_files SET content = '' WHERE imported_rows IS NULL AND content <> '' AND created_at < $1",
    )
    .bind(ts(at - chrono::Duration::hours(KEEP_UNFINISHED_HOURS)))
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO import_files (org_id, kind, project_id, user_id, name, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org.0)
    .bind(kind.as_str())
    .bind(project.map(|p| p.0))
    .bind(user.0)
    .bind(name)
    .bind(B64.encode(bytes))
    .bind(ts(at))
    .fetch_one(conn)
    .await?)
}

/// A file of `org`'s; another organisation's answers not found.
pub async fn file(conn: &mut Conn, org: OrgId, id: i64) -> Result<ImportFile, StoreError> {
    type Stored = (String, Option<i64>, String, String, Option<i64>);
    let (kind, project_id, name, content, imported_rows): Stored =
        sqlx::query_as(
            "SELECT kind, project_id, name, content, imported_rows FROM import_files WHERE id = $1 AND org_id = $2",
        )
        .bind(id)
        .bind(org.0)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(ImportFile {
        id,
        kind: Kind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("import kind {kind}")))?,
        project_id,
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

/// The columns of a new participation as [`values`] gives them.
pub fn columns() -> Vec<&'static str> {
    let mut columns = crate::participants::INTAKE_COLUMNS.to_vec();
    columns.extend([
        "project_id",
        "org_id",
        "version",
        "created_at",
        "updated_at",
    ]);
    columns
}

/// A new participation's values, in [`columns`] order: what intake stores.
pub fn values(
    cipher: &FieldCipher,
    intake: &polku_domain::participant::Intake,
    org: OrgId,
    at: DateTime<Utc>,
) -> Result<Vec<crate::bulk::Val>, StoreError> {
    use crate::bulk::Val;
    let mut v = crate::participants::intake_values(cipher, intake)?;
    let now = Val::T(ts(at));
    v.extend([
        Val::I(intake.project_id.0),
        Val::I(org.0),
        Val::I(1),
        now.clone(),
        now,
    ]);
    Ok(v)
}

/// One checked row to write, from line `line` of the file.
pub struct NewRow<'a> {
    pub line: usize,
    pub intake: &'a polku_domain::participant::Intake,
    pub exit: Option<&'a polku_domain::participant::Exit>,
}

/// Rows per statement, so the progress bar moves and statements stay small.
const CHUNK: usize = 500;

/// Writes the rows of import `file` in the caller's transaction as intake and exit would, in
/// a few statements per chunk: the participations (marked with the file and line), both
/// consents as recorded, the search terms and a follow-up due six months after each exit.
/// `progress` hears how many are written. Returns the new ids in row order.
pub async fn write(
    conn: &mut Conn,
    cipher: &FieldCipher,
    file: i64,
    rows: &[NewRow<'_>],
    by: &polku_domain::authz::Actor,
    at: DateTime<Utc>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<polku_domain::ids::ParticipantId>, StoreError> {
    use crate::bulk::{self, Val};
    let mut columns = columns();
    columns.extend([
        "exit_date",
        "exit_status",
        "exit_qualification",
        "exit_in_education",
        "import_file_id",
        "import_line",
    ]);
    let now = Val::T(ts(at));
    let mut written = 0;
    for chunk in rows.chunks(CHUNK) {
        let mut batch = Vec::with_capacity(chunk.len());
        for r in chunk {
            let mut v = values(cipher, r.intake, by.org, at)?;
            let exit = r.exit;
            v.extend([
                Val::opt_text(exit.map(|x| crate::date(x.date))),
                Val::opt_text(exit.map(|x| x.status.as_str().to_string())),
                Val::I(exit.map_or(0, |x| i64::from(x.qualification))),
                Val::I(exit.map_or(0, |x| i64::from(x.in_education))),
                Val::I(file),
                Val::I(r.line as i64),
            ]);
            batch.push(v);
        }
        bulk::insert(conn, "participants", &columns, &batch).await?;
        written += chunk.len();
        progress(written);
    }
    let ids: std::collections::HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT import_line, id FROM participants WHERE import_file_id = $1",
    )
    .bind(file)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut out = Vec::with_capacity(rows.len());
    let (mut consents, mut terms, mut follow_ups) = (vec![], vec![], vec![]);
    for r in rows {
        let id = *ids.get(&(r.line as i64)).ok_or(StoreError::NotFound)?;
        out.push(polku_domain::ids::ParticipantId(id));
        use polku_domain::participant::ConsentKind;
        for (kind, granted) in [
            (
                ConsentKind::DataProcessing,
                r.intake.consent_data_processing,
            ),
            (ConsentKind::SensitiveData, r.intake.consent_sensitive_data),
        ] {
            let kind = Val::T(kind.as_str().into());
            let granted = Val::I(i64::from(granted));
            consents.push(vec![
                Val::I(id),
                kind,
                granted,
                now.clone(),
                Val::I(by.user.0),
            ]);
        }
        for t in polku_domain::search::name_terms(&r.intake.first_name, &r.intake.last_name) {
            terms.push((by.org.0, t, id));
        }
        if let Some(x) = r.exit {
            let due = x
                .date
                .checked_add_months(chrono::Months::new(6))
                .unwrap_or(x.date);
            follow_ups.push(vec![Val::I(id), Val::T(crate::date(due)), now.clone()]);
        }
    }
    let consent_columns = [
        "participant_id",
        "kind",
        "granted",
        "recorded_at",
        "recorded_by",
    ];
    bulk::insert(conn, "consents", &consent_columns, &consents).await?;
    let borrowed: Vec<(i64, &str, i64)> =
        terms.iter().map(|(o, t, p)| (*o, t.as_str(), *p)).collect();
    crate::search::insert_rows(conn, &borrowed).await?;
    let follow_up_columns = ["participant_id", "due_date", "created_at"];
    bulk::insert(conn, "follow_ups", &follow_up_columns, &follow_ups).await?;
    Ok(out)
}
