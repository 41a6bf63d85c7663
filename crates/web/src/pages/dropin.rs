//! The drop-in service point: opening hours, partner duty shifts, and the visit log.

use super::render;
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::reshown::{saved_or_again as again, Reshown};
use crate::submitted::Submitted;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDateTime;
use chrono::{Datelike, Duration, NaiveDate};
use polku_domain::authz::Action;
use polku_domain::dropin::{HoursForm, PointForm, ShiftForm, VisitForm};
use polku_domain::ids::OrgId;
use polku_store::dropin::{PointRow, ShiftRow, VisitRow};
use polku_store::orgs::Org;
use polku_store::participants::ParticipantRow;
use polku_usecases::dropin as uc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dropin", get(list).post(create))
        .route("/dropin/{id}", get(show))
        .route("/dropin/{id}/hours", post(set_hours))
        .route("/dropin/{id}/shifts", post(add_shift))
        .route("/dropin/{id}/shifts/{sid}/take", post(take))
        .route("/dropin/{id}/shifts/{sid}/release", post(release))
        .route("/dropin/{id}/visits", post(add_visit))
}

#[derive(Template)]
#[template(path = "dropin/list.html")]
struct List {
    c: Chrome,
    points: Vec<PointRow>,
    can_add: bool,
}

async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let points = uc::points(&st, &ctx.actor).await?;
    let can_add = ctx
        .authorize(Action::ManageService, Some(ctx.actor.org))
        .is_ok();
    render(&List {
        c: ctx.c,
        points,
        can_add,
    })
}

async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PointForm>,
) -> Result<Response, AppError> {
    let id = uc::create_point(&st, &ctx.actor, &f).await?;
    Ok(Redirect::to(&format!("/dropin/{id}")).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct WeekQuery {
    /// Any day of the week to show (d.m.yyyy or yyyy-mm-dd); default this week.
    pub week: String,
    pub format: String,
}

/// One day of the week view.
pub struct Day {
    pub date: NaiveDate,
    pub shifts: Vec<ShiftRow>,
    pub registered: i64,
    pub anonymous: i64,
}

#[derive(Template)]
#[template(path = "dropin/show.html")]
struct Show {
    c: Chrome,
    p: PointRow,
    hours: Vec<(i64, String, String)>,
    days: Vec<Day>,
    monday: NaiveDate,
    visits: Vec<VisitRow>,
    organiser: bool,
    can_take: bool,
    own_org: OrgId,
    orgs: Vec<Org>,
    participants: Vec<ParticipantRow>,
    today: String,
    total_registered: i64,
    total_anonymous: i64,
    again: Reshown,
}

impl Show {
    fn weekday_name(&self, d: &i64) -> String {
        self.c.t(format!("weekday-{d}"))
    }
    fn day_label(&self, d: &NaiveDate) -> String {
        format!(
            "{} {}",
            self.c
                .t(format!("weekday-{}", d.weekday().num_days_from_monday())),
            polku_domain::dates::format_fi(*d)
        )
    }
    fn week_link(&self, offset: i64) -> NaiveDate {
        self.monday + Duration::days(7 * offset)
    }
    fn holds(&self, s: &ShiftRow) -> bool {
        s.org_id == Some(self.own_org)
    }
    fn time_span(&self, s: &ShiftRow) -> String {
        let t = |v: &NaiveDateTime| self.c.clock(v.format("%H:%M").to_string());
        format!("{}–{}", t(&s.starts_at), t(&s.ends_at))
    }
}

fn monday_of(q: &str, today: NaiveDate) -> NaiveDate {
    let d = polku_domain::dates::parse_date(q).unwrap_or(today);
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<WeekQuery>,
) -> Result<Response, AppError> {
    week_page(&st, ctx, id, &q, Reshown::default()).await
}

/// The point's week; with a refused form, that form shown again in place (422) on the week of
/// the date typed into it.
async fn week_page(
    st: &AppState,
    ctx: Ctx,
    id: i64,
    q: &WeekQuery,
    again: Reshown,
) -> Result<Response, AppError> {
    let monday = monday_of(&q.week, st.clock.today());
    let format = crate::export::Format::from_query(&q.format);
    let w = uc::week(st, &ctx.actor, id, monday, format.is_some()).await?;
    if let Some(format) = format {
        let name = format!("visits-{}", polku_store::date(monday));
        let table = visit_table(&ctx.c, &w.p, &w.visits);
        return crate::export::respond(&table, format, ctx.c.lang, &name);
    }
    let uc::Week {
        p,
        organiser,
        hours,
        shifts,
        counts,
        visits,
        orgs,
        participants,
    } = w;
    let days: Vec<Day> = (0..7)
        .map(|i| {
            let date = monday + Duration::days(i);
            let (registered, anonymous) = counts
                .iter()
                .find(|n| n.date == date)
                .map_or((0, 0), |n| (n.registered, n.anonymous));
            Day {
                date,
                shifts: shifts
                    .iter()
                    .filter(|s| s.starts_at.date() == date)
                    .cloned()
                    .collect(),
                registered,
                anonymous,
            }
        })
        .collect();
    let (total_registered, total_anonymous) = days
        .iter()
        .fold((0, 0), |(r, a), d| (r + d.registered, a + d.anonymous));
    let can_take = ctx.authorize(Action::TakeShift, None).is_ok();
    let show = Show {
        own_org: ctx.actor.org,
        today: polku_domain::dates::format_fi(st.clock.today()),
        c: again.chrome(&ctx),
        p,
        hours,
        days,
        monday,
        visits,
        organiser,
        can_take,
        orgs,
        participants,
        total_registered,
        total_anonymous,
        again,
    };
    crate::pages::shown(&show, show.again.is_refused())
}

/// After a save, the week of the day saved; a refused `form` shown again in place, on the
/// week of the date typed into it.
async fn saved_or_again(
    st: &AppState,
    ctx: Ctx,
    id: i64,
    form: &str,
    typed: Vec<(String, String)>,
    result: polku_usecases::Result<(i64, NaiveDate)>,
) -> Result<Response, AppError> {
    let to = |(_, day): &(i64, NaiveDate)| week_url(id, *day);
    let session = ctx.session.clone();
    again(result, (to, &session), (form, typed), |a| async move {
        let q = WeekQuery {
            week: a.typed(&a.form, "date", ""),
            format: String::new(),
        };
        week_page(st, ctx, id, &q, a).await
    })
    .await
}

fn visit_table(c: &Chrome, p: &PointRow, visits: &[VisitRow]) -> polku_reports::Table {
    let mut t = crate::export::table(
        c,
        "visit-log",
        &[
            "field-date",
            "visit-registered",
            "visit-anonymous",
            "field-topic",
        ],
        visits,
        |v| {
            vec![
                v.date.into(),
                v.participant_name.clone().into(),
                (v.anonymous_count > 0).then_some(v.anonymous_count).into(),
                v.topic.clone().into(),
            ]
        },
    );
    t.title = p.name.clone();
    t
}

fn week_url(id: i64, date: NaiveDate) -> String {
    format!("/dropin/{id}?week={}", polku_store::date(date))
}

fn back(id: i64, date: NaiveDate) -> Response {
    Redirect::to(&week_url(id, date)).into_response()
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct HoursPost {
    #[serde(flatten)]
    f: HoursForm,
    closed: Option<String>,
}

async fn set_hours(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(h): Form<HoursPost>,
) -> Result<Response, AppError> {
    uc::set_hours(&st, &ctx.actor, id, &h.f, h.closed.is_some()).await?;
    Ok(Redirect::to(&format!("/dropin/{id}#hours")).into_response())
}

async fn add_shift(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<ShiftForm>,
) -> Result<Response, AppError> {
    let r = uc::add_shift(&st, &ctx.actor, id, &s.form).await;
    saved_or_again(&st, ctx, id, "shift", s.typed, r).await
}

async fn take(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let day = uc::change_shift(&st, &ctx.actor, id, sid, true).await?;
    Ok(back(id, day))
}

async fn release(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let day = uc::change_shift(&st, &ctx.actor, id, sid, false).await?;
    Ok(back(id, day))
}

async fn add_visit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<VisitForm>,
) -> Result<Response, AppError> {
    let r = uc::add_visit(&st, &ctx.actor, id, &s.form).await;
    saved_or_again(&st, ctx, id, "visit", s.typed, r).await
}
