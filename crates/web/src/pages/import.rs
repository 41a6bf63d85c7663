//! The import pages: upload a spreadsheet (a project's participants or the employer register),
//! map its columns and see every row checked, then import with a progress bar. The work is
//! done by [`crate::import`].

use super::{form_errors, render, unprocessable};
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::import::{self, Progress, Review, Rows, Target};
use crate::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::authz::Action;
use polku_domain::ids::ProjectId;
use polku_domain::import::{Kind, Mapping};
use polku_domain::{DomainError, ErrorCode};
use polku_store::projects;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::Ordering;
use std::sync::Arc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/projects/{id}/import",
            get(upload_page)
                .post(upload)
                .layer(DefaultBodyLimit::max(import::MAX_BYTES + 1024 * 1024)),
        )
        .route(
            "/employers/import",
            get(employer_upload_page)
                .post(employer_upload)
                .layer(DefaultBodyLimit::max(import::MAX_BYTES + 1024 * 1024)),
        )
        .route("/imports/{id}", get(review_page))
        .route("/imports/{id}/run", post(run))
        .route("/imports/{id}/progress", get(progress))
}

#[derive(Template)]
#[template(path = "import/upload.html")]
struct UploadPage {
    c: Chrome,
    /// What is imported into: the project's name, or the register.
    into: String,
    intro: String,
    action: String,
}

/// The upload page of a project's participants, once the project is the actor's to import to.
async fn project_upload(st: &AppState, ctx: &Ctx, id: i64) -> Result<UploadPage, AppError> {
    ctx.authorize(Action::CreateParticipant, Some(ctx.actor.org))?;
    let mut conn = st.db.acquire().await?;
    let p = projects::for_org(&mut conn, ctx.actor.org)
        .await?
        .into_iter()
        .find(|p| p.id.0 == id)
        .ok_or(DomainError::NotFound)?;
    Ok(UploadPage {
        c: ctx.c.clone(),
        into: format!("{} ({})", p.name, p.code),
        intro: ctx.c.t("import-intro"),
        action: format!("/projects/{id}/import"),
    })
}

fn employer_upload_view(ctx: &Ctx) -> Result<UploadPage, AppError> {
    ctx.authorize(Action::ManageEmployers, Some(ctx.actor.org))?;
    Ok(UploadPage {
        c: ctx.c.clone(),
        into: ctx.c.t("nav-employers"),
        intro: ctx.c.t("import-employers-intro"),
        action: "/employers/import".into(),
    })
}

async fn upload_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&project_upload(&st, &ctx, id).await?)
}

async fn employer_upload_page(ctx: Ctx) -> Result<Response, AppError> {
    render(&employer_upload_view(&ctx)?)
}

async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    // Authorised before the body is read, so a refused caller learns nothing from it.
    let page = project_upload(&st, &ctx, id).await?;
    let target = Target::Participants(ProjectId(id));
    save_upload(&st, ctx, page, target, form).await
}

async fn employer_upload(
    State(st): State<AppState>,
    ctx: Ctx,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let page = employer_upload_view(&ctx)?;
    save_upload(&st, ctx, page, Target::Employers, form).await
}

/// Reads the file from the form and stores it; a file that does not read comes back to `page`.
async fn save_upload(
    st: &AppState,
    ctx: Ctx,
    page: UploadPage,
    target: Target,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let mut form = form.map_err(|_| bad_file())?;
    let (mut name, mut bytes) = (String::new(), vec![]);
    while let Some(field) = form.next_field().await.map_err(|_| bad_file())? {
        if field.name() == Some("file") {
            name = field.file_name().unwrap_or("").to_string();
            bytes = field.bytes().await.map_err(|_| bad_file())?.to_vec();
        }
    }
    match import::upload(st, &ctx.actor, target, &name, &bytes).await {
        Ok(file) => Ok(Redirect::to(&format!("/imports/{file}")).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            unprocessable(&UploadPage {
                c: ctx.with_errors(errors),
                ..page
            })
        }
    }
}

fn bad_file() -> AppError {
    DomainError::field("file", ErrorCode::FileUnreadable).into()
}

/// The mapping (`m_<field>=<heading>`) and the consent statement as the pages send them. A
/// field of either kind is taken: the file's own kind reads only its fields, so the page need
/// not read the file to know its kind first.
fn choices(q: &HashMap<String, String>) -> (Option<Mapping>, bool) {
    let fields = [Kind::Participants, Kind::Employers].map(Kind::fields);
    let mapping = q.contains_key("mapped").then(|| {
        Mapping(
            fields
                .iter()
                .flat_map(|f| f.iter())
                .filter_map(|f| {
                    q.get(&format!("m_{f}"))
                        .filter(|h| !h.is_empty())
                        .map(|h| (f.to_string(), h.clone()))
                })
                .collect::<BTreeMap<_, _>>(),
        )
    });
    (mapping, q.get("consent").is_some_and(|v| v == "on"))
}

/// A row of the preview, as it will be stored: its line, its name, then the other columns.
struct PreviewRow {
    line: usize,
    name: String,
    cells: Vec<String>,
}

/// A row's errors in the reader's language.
struct ErrorLine {
    line: usize,
    text: String,
}

#[derive(Template)]
#[template(path = "import/review.html")]
struct ReviewPage {
    c: Chrome,
    id: i64,
    file_name: String,
    headings: Vec<String>,
    /// (field, the heading mapped to it)
    mapping: Vec<(&'static str, String)>,
    /// A file of participants asks for the consent statement.
    ask_consent: bool,
    consent: bool,
    good: usize,
    bad: usize,
    /// The preview's headings after the line and the name.
    columns: Vec<String>,
    preview: Vec<PreviewRow>,
    errors: Vec<ErrorLine>,
    /// The query string that repeats this mapping, for the error report's link.
    query: String,
}

/// How many rows and errors the page shows; the error report has them all.
const PREVIEW_ROWS: usize = 10;
const ERRORS_SHOWN: usize = 100;

/// The check as a page, or with `format=xlsx` the error report.
async fn review_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (mapping, _) = choices(&q);
    let r = import::review(&st, &ctx.actor, id, mapping).await?;
    if q.get("format").is_some_and(|f| f == "xlsx") {
        return error_report(&r, &ctx.c);
    }
    render(&review_view(&ctx.c, id, &r, false))
}

/// The preview's headings (after line and name) and its first rows, as they will be stored.
fn preview(c: &Chrome, rows: &Rows) -> (Vec<String>, Vec<PreviewRow>) {
    let lang = c.lang_code();
    let date = |d: chrono::NaiveDate| polku_domain::dates::format_fi(d);
    match rows {
        Rows::Participants(rows) => {
            let columns = ["birth_date", "municipality", "entry_date"]
                .iter()
                .map(|f| c.label(f))
                .chain([c.t("exit")])
                .collect();
            let rows = rows.iter().take(PREVIEW_ROWS).map(|row| {
                let i = &row.intake;
                let exit = row.exit.map_or(String::new(), |x| {
                    let status = c.choice("exit-status", x.status.as_str());
                    format!("{} {status}", date(x.date))
                });
                PreviewRow {
                    line: row.line,
                    name: format!("{}, {}", i.last_name, i.first_name),
                    cells: vec![
                        date(i.birth_date),
                        i.municipality.name(lang).to_string(),
                        date(i.entry_date),
                        exit,
                    ],
                }
            });
            (columns, rows.collect())
        }
        Rows::Employers(rows) => {
            let columns = ["business_id", "industry", "town", "contact_name"]
                .iter()
                .map(|f| c.label(f))
                .collect();
            let rows = rows.iter().take(PREVIEW_ROWS).map(|row| {
                let e = &row.employer;
                PreviewRow {
                    line: row.line,
                    name: e.name.clone(),
                    cells: vec![
                        e.business_id.as_str().to_string(),
                        e.industry
                            .map_or(String::new(), |i| c.choice("industry", i.as_str())),
                        e.municipality.map_or("", |m| m.name(lang)).to_string(),
                        row.contact
                            .as_ref()
                            .map_or("", |p| p.name.as_str())
                            .to_string(),
                    ],
                }
            });
            (columns, rows.collect())
        }
    }
}

fn review_view(c: &Chrome, id: i64, r: &Review, consent: bool) -> ReviewPage {
    let (columns, preview) = preview(c, &r.rows);
    let errors = r
        .errors
        .iter()
        .take(ERRORS_SHOWN)
        .map(|e| ErrorLine {
            line: e.line,
            text: e
                .errors
                .iter()
                .map(|f| format!("{}: {}", c.label(f.field), c.error_text(f.code.code())))
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let mapping: Vec<(&'static str, String)> = r
        .file
        .kind
        .fields()
        .iter()
        .map(|f| (*f, r.mapping.0.get(*f).cloned().unwrap_or_default()))
        .collect();
    let mut query: Vec<(String, String)> = mapping
        .iter()
        .map(|(f, h)| (format!("m_{f}"), h.clone()))
        .collect();
    query.push(("mapped".into(), "1".into()));
    ReviewPage {
        c: c.clone(),
        id,
        file_name: r.file.name.clone(),
        headings: r.sheet.headings.clone(),
        mapping,
        ask_consent: r.file.kind == Kind::Participants,
        consent,
        good: r.rows.len(),
        bad: r.errors.len(),
        columns,
        preview,
        errors,
        query: serde_urlencoded::to_string(&query).unwrap_or_default(),
    }
}

fn error_report(r: &Review, c: &Chrome) -> Result<Response, AppError> {
    let bytes = import::error_report(r, c)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"import-errors.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn run(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(q): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (mapping, consent) = choices(&q);
    let skip = q.get("skip_bad").is_some_and(|v| v == "on");
    // Checked here too, so a refusal shows on the review page instead of the progress page.
    let r = import::review(&st, &ctx.actor, id, mapping).await?;
    // The consent statement is asked of a file of participants only.
    let consent = consent || r.file.kind == Kind::Employers;
    if !consent || (!r.errors.is_empty() && !skip) {
        let code = if consent {
            ErrorCode::ImportHasErrors
        } else {
            ErrorCode::Required
        };
        let field = if consent { "file" } else { "consent" };
        let c = ctx.with_errors(vec![polku_domain::error::FieldError { field, code }]);
        return unprocessable(&review_view(&c, id, &r, consent));
    }
    let progress = Progress::new();
    if let Ok(mut running) = st.imports.lock() {
        running.insert(id, progress.clone());
    }
    let (st2, actor, mapping) = (st.clone(), ctx.actor, r.mapping);
    tokio::spawn(async move {
        let result = import::run(&st2, &actor, id, mapping, consent, skip, &progress).await;
        if let Err(e) = &result {
            tracing::warn!(import = id, error = ?e, "import failed");
        }
        let outcome = result.map_err(|e| e.code());
        if let Ok(mut o) = progress.outcome.lock() {
            *o = Some(outcome);
        }
    });
    Ok(Redirect::to(&format!("/imports/{id}/progress")).into_response())
}

#[derive(Template)]
#[template(path = "import/progress.html")]
struct ProgressPage {
    c: Chrome,
    id: i64,
    done: usize,
    total: usize,
    /// Rows written once finished.
    imported: Option<i64>,
    failed: Option<String>,
    /// Not running on this node: on another one, or stopped (then nothing was saved).
    elsewhere: bool,
    /// Where the imported rows are listed.
    listed_at: String,
    listed_as: String,
}

async fn progress(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let mut conn = st.db.acquire().await?;
    let file = polku_store::imports::file(&mut conn, ctx.actor.org, id).await?;
    let (action, listed_at, listed_as) = match file.project_id {
        Some(p) => (
            Action::CreateParticipant,
            format!("/participants?project={p}"),
            "nav-participants",
        ),
        None => (
            Action::ManageEmployers,
            "/employers".to_string(),
            "nav-employers",
        ),
    };
    ctx.authorize(action, Some(ctx.actor.org))?;
    let running: Option<Arc<Progress>> = st.imports.lock().ok().and_then(|m| m.get(&id).cloned());
    let outcome = running
        .as_ref()
        .and_then(|p| p.outcome.lock().ok().and_then(|o| *o));
    let failed = match outcome {
        Some(Err(code)) => Some(ctx.c.error_text(code.code())),
        _ => None,
    };
    let (done, total) = running.as_ref().map_or((0, 0), |p| {
        (
            p.done.load(Ordering::Relaxed),
            p.total.load(Ordering::Relaxed),
        )
    });
    let listed_as = ctx.c.t(listed_as);
    render(&ProgressPage {
        c: ctx.c,
        id,
        done,
        total,
        imported: file.imported_rows,
        failed,
        elsewhere: running.is_none(),
        listed_at,
        listed_as,
    })
}
