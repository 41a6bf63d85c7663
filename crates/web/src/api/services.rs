//! The shared service catalogue and group programmes: sessions, enrolment and the waiting
//! list, approval, attendance. The same use cases as the pages.

use super::{Created, Page, PageParams};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{NaiveDate, NaiveDateTime};
use polku_domain::ids::ParticipantId;
use polku_domain::services::{ServiceForm, SessionForm};
use polku_store::services::{Filter, ServiceRow, SessionRow};
use polku_usecases::services as uc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn date(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(polku_store::parse_date)
}

fn time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s.get(..16).unwrap_or(s), "%Y-%m-%dT%H:%M").ok()
}

/// A service of the shared catalogue.
#[derive(Serialize, ToSchema)]
pub struct Service {
    pub id: i64,
    /// The organising organisation.
    pub org_id: i64,
    pub org_name: String,
    pub provider_org_id: i64,
    pub provider_name: String,
    pub project_id: Option<i64>,
    pub project_code: Option<String>,
    /// group_coaching, individual_guidance, workshop, theme_day, follow_up_meeting, peer_group,
    /// webinar, training_module, certificate_course, recruitment_event, employer_brunch,
    /// drop_in_duty, e_services_help, competence_mapping
    pub kind: String,
    pub name: String,
    pub description: Option<String>,
    pub channel: String,
    pub place: Option<String>,
    pub town: Option<String>,
    pub capacity: Option<i64>,
    pub languages: Vec<String>,
    pub offered_by: String,
    pub proposed_by_participant_id: Option<i64>,
    /// pending, approved, rejected
    pub approval: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub enrolled: i64,
    pub waiting: i64,
    pub sessions: i64,
    /// The row's version, for optimistic concurrency.
    pub version: i64,
}

impl From<ServiceRow> for Service {
    fn from(s: ServiceRow) -> Self {
        Service {
            starts_on: date(&s.starts_on),
            ends_on: date(&s.ends_on),
            languages: s
                .languages
                .split(',')
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
            id: s.id,
            org_id: s.org_id,
            org_name: s.org_name,
            provider_org_id: s.provider_org_id,
            provider_name: s.provider_name,
            project_id: s.project_id,
            project_code: s.project_code,
            kind: s.kind,
            name: s.name,
            description: s.description,
            channel: s.channel,
            place: s.place,
            town: s.town,
            capacity: s.capacity,
            offered_by: s.offered_by,
            proposed_by_participant_id: s.proposed_by_participant_id,
            approval: s.approval,
            enrolled: s.enrolled_count,
            waiting: s.waiting_count,
            sessions: s.session_count,
            version: s.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Session {
    pub id: i64,
    /// Local time (Europe/Helsinki).
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub place: Option<String>,
    pub facilitators: Option<String>,
}

impl From<SessionRow> for Session {
    fn from(s: SessionRow) -> Self {
        Session {
            id: s.id,
            starts_at: time(&s.starts_at),
            ends_at: time(&s.ends_at),
            place: s.place,
            facilitators: s.facilitators,
        }
    }
}

/// Someone on the roster, with their attendance so far.
#[derive(Serialize, ToSchema)]
pub struct RosterEntry {
    pub participant_id: i64,
    pub first_name: String,
    pub last_name: String,
    /// enrolled, waiting
    pub status: String,
    pub present: i64,
    pub absent: i64,
    pub excused: i64,
}

/// A service with its sessions; the roster only for the organising organisation.
#[derive(Serialize, ToSchema)]
pub struct ServiceDetail {
    pub service: Service,
    pub sessions: Vec<Session>,
    pub roster: Option<Vec<RosterEntry>>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct ServiceFilter {
    /// A service kind.
    pub kind: Option<String>,
    pub project: Option<i64>,
    pub town: Option<String>,
    /// Words in the name or description.
    pub q: Option<String>,
}

/// The catalogue, filtered as on the services page.
#[utoipa::path(get, path = "/services", params(ServiceFilter, PageParams), responses((status = 200, body = Page<Service>)), security(("bearer" = [])))]
pub(super) async fn list(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(f): Query<ServiceFilter>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Service>>, ApiError> {
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let filter = Filter {
        kind: nonempty(f.kind),
        project_id: f.project,
        town: nonempty(f.town),
        text: nonempty(f.q),
    };
    paging.window()?;
    let rows = uc::list(&st, &actor, &filter).await?;
    Ok(Json(paging.slice(rows, Service::from)?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ServiceInput {
    pub project_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub description: String,
    /// in_person, online, phone, chat
    pub channel: String,
    pub place: String,
    pub town: String,
    pub capacity: Option<i64>,
    pub languages: Vec<String>,
    pub offered_by: String,
    pub proposed_by_participant_id: Option<i64>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// The providing organisation; absent: the caller's own.
    pub provider_org_id: Option<i64>,
    /// Target groups of the service's project it is for; empty: anyone.
    pub target_groups: Vec<i64>,
}

fn text<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

#[utoipa::path(post, path = "/services", request_body = ServiceInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn create(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
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
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
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

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct SessionInput {
    pub date: Option<NaiveDate>,
    /// HH:MM, local time
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub facilitators: String,
}

#[utoipa::path(post, path = "/services/{id}/sessions", params(("id" = i64, Path)), request_body = SessionInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_session(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<SessionInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = SessionForm {
        date: text(i.date),
        start_time: i.start_time,
        end_time: i.end_time,
        place: i.place,
        facilitators: i.facilitators,
    };
    Ok(Created::new(uc::add_session(&st, &actor, id, &f).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct EnrolInput {
    pub participant_id: Option<i64>,
    /// Put them on the waiting list even if there is room.
    pub waitlist: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Enrolment {
    /// enrolled, waiting
    pub status: String,
}

/// Enrols one of the caller's organisation's participants; when the group is full, they go on
/// the waiting list.
#[utoipa::path(post, path = "/services/{id}/enrolments", params(("id" = i64, Path)), request_body = EnrolInput, responses((status = 201, body = Enrolment)), security(("bearer" = [])))]
pub(super) async fn enrol(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<EnrolInput>,
) -> Result<(StatusCode, Json<Enrolment>), ApiError> {
    let pid = i.participant_id.map(ParticipantId);
    let status = uc::enrol(&st, &actor, id, pid, i.waitlist).await?;
    let status = status.as_str().to_string();
    Ok((StatusCode::CREATED, Json(Enrolment { status })))
}

#[derive(Serialize, ToSchema)]
pub struct Cancelled {
    /// Who took the place from the waiting list, if anyone.
    pub promoted_participant_id: Option<i64>,
}

#[utoipa::path(post, path = "/services/{id}/enrolments/{pid}/cancel", params(("id" = i64, Path), ("pid" = i64, Path)), responses((status = 200, body = Cancelled)), security(("bearer" = [])))]
pub(super) async fn cancel(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path((id, pid)): Path<(i64, i64)>,
) -> Result<Json<Cancelled>, ApiError> {
    let promoted = uc::cancel_enrolment(&st, &actor, id, ParticipantId(pid)).await?;
    Ok(Json(Cancelled {
        promoted_participant_id: promoted,
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApprovalInput {
    /// approved, rejected
    pub decision: String,
}

#[utoipa::path(post, path = "/services/{id}/approval", params(("id" = i64, Path)), request_body = ApprovalInput, responses((status = 200, body = Service)), security(("bearer" = [])))]
pub(super) async fn approval(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<ApprovalInput>,
) -> Result<Json<Service>, ApiError> {
    uc::decide_approval(&st, &actor, id, &i.decision).await?;
    Ok(Json(uc::show(&st, &actor, id).await?.s.into()))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Mark {
    pub participant_id: i64,
    /// present, absent, excused; empty or absent: not marked
    #[serde(default)]
    pub mark: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SessionAttendance {
    pub session: Session,
    /// Everyone enrolled, with their mark.
    pub marks: Vec<Mark>,
}

/// A session's enrolled people and their marks (the read is audited).
#[utoipa::path(get, path = "/services/{id}/sessions/{sid}/attendance", params(("id" = i64, Path), ("sid" = i64, Path)), responses((status = 200, body = SessionAttendance)), security(("bearer" = [])))]
pub(super) async fn attendance(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Json<SessionAttendance>, ApiError> {
    let r = uc::session_roster(&st, &actor, id, sid).await?;
    let marks = r
        .lines
        .into_iter()
        .map(|(row, mark)| Mark {
            participant_id: row.participant_id,
            mark: (!mark.is_empty()).then_some(mark),
        })
        .collect();
    Ok(Json(SessionAttendance {
        session: r.session.into(),
        marks,
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MarksInput {
    pub marks: Vec<Mark>,
}

#[derive(Serialize, ToSchema)]
pub struct Marked {
    pub saved: usize,
}

/// Records marks for a session; everyone marked must be enrolled.
#[utoipa::path(put, path = "/services/{id}/sessions/{sid}/attendance", params(("id" = i64, Path), ("sid" = i64, Path)), request_body = MarksInput, responses((status = 200, body = Marked)), security(("bearer" = [])))]
pub(super) async fn mark(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path((id, sid)): Path<(i64, i64)>,
    Json(i): Json<MarksInput>,
) -> Result<Json<Marked>, ApiError> {
    let marks: Vec<(i64, String)> = i
        .marks
        .into_iter()
        .map(|m| (m.participant_id, m.mark.unwrap_or_default()))
        .collect();
    let saved = uc::mark_attendance(&st, &actor, id, sid, &marks).await?;
    Ok(Json(Marked { saved }))
}
