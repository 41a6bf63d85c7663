//! The drop-in service point: opening hours, partner duty shifts and the visit log. The same
//! use cases as the drop-in pages.

use super::{Created, Page, PageParams};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use polku_domain::dropin::{HoursForm, PointForm, ShiftForm, VisitForm};
use polku_store::dropin::{PointRow, ShiftRow, VisitRow};
use polku_usecases::dropin as uc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn text<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s.get(..16).unwrap_or(s), "%Y-%m-%dT%H:%M").ok()
}

#[derive(Serialize, ToSchema)]
pub struct Point {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub project_id: Option<i64>,
    pub name: String,
    pub address: Option<String>,
    pub town: Option<String>,
}

impl From<PointRow> for Point {
    fn from(p: PointRow) -> Self {
        Point {
            id: p.id,
            org_id: p.org_id,
            org_name: p.org_name,
            project_id: p.project_id,
            name: p.name,
            address: p.address,
            town: p.town,
        }
    }
}

#[utoipa::path(get, path = "/dropin", params(PageParams), responses((status = 200, body = Page<Point>)), security(("bearer" = [])))]
pub(super) async fn points(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Point>>, ApiError> {
    paging.window()?;
    Ok(Json(
        paging.slice(uc::points(&st, &actor).await?, Point::from)?,
    ))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PointInput {
    pub name: String,
    pub address: String,
    pub town: String,
    pub project_id: Option<i64>,
}

#[utoipa::path(post, path = "/dropin", request_body = PointInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn create_point(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Json(i): Json<PointInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = PointForm {
        name: i.name,
        address: i.address,
        town: i.town,
        project_id: text(i.project_id),
    };
    Ok(Created::new(uc::create_point(&st, &actor, &f).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Hours {
    /// 0 Monday … 6 Sunday
    pub weekday: i64,
    pub opens: String,
    pub closes: String,
}

#[derive(Serialize, ToSchema)]
pub struct Shift {
    pub id: i64,
    /// The organisation on duty; null while the shift is free.
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub topic: Option<String>,
    pub version: i64,
}

impl From<ShiftRow> for Shift {
    fn from(s: ShiftRow) -> Self {
        Shift {
            starts_at: time(&s.starts_at),
            ends_at: time(&s.ends_at),
            id: s.id,
            org_id: s.org_id,
            org_name: s.org_name,
            topic: s.topic,
            version: s.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Visit {
    pub id: i64,
    pub date: Option<NaiveDate>,
    pub participant_id: Option<i64>,
    pub participant_name: Option<String>,
    pub anonymous_count: i64,
    pub topic: Option<String>,
}

impl From<VisitRow> for Visit {
    fn from(v: VisitRow) -> Self {
        Visit {
            date: polku_store::parse_date(&v.date),
            id: v.id,
            participant_id: v.participant_id,
            participant_name: v.participant_name,
            anonymous_count: v.anonymous_count,
            topic: v.topic,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DayCount {
    pub date: Option<NaiveDate>,
    pub registered: i64,
    pub anonymous: i64,
}

/// A point's week: opening hours, shifts and daily visitor counts for everyone; the visit log
/// only for the organising organisation (its read is audited).
#[derive(Serialize, ToSchema)]
pub struct Week {
    pub point: Point,
    pub monday: NaiveDate,
    pub hours: Vec<Hours>,
    pub shifts: Vec<Shift>,
    pub counts: Vec<DayCount>,
    pub visits: Option<Vec<Visit>>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct WeekParams {
    /// Any day of the week (default: this week).
    pub week: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/dropin/{id}", params(("id" = i64, Path), WeekParams), responses((status = 200, body = Week)), security(("bearer" = [])))]
pub(super) async fn week(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<WeekParams>,
) -> Result<Json<Week>, ApiError> {
    let day = q.week.unwrap_or_else(|| st.clock.today());
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let w = uc::week(&st, &actor, id, monday, false).await?;
    Ok(Json(Week {
        monday,
        hours: w
            .hours
            .into_iter()
            .map(|(weekday, opens, closes)| Hours {
                weekday,
                opens,
                closes,
            })
            .collect(),
        shifts: w.shifts.into_iter().map(Shift::from).collect(),
        counts: w
            .counts
            .into_iter()
            .map(|(d, registered, anonymous)| DayCount {
                date: polku_store::parse_date(&d),
                registered,
                anonymous,
            })
            .collect(),
        visits: w
            .organiser
            .then(|| w.visits.into_iter().map(Visit::from).collect()),
        point: w.p.into(),
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct HoursInput {
    /// 0 Monday … 6 Sunday
    pub weekday: i64,
    /// HH:MM; both absent: closed that day.
    pub opens: Option<NaiveTime>,
    pub closes: Option<NaiveTime>,
}

/// Sets one weekday's opening hours, or closes the point that day.
#[utoipa::path(put, path = "/dropin/{id}/hours", params(("id" = i64, Path)), request_body = HoursInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn set_hours(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<HoursInput>,
) -> Result<StatusCode, ApiError> {
    let hm = |t: Option<NaiveTime>| t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
    let closed = i.opens.is_none() && i.closes.is_none();
    let f = HoursForm {
        weekday: i.weekday.to_string(),
        opens: hm(i.opens),
        closes: hm(i.closes),
    };
    uc::set_hours(&st, &actor, id, &f, closed).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ShiftInput {
    pub date: Option<NaiveDate>,
    /// HH:MM
    pub start_time: String,
    pub end_time: String,
    /// A partner organisation already on duty; absent: the shift is free to take.
    pub org_id: Option<i64>,
    pub topic: String,
}

#[utoipa::path(post, path = "/dropin/{id}/shifts", params(("id" = i64, Path)), request_body = ShiftInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_shift(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<ShiftInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = ShiftForm {
        date: text(i.date),
        start_time: i.start_time,
        end_time: i.end_time,
        org_id: text(i.org_id),
        topic: i.topic,
    };
    Ok(Created::new(uc::add_shift(&st, &actor, id, &f).await?.0))
}

/// Takes a free shift for the caller's organisation.
#[utoipa::path(post, path = "/dropin/{id}/shifts/{sid}/take", params(("id" = i64, Path), ("sid" = i64, Path)), responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn take(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    uc::change_shift(&st, &actor, id, sid, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives back a shift the caller's organisation holds.
#[utoipa::path(post, path = "/dropin/{id}/shifts/{sid}/release", params(("id" = i64, Path), ("sid" = i64, Path)), responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn release(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    uc::change_shift(&st, &actor, id, sid, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct VisitInput {
    pub date: Option<NaiveDate>,
    /// A registered participant of the caller's organisation …
    pub participant_id: Option<i64>,
    /// … or a number of anonymous visitors.
    pub anonymous_count: Option<i64>,
    pub topic: String,
}

#[utoipa::path(post, path = "/dropin/{id}/visits", params(("id" = i64, Path)), request_body = VisitInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_visit(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<VisitInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = VisitForm {
        date: text(i.date),
        participant_id: text(i.participant_id),
        anonymous_count: text(i.anonymous_count),
        topic: i.topic,
    };
    Ok(Created::new(uc::add_visit(&st, &actor, id, &f).await?.0))
}
