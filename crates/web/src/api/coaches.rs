//! Workplace coaches, their training days and attendance, and placements' meetings: the same
//! use cases as the pages, with their own request and answer types.

use super::employer_types::ContactPersonInput;
use super::{text, Api, Created};
use crate::error::ApiError;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use polku_domain::coach::{CoachForm, MeetingForm, MeetingKind, TrainingForm, TrainingStatus};
use polku_domain::ids::*;
use polku_store::coaches::{AttendeeRow, CoachRow, MeetingRow, TrainingRow};
use polku_usecases::coaches as uc;
use serde::Deserialize;
use utoipa::ToSchema;

api_object! {
    pub struct Coach from CoachRow as c {
        id: CoachId,
        employer_id: EmployerId,
        name: String,
        role: Option<String>,
        phone: Option<String>,
        email: Option<String>,
        /// Training days attended.
        training_days: i64 = c.trained,
        /// Placements supported.
        placements: i64,
    }
}

api_object! {
    pub struct Training from TrainingRow as t {
        id: TrainingId,
        project_id: Option<ProjectId>,
        title: String,
        date: NaiveDate,
        hours: i64,
        place: Option<String>,
        invited: i64,
        present: i64,
    }
}

api_object! {
    pub struct TrainingAttendee from AttendeeRow as a {
        coach_id: CoachId,
        name: String,
        employer_id: EmployerId,
        employer_name: String,
        status: TrainingStatus,
    }
}

api_object! {
    pub struct Meeting from MeetingRow as m {
        id: MeetingId,
        kind: MeetingKind,
        date: NaiveDate,
        notes: Option<String>,
    }
}

#[derive(serde::Serialize, ToSchema)]
pub struct TrainingDetail {
    pub training: Training,
    pub attendees: Vec<TrainingAttendee>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TrainingInput {
    pub project_id: Option<i64>,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub hours: Option<i64>,
    pub place: String,
}

#[derive(Deserialize, serde::Serialize, ToSchema)]
pub struct Mark {
    pub coach_id: i64,
    pub status: TrainingStatus,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AttendanceInput {
    /// Coaches put on the list (invited) or marked present or absent.
    pub marks: Vec<Mark>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MeetingInput {
    pub kind: Option<MeetingKind>,
    pub date: Option<NaiveDate>,
    pub notes: String,
}

#[utoipa::path(post, path = "/employers/{id}/coaches", params(("id" = i64, Path)), request_body = ContactPersonInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ContactPersonInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = CoachForm {
        name: i.name,
        role: i.role,
        phone: i.phone,
        email: i.email,
    };
    Ok(Created::new(
        uc::add(&st, &actor, EmployerId(id), &f).await?.0,
    ))
}

#[utoipa::path(get, path = "/coach-trainings", responses((status = 200, body = Vec<Training>)), security(("bearer" = [])))]
pub(super) async fn trainings(Api { st, actor }: Api) -> Result<Json<Vec<Training>>, ApiError> {
    let rows = uc::trainings(&st, &actor).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/coach-trainings", request_body = TrainingInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_training(
    Api { st, actor }: Api,
    Json(i): Json<TrainingInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = TrainingForm {
        project_id: text(i.project_id),
        title: i.title,
        date: text(i.date),
        hours: text(i.hours),
        place: i.place,
    };
    Ok(Created::new(uc::add_training(&st, &actor, &f).await?.0))
}

#[utoipa::path(get, path = "/coach-trainings/{id}", params(("id" = i64, Path)), responses((status = 200, body = TrainingDetail)), security(("bearer" = [])))]
pub(super) async fn training(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<TrainingDetail>, ApiError> {
    let v = uc::training(&st, &actor, TrainingId(id)).await?;
    Ok(Json(TrainingDetail {
        training: v.t.into(),
        attendees: v.attendees.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(put, path = "/coach-trainings/{id}/attendance", params(("id" = i64, Path)), request_body = AttendanceInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn mark(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<AttendanceInput>,
) -> Result<StatusCode, ApiError> {
    let marks: Vec<(CoachId, TrainingStatus)> = i
        .marks
        .into_iter()
        .map(|m| (CoachId(m.coach_id), m.status))
        .collect();
    uc::mark(&st, &actor, TrainingId(id), &marks).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/placements/{id}/meetings", params(("id" = i64, Path)), request_body = MeetingInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_meeting(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<MeetingInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = MeetingForm {
        kind: text(i.kind),
        date: text(i.date),
        notes: i.notes,
    };
    Ok(Created::new(
        uc::add_meeting(&st, &actor, PlacementId(id), &f).await?.0,
    ))
}
