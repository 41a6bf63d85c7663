//! The drop-in service point: opening hours, partner duty shifts, and the visit log.

use super::render;
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, Duration, NaiveDate};
use polku_domain::authz::Action;
use polku_domain::dropin::{HoursForm, PointForm, ShiftForm, VisitForm, Visitor};
use polku_domain::ids::OrgId;
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::dropin::{self as repo, PointRow, ShiftRow, VisitRow};
use polku_store::orgs::{self, Org};
use polku_store::participants::ParticipantRow;

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
    ctx.authorize(Action::ViewServices, None)?;
    let mut conn = st.db.acquire().await?;
    let can_add = ctx
        .authorize(Action::ManageService, Some(ctx.actor.org))
        .is_ok();
    render(&List {
        c: ctx.c,
        points: repo::list(&mut conn).await?,
        can_add,
    })
}

async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PointForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageService, Some(ctx.actor.org))?;
    let p = f.parse()?;
    let mut tx = st.db.begin().await?;
    let id = repo::create(&mut tx, ctx.actor.org, &p, st.clock.now()).await?;
    Audit::by(&ctx.actor, st.clock.now())
        .create(&mut tx, Entity::DropinPoint(id), "")
        .await?;
    tx.commit().await?;
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
    own_org: i64,
    orgs: Vec<Org>,
    participants: Vec<ParticipantRow>,
    today: String,
    total_registered: i64,
    total_anonymous: i64,
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
    fn week_link(&self, offset: i64) -> String {
        polku_store::date(self.monday + Duration::days(7 * offset))
    }
    fn holds(&self, s: &ShiftRow) -> bool {
        s.org_id == Some(self.own_org)
    }
    fn time_span(&self, s: &ShiftRow) -> String {
        let t = |v: &str| self.c.clock(v.get(11..16).unwrap_or(""));
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
    ctx.authorize(Action::ViewServices, None)?;
    let monday = monday_of(&q.week, st.clock.today());
    let next = monday + Duration::days(7);
    let mut tx = st.db.begin().await?;
    let p = repo::get(&mut tx, id).await?;
    let organiser = ctx
        .authorize(Action::EditParticipant, Some(OrgId(p.org_id)))
        .is_ok();
    let shifts = repo::shifts(&mut tx, id, monday, next).await?;
    let counts = repo::daily_counts(&mut tx, id, monday, next).await?;
    // Who visited is personal data: only the organiser sees the log; others see the counts.
    let visits = if organiser {
        repo::visits(&mut tx, id, monday, next).await?
    } else {
        vec![]
    };
    if let Some(format) = crate::export::Format::from_query(&q.format) {
        if !organiser {
            return Err(DomainError::Forbidden.into());
        }
        Audit::by(&ctx.actor, st.clock.now())
            .export(
                &mut tx,
                Entity::Visits(id),
                &format!("rows={}", visits.len()),
            )
            .await?;
        tx.commit().await?;
        return crate::export::respond(
            &visit_table(&ctx.c, &p, &visits),
            format,
            ctx.c.lang,
            &format!("visits-{}", polku_store::date(monday)),
        );
    }
    if organiser {
        Audit::by(&ctx.actor, st.clock.now())
            .read(&mut tx, Entity::Visits(id), "")
            .await?;
    }
    let participants = if organiser {
        polku_store::participants::search(&mut tx, &st.cipher, ctx.actor.org, "", p.project_id, 500)
            .await?
            .into_iter()
            .filter(|x| x.exit_date.is_none())
            .collect()
    } else {
        vec![]
    };
    let hours = repo::hours(&mut tx, id).await?;
    let orgs = if organiser {
        orgs::list(&mut tx).await?
    } else {
        vec![]
    };
    tx.commit().await?;
    let days: Vec<Day> = (0..7)
        .map(|i| {
            let date = monday + Duration::days(i);
            let iso = polku_store::date(date);
            let (registered, anonymous) = counts
                .iter()
                .find(|(d, _, _)| *d == iso)
                .map_or((0, 0), |(_, r, a)| (*r, *a));
            Day {
                date,
                shifts: shifts
                    .iter()
                    .filter(|s| s.starts_at.starts_with(&iso))
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
    render(&Show {
        own_org: ctx.actor.org.0,
        today: polku_domain::dates::format_fi(st.clock.today()),
        c: ctx.c,
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
    })
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
                crate::export::date_cell(Some(&v.date)),
                v.participant_name.clone().into(),
                (v.anonymous_count > 0).then_some(v.anonymous_count).into(),
                v.topic.clone().into(),
            ]
        },
    );
    t.title = p.name.clone();
    t
}

/// The point, if the actor's organisation runs it.
async fn organised(conn: &mut polku_store::Conn, ctx: &Ctx, id: i64) -> Result<PointRow, AppError> {
    let p = repo::get(conn, id).await?;
    ctx.authorize(Action::ManageService, Some(OrgId(p.org_id)))?;
    Ok(p)
}

fn back(id: i64, date: NaiveDate) -> Response {
    Redirect::to(&format!("/dropin/{id}?week={}", polku_store::date(date))).into_response()
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
    let mut tx = st.db.begin().await?;
    organised(&mut tx, &ctx, id).await?;
    if h.closed.is_some() {
        let wd = polku_domain::text::optional_int(&h.f.weekday, 0, 6)
            .ok()
            .flatten()
            .ok_or_else(|| DomainError::field("weekday", ErrorCode::Required))?;
        repo::clear_hours(&mut tx, id, wd).await?;
    } else {
        repo::set_hours(&mut tx, id, &h.f.parse()?).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/dropin/{id}#hours")).into_response())
}

async fn add_shift(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ShiftForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    organised(&mut tx, &ctx, id).await?;
    let s = f.parse()?;
    if let Some(o) = s.org_id {
        orgs::get(&mut tx, OrgId(o))
            .await
            .map_err(|_| DomainError::field("org_id", ErrorCode::ChoiceInvalid))?;
    }
    repo::add_shift(&mut tx, id, &s).await?;
    tx.commit().await?;
    Ok(back(id, s.starts_at.date()))
}

async fn take(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    change_shift(&st, &ctx, id, sid, true).await
}

async fn release(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    change_shift(&st, &ctx, id, sid, false).await
}

/// Takes a free shift for the user's organisation, or gives back one it holds.
async fn change_shift(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    sid: i64,
    take: bool,
) -> Result<Response, AppError> {
    ctx.authorize(Action::TakeShift, None)?;
    let mut tx = st.db.begin().await?;
    let s = repo::shift(&mut tx, sid).await?;
    if s.point_id != id {
        return Err(DomainError::NotFound.into());
    }
    if take {
        repo::take_shift(&mut tx, sid, ctx.actor.org).await?;
    } else {
        if s.org_id != Some(ctx.actor.org.0) {
            return Err(DomainError::Forbidden.into());
        }
        repo::release_shift(&mut tx, sid, ctx.actor.org).await?;
    }
    Audit::by(&ctx.actor, st.clock.now())
        .update(
            &mut tx,
            Entity::DutyShift(sid),
            if take { "taken" } else { "released" },
        )
        .await?;
    tx.commit().await?;
    Ok(back(
        id,
        polku_store::parse_date(s.starts_at.get(..10).unwrap_or("")).unwrap_or_default(),
    ))
}

async fn add_visit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<VisitForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    let p = repo::get(&mut tx, id).await?;
    ctx.authorize(Action::EditParticipant, Some(OrgId(p.org_id)))?;
    let v = f.parse(st.clock.today())?;
    if let Visitor::Participant(pid) = v.visitor {
        super::participants::load(&mut tx, &ctx.actor, pid, Action::EditParticipant)
            .await
            .map_err(|_| DomainError::field("participant_id", ErrorCode::ChoiceInvalid))?;
    }
    let vid = repo::add_visit(&mut tx, id, &v, &ctx.actor, st.clock.now()).await?;
    Audit::by(&ctx.actor, st.clock.now())
        .create(&mut tx, Entity::Visit(vid), "")
        .await?;
    tx.commit().await?;
    Ok(back(id, v.date))
}
