//! The participant list: search, pages of 200, and the export that holds every row (CSV
//! streamed from one snapshot, XLSX).

use super::render;
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use polku_domain::authz::Action;
use polku_domain::ids::ProjectId;
use polku_domain::text;
use polku_store::participants::ParticipantRow;
use polku_store::projects::{self, ProjectRow};
use polku_usecases::participants as uc;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    pub q: String,
    pub project: String,
    pub format: String,
    /// 1-based page of the list.
    pub page: String,
    /// `1` after a person's data was erased.
    pub erased: String,
}

/// Rows on one page of the participant list.
const PAGE_ROWS: i64 = 200;

/// Where the list is and whether more follows, so it never ends silently at a cap.
pub struct Paging {
    /// 1-based number of the first row shown.
    pub first: i64,
    pub page: i64,
    pub more: bool,
    /// The query string without `page`, for the links.
    pub base: String,
}

#[derive(Template)]
#[template(path = "participants/search.html")]
struct Search {
    c: Chrome,
    q: String,
    project: String,
    projects: Vec<ProjectRow>,
    rows: Vec<ParticipantRow>,
    paging: Paging,
    can_create: bool,
}

#[derive(Template)]
#[template(path = "participants/results.html")]
struct Results {
    c: Chrome,
    rows: Vec<ParticipantRow>,
    paging: Paging,
}

pub async fn search(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewParticipant, Some(ctx.actor.org))?;
    let project = text::optional_int(&q.project, 1, i64::MAX)
        .unwrap_or(None)
        .map(ProjectId);
    let export = crate::export::Format::from_query(&q.format);
    if export == Some(crate::export::Format::Csv) {
        return stream_participants(&st, &ctx, q.q, project).await;
    }
    let page = text::optional_int(&q.page, 1, i64::MAX / PAGE_ROWS)
        .unwrap_or(None)
        .unwrap_or(1);
    // An export holds every matching row; a page one more than it shows, to know if more follow.
    let (limit, offset) = match export {
        Some(_) => (None, 0),
        None => (Some(PAGE_ROWS + 1), (page - 1) * PAGE_ROWS),
    };
    let search = uc::Search {
        text: &q.q,
        project,
        limit,
        offset,
        export: export.is_some(),
        via: "",
    };
    let mut rows = uc::search(&st, &ctx.actor, search).await?;
    let more = export.is_none() && rows.len() as i64 > PAGE_ROWS;
    rows.truncate(if export.is_some() {
        rows.len()
    } else {
        PAGE_ROWS as usize
    });
    let paging = Paging {
        first: offset + 1,
        page,
        more,
        base: format!(
            "q={}&project={}",
            crate::error::urlencode(&q.q),
            crate::error::urlencode(&q.project)
        ),
    };
    if let Some(format) = export {
        return crate::export::respond(
            &participant_table(&ctx.c, &rows),
            format,
            ctx.c.lang,
            "participants",
        );
    }
    if headers.contains_key("hx-request") && !headers.contains_key("hx-boosted") {
        return render(&Results {
            c: ctx.c,
            rows,
            paging,
        });
    }
    let mut c = st.db.acquire().await?;
    let projects = projects::for_org(&mut c, ctx.actor.org).await?;
    let can_create = ctx
        .authorize(Action::CreateParticipant, Some(ctx.actor.org))
        .is_ok();
    let mut c = ctx.c;
    if q.erased == "1" {
        c.notice = Some(c.t("participants-erased"));
    }
    render(&Search {
        c,
        q: q.q,
        project: q.project,
        projects,
        rows,
        paging,
        can_create,
    })
}

/// Rows read per part of a streamed export.
const EXPORT_PAGE: i64 = 200;

/// The participant export as CSV, streamed: read page by page from one snapshot of the
/// database (so nothing is missed or repeated while others write), each page sent as it is
/// read. The export itself is audited before the first byte.
async fn stream_participants(
    st: &AppState,
    ctx: &Ctx,
    query: String,
    project: Option<ProjectId>,
) -> Result<Response, AppError> {
    let mut cursor = uc::export(st, &ctx.actor, &query, project, "csv").await?;
    let c = ctx.c.clone();
    let head = participant_table(&c, &[]);
    let head =
        polku_reports::csv_head(&head.headers).map_err(|e| AppError::Internal(e.to_string()))?;
    let (parts, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        if parts.send(Ok(head)).await.is_err() {
            return;
        }
        loop {
            let rows = match cursor.next_page(EXPORT_PAGE).await {
                Ok(rows) => rows,
                Err(e) => {
                    let e = std::io::Error::other(format!("{e:?}"));
                    return drop(parts.send(Err(e)).await);
                }
            };
            let bytes = polku_reports::csv_rows(&participant_table(&c, &rows).rows, c.lang_code());
            let done = (rows.len() as i64) < EXPORT_PAGE;
            let sent = parts
                .send(bytes.map_err(|e| std::io::Error::other(e.to_string())))
                .await;
            if done || sent.is_err() {
                return;
            }
        }
    });
    Ok(crate::export::stream_csv(rx, "participants"))
}

/// The search result as a table for CSV/XLSX: no identity codes, no sensitive items.
fn participant_table(c: &Chrome, rows: &[ParticipantRow]) -> polku_reports::Table {
    let headers = [
        "field-last-name",
        "field-first-name",
        "field-birth-date",
        "field-project-id",
        "field-municipality",
        "field-entry-date",
        "field-counsellor-id",
        "field-exit-date",
        "field-exit-status",
    ];
    crate::export::table(c, "nav-participants", &headers, rows, |p| {
        vec![
            p.last_name.as_str().into(),
            p.first_name.as_str().into(),
            p.birth_date.into(),
            p.project_code.as_str().into(),
            polku_domain::validated::Municipality::parse(&p.municipality)
                .map_or(p.municipality.clone(), |m| {
                    m.name(c.lang_code()).to_string()
                })
                .into(),
            p.entry_date.into(),
            p.counsellor_name.clone().into(),
            p.exit_date.into(),
            p.exit_status.map(|s| c.choice("exit-status", s)).into(),
        ]
    })
}
