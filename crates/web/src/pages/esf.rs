//! The funder's report of a project (ESF+ indicators and monitoring) as a page with a chart,
//! and as CSV, XLSX, JSON and PDF. The API and `polku report esf` use [`load`] too.

use super::render;
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use polku_domain::ids::ProjectId;
use polku_reports::esf::EsfReport;
use polku_reports::{Cell, Table};
use polku_store::projects::ProjectRow;
use polku_usecases::esf as uc;

pub fn router() -> Router<AppState> {
    Router::new().route("/projects/{id}/esf", get(page))
}

pub use polku_usecases::esf::{build as load, own_staff};

/// Output formats besides the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Csv,
    Xlsx,
    Json,
    Pdf,
}

impl Output {
    pub fn parse(s: &str) -> Option<Output> {
        match s {
            "csv" => Some(Output::Csv),
            "xlsx" => Some(Output::Xlsx),
            "json" => Some(Output::Json),
            "pdf" => Some(Output::Pdf),
            _ => None,
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Output::Csv => "text/csv; charset=utf-8",
            Output::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Output::Json => "application/json",
            Output::Pdf => "application/pdf",
        }
    }
    pub fn ext(self) -> &'static str {
        match self {
            Output::Csv => "csv",
            Output::Xlsx => "xlsx",
            Output::Json => "json",
            Output::Pdf => "pdf",
        }
    }
}

/// The report in a file format, in the given language.
pub fn render_output(
    report: &EsfReport,
    out: Output,
    lang: Lang,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, AppError> {
    let t = |k: &str| lang.t(k);
    let internal = |e: polku_reports::ReportError| AppError::Internal(e.to_string());
    match out {
        Output::Csv => {
            polku_reports::csv_excel_many(&report.tables(&t), lang.code()).map_err(internal)
        }
        Output::Xlsx => polku_reports::xlsx_many(&report.tables(&t)).map_err(internal),
        Output::Json => {
            serde_json::to_vec_pretty(&report.json()).map_err(|e| AppError::Internal(e.to_string()))
        }
        Output::Pdf => {
            polku_reports::pdf::pdf(&report.doc(&t, lang.code()), today).map_err(internal)
        }
    }
}

crate::form!(pub struct ReportQuery { pub format });

/// One incomplete record as shown to the project's own staff.
pub struct IncompleteLine {
    pub participant_id: i64,
    pub name: String,
    pub missing: String,
}

#[derive(Template)]
#[template(path = "projects/esf.html")]
struct Page {
    c: Chrome,
    p: ProjectRow,
    tables: Vec<Table>,
    chart: String,
    refused: Vec<(String, String)>,
    incomplete: Vec<IncompleteLine>,
    own_staff: bool,
    etb: String,
    /// Each indicator and how Polku counts it.
    definitions: Vec<(String, String)>,
    /// No degree of urbanisation imported: EECO17 counts nobody.
    degurba_missing: bool,
}

impl Page {
    fn show(&self, cell: &Cell) -> String {
        polku_reports::display(cell, self.c.lang_code())
    }
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let out = Output::parse(&q.format);
    let which = uc::Which::Id(ProjectId(id));
    let (p, report, own) = uc::report(&st, &ctx.actor, which, out.map(|o| o.ext())).await?;
    if let Some(out) = out {
        let bytes = render_output(&report, out, ctx.c.lang, st.clock.today())?;
        let disposition = format!(
            "attachment; filename=\"esf-{}.{}\"",
            p.code.to_lowercase(),
            out.ext()
        );
        return Ok((
            [
                (header::CONTENT_TYPE, out.mime().to_string()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response());
    }
    // The records to fix carry names: only for those who may see the participants.
    let mut incomplete = vec![];
    if own {
        let ids: Vec<i64> = report
            .indicators
            .incomplete
            .iter()
            .map(|i| i.participant_id)
            .collect();
        let names = polku_store::participants::names(&mut *st.db.acquire().await?, &ids).await?;
        for i in &report.indicators.incomplete {
            let missing = i
                .missing
                .iter()
                .map(|f| ctx.c.label(f))
                .collect::<Vec<_>>()
                .join(", ");
            incomplete.push(IncompleteLine {
                participant_id: i.participant_id,
                name: names.get(&i.participant_id).cloned().unwrap_or_default(),
                missing,
            });
        }
    }
    let t = |k: &str| ctx.c.t(k);
    let tables = report.tables(&t);
    let leavers = report.leavers();
    let share = |n: Option<i64>| n.and_then(|n| polku_domain::share::permille(n, leavers));
    let lang = ctx.c.lang_code();
    let rows: Vec<(String, String, Option<i64>)> = report
        .outcomes_shown()
        .into_iter()
        .map(|(s, n)| {
            let share = share(n);
            let label = ctx.c.choice("exit-status", s.as_str());
            let text = share.map_or("<5".to_string(), |p| {
                polku_domain::services::format_rate(Some(p), lang)
            });
            (label, text, share)
        })
        .collect();
    let chart = polku_reports::svg::bars(&ctx.c.t("report-outcomes"), &rows);
    let etb = match report.etb_shown() {
        Some(n) if leavers > 0 => polku_domain::services::format_rate(share(Some(n)), lang),
        Some(_) => "—".into(),
        None => "<5".into(),
    };
    let refused = report
        .refused_shown()
        .into_iter()
        .map(|(code, n)| {
            (
                code.to_string(),
                n.map_or("<5".to_string(), |n| n.to_string()),
            )
        })
        .collect();
    let definitions = polku_domain::esf::INDICATORS
        .iter()
        .map(|i| {
            let def = format!("esf-def-{}", i.code.to_lowercase());
            (format!("{} {}", i.code, ctx.c.t(i.key)), ctx.c.t(&def))
        })
        .collect();
    let degurba = polku_store::reference::Kind::Degurba;
    let (degurba_values, _) =
        polku_store::reference::loaded(&mut *st.db.acquire().await?, degurba).await?;
    render(&Page {
        c: ctx.c,
        p,
        tables,
        chart,
        refused,
        incomplete,
        own_staff: own,
        etb,
        definitions,
        degurba_missing: degurba_values == 0,
    })
}
