//! Importing participants from a spreadsheet, for the pages and the command line alike:
//! upload, check (mapping, every row as intake checks it, duplicates), and import — all rows
//! in one transaction, or none.

use crate::{Error, Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::{OrgId, ProjectId};
use polku_domain::import::{self, Checked, Mapping};
use polku_domain::{DomainError, ErrorCode};
use polku_reports::sheet::{self, Sheet};
use polku_store::audit::{Audit, Entity};
use polku_store::imports::{self as repo, ImportFile};
use polku_store::projects;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The largest file taken (a 100 000-row spreadsheet is about 15 MB as CSV).
pub const MAX_BYTES: usize = 40 * 1024 * 1024;

/// The saved mapping's kind.
const KIND: &str = "participants";

/// How far an import has come: rows written of all to write, and how it ended.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
    /// Rows written, or the error's code, once finished.
    pub outcome: std::sync::Mutex<Option<Result<usize, ErrorCode>>>,
}

/// The imports running on a node.
pub type Running = Arc<std::sync::Mutex<std::collections::HashMap<i64, Arc<Progress>>>>;

impl Progress {
    pub fn new() -> Arc<Progress> {
        Arc::new(Progress::default())
    }
}

/// A checked file: what the mapping and preview pages show and the import writes.
pub struct Review {
    pub file: ImportFile,
    pub sheet: Sheet,
    pub mapping: Mapping,
    pub checked: Checked,
}

fn unreadable() -> Error {
    DomainError::field("file", ErrorCode::FileUnreadable).into()
}

async fn check_project(app: &Polku, actor: &Actor, project: ProjectId) -> Result<()> {
    authorize(actor, Action::CreateParticipant, Some(actor.org))?;
    let mut conn = app.db.acquire().await?;
    if !projects::for_org(&mut conn, actor.org)
        .await?
        .iter()
        .any(|p| p.id == project)
    {
        return Err(DomainError::NotFound.into());
    }
    Ok(())
}

/// Stores an uploaded file for the next steps once it reads as a spreadsheet with headings.
pub async fn upload(
    app: &Polku,
    actor: &Actor,
    project: ProjectId,
    name: &str,
    bytes: &[u8],
) -> Result<i64> {
    check_project(app, actor, project).await?;
    if bytes.len() > MAX_BYTES {
        return Err(DomainError::field("file", ErrorCode::PayloadTooLarge).into());
    }
    let sheet = sheet::read(bytes).map_err(|_| unreadable())?;
    if sheet.rows.is_empty() {
        return Err(unreadable());
    }
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let name = polku_domain::text::required(name, 200).unwrap_or_else(|_| "file".into());
    let id = repo::save_file(&mut tx, actor.org, project, actor.user, &name, bytes, now).await?;
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::ImportFile(id),
            &format!("rows={}", sheet.rows.len()),
        )
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// The file checked with `mapping` (or the organisation's last one, or a guess from the
/// headings): every row as intake checks it, and duplicates against the project. Consent is
/// the importer's one statement for the whole file, asked when importing, not a row's error.
pub async fn review(
    app: &Polku,
    actor: &Actor,
    id: i64,
    mapping: Option<Mapping>,
) -> Result<Review> {
    authorize(actor, Action::CreateParticipant, Some(actor.org))?;
    let mut conn = app.db.acquire().await?;
    let file = repo::file(&mut conn, actor.org, id).await?;
    if file.imported_rows.is_some() {
        return Err(DomainError::Conflict.into());
    }
    let sheet = sheet::read(&file.bytes).map_err(|_| unreadable())?;
    let mapping = match mapping {
        Some(m) => m,
        None => saved_mapping(&mut conn, actor.org)
            .await?
            .unwrap_or_default()
            .or_guess(&sheet.headings),
    };
    let project = ProjectId(file.project_id);
    let mut checked = import::check(
        &sheet.headings,
        &sheet.rows,
        &mapping,
        project,
        true,
        app.clock.today(),
    )?;
    let (existing, open) = repo::present(&mut conn, project).await?;
    let key = |h: &polku_domain::validated::Hetu| repo::person_key(&app.cipher, h);
    import::reject_duplicates(&mut checked, &key, &existing, &open);
    Ok(Review {
        file,
        sheet,
        mapping,
        checked,
    })
}

async fn saved_mapping(conn: &mut polku_store::Conn, org: OrgId) -> Result<Option<Mapping>> {
    Ok(repo::mapping(conn, org, KIND)
        .await?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

/// Imports the checked rows in one transaction: refused while any row has an error, unless
/// `skip_bad` (then the good rows go in and the bad ones are left out). Checks again first,
/// so nothing that changed since the preview slips through. Returns the rows written.
pub async fn run(
    app: &Polku,
    actor: &Actor,
    id: i64,
    mapping: Mapping,
    consent: bool,
    skip_bad: bool,
    progress: &Progress,
) -> Result<usize> {
    if !consent {
        return Err(DomainError::field("consent_data_processing", ErrorCode::Required).into());
    }
    let review = review(app, actor, id, Some(mapping)).await?;
    if !review.checked.errors.is_empty() && !skip_bad {
        return Err(DomainError::field("file", ErrorCode::ImportHasErrors).into());
    }
    let rows: Vec<repo::NewRow> = review
        .checked
        .rows
        .iter()
        .map(|r| repo::NewRow {
            line: r.line,
            intake: &r.intake,
            exit: r.exit.as_ref(),
        })
        .collect();
    progress.total.store(rows.len(), Ordering::Relaxed);
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let done = |n: usize| progress.done.store(n, Ordering::Relaxed);
    let ids = repo::write(&mut tx, &app.cipher, id, &rows, actor, now, &done).await?;
    let detail = format!("import {id}");
    let entries: Vec<(Entity, String)> = ids
        .iter()
        .map(|p| (Entity::Participant(p.0), detail.clone()))
        .collect();
    Audit::by(actor, now)
        .log_many(&mut tx, polku_store::audit::AuditAction::Create, &entries)
        .await?;
    let json =
        serde_json::to_string(&review.mapping).map_err(|e| Error::Internal(e.to_string()))?;
    repo::save_mapping(&mut tx, actor.org, KIND, &json, now).await?;
    if !repo::finish(&mut tx, id, rows.len() as i64, now).await? {
        return Err(DomainError::Conflict.into());
    }
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::ImportFile(id),
            &format!(
                "imported={} skipped={}",
                rows.len(),
                review.checked.errors.len()
            ),
        )
        .await?;
    tx.commit().await?;
    Ok(rows.len())
}
