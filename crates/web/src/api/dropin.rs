//! The drop-in service point: opening hours, partner duty shifts and the visit log. The same
//! use cases as the drop-in pages.

use super::inputs::*;
use super::objects::*;
use super::{Api, Created, Page, PageParams};
use crate::error::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use chrono::{Datelike, Duration, NaiveTime};
use polku_domain::dropin::{HoursForm, PointForm, ShiftForm, VisitForm};
use polku_usecases::dropin as uc;

#[utoipa::path(get, path = "/dropin", params(PageParams), responses((status = 200, body = Page<Point>)), security(("bearer" = [])))]
pub(super) async fn points(
    Api { st, actor }: Api,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Point>>, ApiError> {
    paging.window()?;
    Ok(Json(
        paging.slice(uc::points(&st, &actor).await?, Point::from)?,
    ))
}

#[utoipa::path(post, path = "/dropin", request_body = PointInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn create_point(
    Api { st, actor }: Api,
    Json(i): Json<PointInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f: PointForm = i.into();
    Ok(Created::new(uc::create_point(&st, &actor, &f).await?))
}

#[utoipa::path(get, path = "/dropin/{id}", params(("id" = i64, Path), WeekParams), responses((status = 200, body = Week)), security(("bearer" = [])))]
pub(super) async fn week(
    Api { st, actor }: Api,
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
        counts: w.counts.into_iter().map(DayCount::from).collect(),
        visits: w
            .organiser
            .then(|| w.visits.into_iter().map(Visit::from).collect()),
        point: w.p.into(),
    }))
}

/// Sets one weekday's opening hours, or closes the point that day.
#[utoipa::path(put, path = "/dropin/{id}/hours", params(("id" = i64, Path)), request_body = HoursInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn set_hours(
    Api { st, actor }: Api,
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

#[utoipa::path(post, path = "/dropin/{id}/shifts", params(("id" = i64, Path)), request_body = ShiftInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_shift(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ShiftInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f: ShiftForm = i.into();
    Ok(Created::new(uc::add_shift(&st, &actor, id, &f).await?.0))
}

/// Takes a free shift for the caller's organisation.
#[utoipa::path(post, path = "/dropin/{id}/shifts/{sid}/take", params(("id" = i64, Path), ("sid" = i64, Path)), responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn take(
    Api { st, actor }: Api,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    uc::change_shift(&st, &actor, id, sid, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives back a shift the caller's organisation holds.
#[utoipa::path(post, path = "/dropin/{id}/shifts/{sid}/release", params(("id" = i64, Path), ("sid" = i64, Path)), responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn release(
    Api { st, actor }: Api,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    uc::change_shift(&st, &actor, id, sid, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/dropin/{id}/visits", params(("id" = i64, Path)), request_body = VisitInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_visit(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<VisitInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f: VisitForm = i.into();
    Ok(Created::new(uc::add_visit(&st, &actor, id, &f).await?.0))
}
