//! The referral report over a period, on the page and as CSV or XLSX.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use polku_domain::dates::parse_date;
use polku_domain::error::FieldError;
use polku_domain::ErrorCode;
use polku_reports::referrals::ReferralReport;
use polku_usecases::referrals as uc;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct Period {
    from: String,
    to: String,
    format: String,
}

#[derive(Template)]
#[template(path = "referrals/report.html")]
struct Page {
    c: Chrome,
    r: ReferralReport,
    from: String,
    to: String,
}

impl Page {
    fn rate(&self, p: &Option<i64>) -> String {
        p.map(|p| polku_domain::services::format_rate(Some(p), self.c.lang_code()))
            .unwrap_or_else(|| "—".into())
    }
}

/// The period asked for: by default this year up to today.
fn period(q: &Period, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Vec<FieldError>> {
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let day = |s: &str, field, default| match s.trim() {
        "" => Ok(default),
        s => parse_date(s).map_err(|code| FieldError { field, code }),
    };
    match (day(&q.from, "from", start), day(&q.to, "to", today)) {
        (Ok(f), Ok(t)) if t < f => Err(vec![FieldError {
            field: "to",
            code: ErrorCode::DateRange,
        }]),
        (Ok(f), Ok(t)) => Ok((f, t)),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

#[tracing::instrument(skip_all)]
pub(super) async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Period>,
) -> Result<Response, AppError> {
    let (from, to, c) = match period(&q, st.clock.today()) {
        Ok((f, t)) => (f, t, ctx.c.clone()),
        Err(errors) => {
            let today = st.clock.today();
            (today, today, ctx.with_errors(errors))
        }
    };
    let r = uc::report(&st, &ctx.actor, (from, to)).await?;
    if let Some(format) = crate::export::Format::from_query(&q.format) {
        let tables = r.tables(&|k: &str| ctx.c.t(k));
        let name = format!("referrals-{from}-{to}");
        return crate::export::respond_many(&tables, format, ctx.c.lang, &name);
    }
    let refused = !c.errors.is_empty();
    let page = Page {
        c,
        r,
        from: polku_domain::dates::format_fi(from),
        to: polku_domain::dates::format_fi(to),
    };
    crate::pages::shown(&page, refused)
}
