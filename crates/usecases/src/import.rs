//! Importing participants or employers from a spreadsheet, for the pages and the command line
//! alike: upload, check (mapping, every row as its form checks it, duplicates), and import —
//! all rows in one transaction, or none.

use crate::{Error, Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::{OrgId, ProjectId};
use polku_domain::import::{self, employers, Kind, Mapping, RowError};
use polku_domain::{DomainError, ErrorCode};
use polku_reports::sheet::{self, Sheet};
use polku_store::audit::{Audit, Entity};
use polku_store::imports::{self as repo, ImportFile};
use polku_store::projects;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The largest file taken (a 100 000-row spreadsheet is about 15 MB as CSV).
pub const MAX_BYTES: usize = 40 * 1024 * 1024;

/// Where a file's rows go.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// Participants of this project.
    Participants(ProjectId),
    /// The organisation's employer register.
    Employers,
}

/// Who may import a kind of file: those who may add its rows one by one.
fn action(kind: Kind) -> Action {
    match kind {
        Kind::Participants => Action::CreateParticipant,
        Kind::Employers => Action::ManageEmployers,
    }
}

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

/// A file's good rows, as they will be stored.
pub enum Rows {
    Participants(Vec<import::Row>),
    Employers(Vec<employers::Row>),
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Rows::Participants(r) => r.len(),
            Rows::Employers(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A checked file: what the mapping and preview pages show and the import writes.
pub struct Review {
    pub file: ImportFile,
    pub sheet: Sheet,
    pub mapping: Mapping,
    pub rows: Rows,
    pub errors: Vec<RowError>,
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
    target: Target,
    name: &str,
    bytes: &[u8],
) -> Result<i64> {
    let (kind, project) = match target {
        Target::Participants(p) => {
            check_project(app, actor, p).await?;
            (Kind::Participants, Some(p))
        }
        Target::Employers => {
            authorize(actor, Action::ManageEmployers, Some(actor.org))?;
            (Kind::Employers, None)
        }
    };
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
    let id = repo::save_file(
        &mut tx,
        actor.org,
        (kind, project),
        actor.user,
        &name,
        bytes,
        now,
    )
    .await?;
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
/// headings): every row as its form checks it, and duplicates against the project or the
/// register. Consent is the importer's one statement for a whole file of participants, asked
/// when importing, not a row's error.
pub async fn review(
    app: &Polku,
    actor: &Actor,
    id: i64,
    mapping: Option<Mapping>,
) -> Result<Review> {
    let mut conn = app.db.acquire().await?;
    let file = repo::file(&mut conn, actor.org, id).await?;
    authorize(actor, action(file.kind), Some(actor.org))?;
    if file.imported_rows.is_some() {
        return Err(DomainError::Conflict.into());
    }
    let sheet = sheet::read(&file.bytes).map_err(|_| unreadable())?;
    let mapping = match mapping {
        Some(m) => m,
        None => saved_mapping(&mut conn, actor.org, file.kind)
            .await?
            .unwrap_or_default()
            .or_guess(file.kind, &sheet.headings),
    };
    let (rows, errors) = match (file.kind, file.project_id) {
        (Kind::Participants, None) => return Err(DomainError::NotFound.into()),
        (Kind::Participants, Some(project)) => {
            let project = ProjectId(project);
            let today = app.clock.today();
            let mut checked =
                import::check(&sheet.headings, &sheet.rows, &mapping, project, true, today)?;
            let (existing, open) = repo::present(&mut conn, project).await?;
            let key = |h: &polku_domain::validated::Hetu| repo::person_key(&app.cipher, h);
            import::reject_duplicates(&mut checked, &key, &existing, &open);
            (Rows::Participants(checked.rows), checked.errors)
        }
        (Kind::Employers, _) => {
            let mut checked = employers::check(&sheet.headings, &sheet.rows, &mapping)?;
            let (ids, names) = polku_store::employers::register_keys(&mut conn, actor.org).await?;
            employers::reject_duplicates(&mut checked, &ids, &names);
            (Rows::Employers(checked.rows), checked.errors)
        }
    };
    Ok(Review {
        file,
        sheet,
        mapping,
        rows,
        errors,
    })
}

async fn saved_mapping(
    conn: &mut polku_store::Conn,
    org: OrgId,
    kind: Kind,
) -> Result<Option<Mapping>> {
    Ok(repo::mapping(conn, org, kind.as_str())
        .await?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

/// Imports the checked rows in one transaction: refused while any row has an error, unless
/// `skip_bad` (then the good rows go in and the bad ones are left out). Checks again first,
/// so nothing that changed since the preview slips through. `consent` is the importer's
/// statement for a file of participants. Returns the rows written.
pub async fn run(
    app: &Polku,
    actor: &Actor,
    id: i64,
    mapping: Mapping,
    consent: bool,
    skip_bad: bool,
    progress: &Progress,
) -> Result<usize> {
    let review = review(app, actor, id, Some(mapping)).await?;
    if !consent && matches!(review.rows, Rows::Participants(_)) {
        return Err(DomainError::field("consent_data_processing", ErrorCode::Required).into());
    }
    if !review.errors.is_empty() && !skip_bad {
        return Err(DomainError::field("file", ErrorCode::ImportHasErrors).into());
    }
    progress.total.store(review.rows.len(), Ordering::Relaxed);
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let done = |n: usize| progress.done.store(n, Ordering::Relaxed);
    let entities = match &review.rows {
        Rows::Participants(rows) => {
            let rows: Vec<repo::NewRow> = rows
                .iter()
                .map(|r| repo::NewRow {
                    line: r.line,
                    intake: &r.intake,
                    exit: r.exit.as_ref(),
                })
                .collect();
            let ids = repo::write(&mut tx, &app.cipher, id, &rows, actor, now, &done).await?;
            ids.iter().map(|p| Entity::Participant(p.0)).collect()
        }
        Rows::Employers(rows) => write_employers(&mut tx, actor, rows, now, &done).await?,
    };
    let detail = format!("import {id}");
    let entries: Vec<(Entity, String)> =
        entities.into_iter().map(|e| (e, detail.clone())).collect();
    Audit::by(actor, now)
        .log_many(&mut tx, polku_store::audit::AuditAction::Create, &entries)
        .await?;
    let json =
        serde_json::to_string(&review.mapping).map_err(|e| Error::Internal(e.to_string()))?;
    let kind = review.file.kind.as_str();
    repo::save_mapping(&mut tx, actor.org, kind, &json, now).await?;
    let written = review.rows.len();
    if !repo::finish(&mut tx, id, written as i64, now).await? {
        return Err(DomainError::Conflict.into());
    }
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::ImportFile(id),
            &format!("imported={written} skipped={}", review.errors.len()),
        )
        .await?;
    tx.commit().await?;
    Ok(written)
}

/// The employers and their contact persons, one by one (a register is thousands of rows, not
/// a hundred thousand), in the caller's transaction.
async fn write_employers(
    tx: &mut polku_store::Conn,
    actor: &Actor,
    rows: &[employers::Row],
    now: chrono::DateTime<chrono::Utc>,
    done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Entity>> {
    let mut entities = Vec::with_capacity(rows.len());
    for (n, r) in rows.iter().enumerate() {
        let id = polku_store::employers::create(tx, actor.org, &r.employer, now).await?;
        if let Some(c) = &r.contact {
            polku_store::employers::add_contact(tx, id, c, now).await?;
        }
        entities.push(Entity::Employer(id.0));
        done(n + 1);
    }
    Ok(entities)
}
