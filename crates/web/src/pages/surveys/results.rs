//! A survey's results on the page (a chart per scale or choice question) and as CSV or XLSX.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::export::FormatQuery;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use polku_domain::ids::SurveyId;
use polku_domain::services::format_rate;
use polku_reports::surveys::QuestionResult;
use polku_usecases::surveys::{self as uc, ResultsView};

#[derive(Template)]
#[template(path = "surveys/results.html")]
struct Page {
    c: Chrome,
    v: ResultsView,
    /// Per question, its chart (empty for free text).
    charts: Vec<String>,
}

impl Page {
    fn rate(&self, p: &Option<i64>) -> String {
        format_rate(*p, self.c.lang_code())
    }
    fn count(&self, n: &Option<i64>) -> String {
        n.map_or_else(|| "<5".to_string(), |n| n.to_string())
    }
    fn mean(&self, q: &QuestionResult) -> String {
        let sep = if self.c.lang_code() == "en" { "." } else { "," };
        q.mean_tenths
            .map_or("—".into(), |m| format!("{}{sep}{}", m / 10, m % 10))
    }
    fn answer_of(&self, answers: &[(i64, String)], position: &i64) -> String {
        answers
            .iter()
            .find(|(p, _)| p == position)
            .map_or(String::new(), |(_, a)| a.clone())
    }
}

fn chart(c: &Chrome, q: &QuestionResult) -> String {
    if q.lines.is_empty() {
        return String::new();
    }
    let rows: Vec<(String, String, Option<i64>)> = q
        .lines
        .iter()
        .map(|l| {
            let shown = l.count.map_or("<5".to_string(), |n| match l.permille {
                Some(p) => format!("{n} ({})", format_rate(Some(p), c.lang_code())),
                None => n.to_string(),
            });
            (l.label.clone(), shown, l.permille)
        })
        .collect();
    let title = format!("{}. {}", q.position, q.text);
    polku_reports::svg::bars_named(&format!("chart-q{}", q.position), &title, &rows)
}

#[tracing::instrument(skip_all, fields(survey = id))]
pub(super) async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<FormatQuery>,
) -> Result<Response, AppError> {
    let v = uc::results(&st, &ctx.actor, SurveyId(id)).await?;
    if let Some(format) = crate::export::Format::from_query(&q.format) {
        let tables = v.results.tables(&|k: &str| ctx.c.t(k));
        return crate::export::respond_many(&tables, format, ctx.c.lang, &format!("survey-{id}"));
    }
    let charts = v
        .results
        .questions
        .iter()
        .map(|q| chart(&ctx.c, q))
        .collect();
    crate::pages::render(&Page {
        c: ctx.c,
        v,
        charts,
    })
}
