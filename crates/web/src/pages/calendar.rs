//! The annual calendar (vuosikello) of an organisation: programme sessions and drop-in duty
//! shifts by month, as a page, an .ics download, and a subscription feed at a secret address.

use super::render;
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::{Datelike, NaiveDate};
use polku_domain::authz::Action;
use polku_domain::ids::OrgId;
use polku_domain::DomainError;
use polku_store::calendar::{self as repo, EntryRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar", get(year_page))
        .route("/calendar.ics", get(download))
        .route("/calendar/feed", post(new_feed))
        .route("/ical/{token}", get(feed))
}

crate::form!(pub struct YearQuery { pub year });

fn year_of(q: &YearQuery, today: NaiveDate) -> i32 {
    q.year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today.year())
}

fn bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default(),
    )
}

#[derive(Template)]
#[template(path = "calendar/year.html")]
struct YearPage {
    c: Chrome,
    year: i32,
    months: Vec<(u32, Vec<EntryRow>)>,
    feed_url: Option<String>,
}

impl YearPage {
    fn month_name(&self, m: &u32) -> String {
        self.c.t(format!("month-{m}"))
    }
}

async fn year_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewServices, None)?;
    let year = year_of(&q, st.clock.today());
    render_year(&st, ctx, year, None).await
}

/// The year's entries of the user's organisation, month by month.
async fn render_year(
    st: &AppState,
    ctx: Ctx,
    year: i32,
    feed_url: Option<String>,
) -> Result<Response, AppError> {
    let (from, to) = bounds(year);
    let entries = polku_usecases::accounts::calendar(st, &ctx.actor, from, to).await?;
    let months = (1..=12u32)
        .map(|m| {
            (
                m,
                entries
                    .iter()
                    .filter(|e| e.starts_at.month() == m)
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    render(&YearPage {
        c: ctx.c,
        year,
        months,
        feed_url,
    })
}

fn ics(
    entries: &[EntryRow],
    name: &str,
    c: &Chrome,
    stamp: chrono::DateTime<chrono::Utc>,
) -> String {
    let events: Vec<polku_reports::ical::Event> = entries
        .iter()
        .map(|e| polku_reports::ical::Event {
            uid: format!("{}@polku", e.uid),
            summary: e.title.clone(),
            start: e.starts_at,
            end: e.ends_at,
            location: e.place.clone(),
            category: Some(c.choice("service-kind", &e.kind)),
        })
        .collect();
    polku_reports::ical::calendar(name, &events, stamp)
}

fn calendar_response(body: String) -> Response {
    let disposition = "inline; filename=\"polku.ics\"";
    crate::export::download("text/calendar; charset=utf-8", disposition, body)
}

async fn download(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let (from, to) = bounds(year_of(&q, st.clock.today()));
    let entries = polku_usecases::accounts::calendar(&st, &ctx.actor, from, to).await?;
    let org = polku_store::orgs::get(&mut *st.db.acquire().await?, ctx.actor.org).await?;
    Ok(calendar_response(ics(
        &entries,
        &format!("{} – {}", org.name, ctx.c.t("nav-calendar")),
        &ctx.c,
        st.clock.now(),
    )))
}

/// Creates a subscription address; shown once, like an API token.
async fn new_feed(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let token = polku_usecases::accounts::create_calendar_feed(&st, &ctx.actor).await?;
    let year = st.clock.today().year();
    render_year(&st, ctx, year, Some(format!("/ical/{token}"))).await
}

/// The subscription feed: a year back and a year ahead. The secret address is the credential,
/// as calendar apps cannot log in; the content holds no personal data.
async fn feed(
    State(st): State<AppState>,
    Path(token): Path<String>,
    lang: crate::i18n::Lang,
) -> Result<Response, AppError> {
    let token = token.trim_end_matches(".ics");
    let mut conn = st.db.acquire().await?;
    let org: OrgId = repo::feed_org(&mut conn, token)
        .await?
        .ok_or(DomainError::NotFound)?;
    let today = st.clock.today();
    let from = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(today.year() + 2, 1, 1).unwrap_or(today);
    let entries = repo::entries(&mut conn, org, from, to).await?;
    let name = polku_store::orgs::get(&mut conn, org).await?.name;
    let c = Chrome::anonymous(lang);
    Ok(calendar_response(ics(
        &entries,
        &format!("{name} – {}", c.t("nav-calendar")),
        &c,
        st.clock.now(),
    )))
}
