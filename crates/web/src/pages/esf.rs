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
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::{OrgId, ProjectId};
use polku_reports::esf::{EsfReport, ProjectFacts};
use polku_reports::{Cell, Table};
use polku_store::audit::{Audit, Entity};
use polku_store::projects::{self, ProjectRow};
use polku_store::Conn;

pub fn router() -> Router<AppState> {
    Router::new().route("/projects/{id}/esf", get(page))
}

/// Whether the actor is the project's own staff: they see exact small numbers.
pub fn own_staff(actor: &Actor, project: &ProjectRow) -> bool {
    authorize(
        actor,
        Action::ViewParticipant,
        Some(OrgId(project.owner_org_id)),
    )
    .is_ok()
}

pub async fn load(
    conn: &mut Conn,
    cipher: &polku_store::crypto::FieldCipher,
    project: &ProjectRow,
    own_staff: bool,
) -> Result<EsfReport, AppError> {
    let pid = ProjectId(project.id);
    let records = polku_store::esf::records(conn, cipher, pid).await?;
    let facts = ProjectFacts {
        code: project.code.clone(),
        name: project.name.clone(),
        owner: project.owner_name.clone(),
        start_date: polku_store::parse_date(&project.start_date),
        end_date: polku_store::parse_date(&project.end_date),
        authority: project.authority.clone(),
        municipalities: super::projects::municipality_names(&project.municipalities, "fi"),
        target_participants: project.target_participants,
        target_companies: project.target_companies,
        realised_companies: projects::company_count(conn, pid).await?,
        budget_public_cents: project.budget_public_cents,
        budget_granted_cents: project.budget_granted_cents,
        budget_realised_cents: project.budget_realised_cents,
    };
    Ok(polku_reports::esf::build(facts, &records, own_staff))
}

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
    ctx.authorize(Action::ViewProjects, None)?;
    // Reads only, outside any write transaction: the report may take a while at scale and must
    // not hold SQLite's write lock meanwhile. Only an export writes (its audit entry).
    let p = projects::get(&mut *st.db.acquire().await?, ProjectId(id)).await?;
    let own = own_staff(&ctx.actor, &p);
    let report = load(&mut *st.db.acquire_read().await?, &st.cipher, &p, own).await?;
    if let Some(out) = Output::parse(&q.format) {
        let mut tx = st.db.begin().await?;
        Audit::by(&ctx.actor, st.clock.now())
            .export(&mut tx, Entity::EsfReport(id), out.ext())
            .await?;
        tx.commit().await?;
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
    let share = |n: Option<i64>| {
        n.filter(|_| leavers > 0)
            .map(|n| (n * 1000 + leavers / 2) / leavers)
    };
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
