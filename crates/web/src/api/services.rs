//! The shared service catalogue and group programmes: sessions, enrolment and the waiting
//! list, approval, attendance. The same use cases as the pages.

use super::inputs::*;
use super::objects::*;
use super::{text, Api, Created, Page, PageParams};
use crate::error::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use polku_domain::ids::ParticipantId;
use polku_domain::services::{ServiceForm, SessionForm};
use polku_store::services::Filter;
use polku_usecases::services as uc;

/// The catalogue, filtered as on the services page.
#[utoipa::path(get, path = "/services", params(ServiceFilter, PageParams), responses((status = 200, body = Page<Service>)), security(("bearer" = [])))]
pub(super) async fn list(
    Api { st, actor }: Api,
    Query(f): Query<ServiceFilter>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Service>>, ApiError> {
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let filter = Filter {
        kind: nonempty(f.kind),
        project_id: f.project,
        town: nonempty(f.town),
        text: nonempty(f.q),
        channel: nonempty(f.channel),
        language: nonempty(f.language),
        org_id: f.org,
        free_only: f.free,
    };
    paging.window()?;
    let rows = uc::list(&st, &actor, &filter).await?;
    Ok(Json(paging.slice(rows, Service::from)?))
}

#[utoipa::path(post, path = "/services", request_body = ServiceInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn create(
    Api { st, actor }: Api,
    Json(i): Json<ServiceInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let form = ServiceForm {
        project_id: text(i.project_id),
        kind: i.kind,
        name: i.name,
        description: i.description,
        channel: i.channel,
        place: i.place,
        town: i.town,
        capacity: text(i.capacity),
        languages: i.languages.join(","),
        offered_by: i.offered_by,
        proposed_by_participant_id: text(i.proposed_by_participant_id),
        starts_on: text(i.starts_on),
        ends_on: text(i.ends_on),
        version: String::new(),
    };
    let groups: Vec<String> = i.target_groups.iter().map(i64::to_string).collect();
    let new = uc::NewService {
        form: &form,
        provider_org_id: &text(i.provider_org_id),
        target_groups: &groups,
    };
    Ok(Created::new(uc::create(&st, &actor, new).await?))
}

/// A service with its sessions; its organiser also gets the roster (the read is audited).
#[utoipa::path(get, path = "/services/{id}", params(("id" = i64, Path)), responses((status = 200, body = ServiceDetail)), security(("bearer" = [])))]
pub(super) async fn get(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<ServiceDetail>, ApiError> {
    let v = uc::show(&st, &actor, id).await?;
    let roster = v.organiser.then(|| {
        v.roster
            .into_iter()
            .map(|l| RosterEntry {
                participant_id: l.r.participant_id,
                first_name: l.r.first_name,
                last_name: l.r.last_name,
                status: l.r.status,
                present: l.tally.present,
                absent: l.tally.absent,
                excused: l.tally.excused,
            })
            .collect()
    });
    Ok(Json(ServiceDetail {
        service: v.s.into(),
        sessions: v.sessions.into_iter().map(Session::from).collect(),
        roster,
    }))
}

#[utoipa::path(post, path = "/services/{id}/sessions", params(("id" = i64, Path)), request_body = SessionInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_session(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<SessionInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f: SessionForm = i.into();
    Ok(Created::new(uc::add_session(&st, &actor, id, &f).await?))
}

/// Enrols one of the caller's organisation's participants; when the group is full, they go on
/// the waiting list.
#[utoipa::path(post, path = "/services/{id}/enrolments", params(("id" = i64, Path)), request_body = EnrolInput, responses((status = 201, body = Enrolment)), security(("bearer" = [])))]
pub(super) async fn enrol(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<EnrolInput>,
) -> Result<(StatusCode, Json<Enrolment>), ApiError> {
    let pid = i.participant_id.map(ParticipantId);
    let status = uc::enrol(&st, &actor, id, pid, i.waitlist).await?;
    let status = status.as_str().to_string();
    Ok((StatusCode::CREATED, Json(Enrolment { status })))
}

#[utoipa::path(post, path = "/services/{id}/enrolments/{pid}/cancel", params(("id" = i64, Path), ("pid" = i64, Path)), responses((status = 200, body = Cancelled)), security(("bearer" = [])))]
pub(super) async fn cancel(
    Api { st, actor }: Api,
    Path((id, pid)): Path<(i64, i64)>,
) -> Result<Json<Cancelled>, ApiError> {
    let promoted = uc::cancel_enrolment(&st, &actor, id, ParticipantId(pid)).await?;
    Ok(Json(Cancelled {
        promoted_participant_id: promoted.map(ParticipantId),
    }))
}

#[utoipa::path(post, path = "/services/{id}/approval", params(("id" = i64, Path)), request_body = ApprovalInput, responses((status = 200, body = Service)), security(("bearer" = [])))]
pub(super) async fn approval(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ApprovalInput>,
) -> Result<Json<Service>, ApiError> {
    Ok(Json(
        uc::decide_approval(&st, &actor, id, &i.decision)
            .await?
            .into(),
    ))
}

/// A session's enrolled people and their marks (the read is audited).
#[utoipa::path(get, path = "/services/{id}/sessions/{sid}/attendance", params(("id" = i64, Path), ("sid" = i64, Path)), responses((status = 200, body = SessionAttendance)), security(("bearer" = [])))]
pub(super) async fn attendance(
    Api { st, actor }: Api,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Json<SessionAttendance>, ApiError> {
    let r = uc::session_roster(&st, &actor, id, sid).await?;
    let marks = r
        .lines
        .into_iter()
        .map(|(row, mark)| Mark {
            participant_id: row.participant_id.0,
            mark: (!mark.is_empty()).then_some(mark),
        })
        .collect();
    Ok(Json(SessionAttendance {
        session: r.session.into(),
        marks,
    }))
}

/// Records marks for a session; everyone marked must be enrolled.
#[utoipa::path(put, path = "/services/{id}/sessions/{sid}/attendance", params(("id" = i64, Path), ("sid" = i64, Path)), request_body = MarksInput, responses((status = 200, body = Marked)), security(("bearer" = [])))]
pub(super) async fn mark(
    Api { st, actor }: Api,
    Path((id, sid)): Path<(i64, i64)>,
    Json(i): Json<MarksInput>,
) -> Result<Json<Marked>, ApiError> {
    let marks: Vec<(i64, String)> = i
        .marks
        .into_iter()
        .map(|m| (m.participant_id, m.mark.unwrap_or_default()))
        .collect();
    let saved = uc::mark_attendance(&st, &actor, id, sid, &marks, None)
        .await?
        .saved;
    Ok(Json(Marked { saved }))
}
