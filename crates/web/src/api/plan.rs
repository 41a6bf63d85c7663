//! A person's plan and what is written on their record: goals and steps, consents, notes,
//! guidance contacts and the six-month follow-up. The same use cases as the person's page.

use super::{Created, Page, PageParams};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use polku_domain::ids::{GoalId, ParticipantId};
use polku_domain::participant::{GoalForm, StepForm};
use polku_domain::services::ContactForm;
use polku_usecases::participants as uc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn date(s: &str) -> Option<NaiveDate> {
    polku_store::parse_date(s.get(..10).unwrap_or(s))
}

fn iso(d: Option<NaiveDate>) -> String {
    d.map(polku_store::date).unwrap_or_default()
}

/// A goal of the person's plan, with its steps.
#[derive(Serialize, ToSchema)]
pub struct Goal {
    pub id: i64,
    /// work, training, entrepreneurship, other
    pub kind: String,
    pub description: String,
    pub target_date: Option<NaiveDate>,
    pub status: String,
    pub steps: Vec<Step>,
}

#[derive(Serialize, ToSchema)]
pub struct Step {
    pub id: i64,
    pub description: String,
    pub due_date: Option<NaiveDate>,
    pub done: bool,
}

/// A consent event: the latest per kind is in force.
#[derive(Serialize, ToSchema)]
pub struct Consent {
    /// data_processing, sensitive_data, share_with_partners, surveys
    pub kind: String,
    pub granted: bool,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
}

/// The six-month follow-up after exit: due, and once done, its finding.
#[derive(Serialize, ToSchema)]
pub struct FollowUp {
    pub due_date: Option<NaiveDate>,
    pub done: bool,
    pub status: Option<String>,
    pub improved: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct Plan {
    pub goals: Vec<Goal>,
    pub consents: Vec<Consent>,
    pub follow_up: Option<FollowUp>,
}

#[derive(Serialize, ToSchema)]
pub struct Note {
    pub id: i64,
    pub author_name: String,
    pub body: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct Contact {
    pub id: i64,
    pub counsellor_name: String,
    /// meeting, phone, email, chat
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub duration_min: i64,
    pub summary: String,
}

/// The person's goals and steps, consents and follow-up (the read is audited).
#[utoipa::path(get, path = "/participants/{id}/plan", params(("id" = i64, Path)), responses((status = 200, body = Plan)), security(("bearer" = [])))]
pub(super) async fn plan(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Plan>, ApiError> {
    let v = uc::view(&st, &actor, ParticipantId(id)).await?;
    let goals = v
        .goals
        .into_iter()
        .map(|g| Goal {
            steps: v
                .steps
                .iter()
                .filter(|s| s.goal_id == g.id)
                .map(|s| Step {
                    id: s.id,
                    description: s.description.clone(),
                    due_date: s.due_date.as_deref().and_then(date),
                    done: s.done != 0,
                })
                .collect(),
            id: g.id,
            kind: g.kind,
            description: g.description,
            target_date: g.target_date.as_deref().and_then(date),
            status: g.status,
        })
        .collect();
    let consents = v
        .consents
        .into_iter()
        .map(|c| Consent {
            kind: c.kind,
            granted: c.granted != 0,
            recorded_at: c.recorded_at,
        })
        .collect();
    let follow_up = v.follow_up.map(|f| FollowUp {
        due_date: date(&f.due_date),
        done: f.done_at.is_some(),
        status: f.status,
        improved: f.improved.map(|i| i != 0),
    });
    Ok(Json(Plan {
        goals,
        consents,
        follow_up,
    }))
}

/// The counsellors' notes, newest first.
#[utoipa::path(get, path = "/participants/{id}/notes", params(("id" = i64, Path), PageParams), responses((status = 200, body = Page<Note>)), security(("bearer" = [])))]
pub(super) async fn notes(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Note>>, ApiError> {
    let v = uc::view(&st, &actor, ParticipantId(id)).await?;
    Ok(Json(paging.slice(v.notes, |n| Note {
        id: n.id,
        author_name: n.author_name,
        body: n.body,
        created_at: n.created_at,
    })?))
}

/// The guidance contacts, newest first.
#[utoipa::path(get, path = "/participants/{id}/contacts", params(("id" = i64, Path), PageParams), responses((status = 200, body = Page<Contact>)), security(("bearer" = [])))]
pub(super) async fn contacts(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Contact>>, ApiError> {
    let v = uc::view(&st, &actor, ParticipantId(id)).await?;
    Ok(Json(paging.slice(v.contacts, |c| Contact {
        date: date(&c.date),
        id: c.id,
        counsellor_name: c.counsellor_name,
        kind: c.kind,
        duration_min: c.duration_min,
        summary: c.summary,
    })?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NoteInput {
    pub body: String,
}

#[utoipa::path(post, path = "/participants/{id}/notes", params(("id" = i64, Path)), request_body = NoteInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_note(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<NoteInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let nid = uc::add_note(&st, &actor, ParticipantId(id), &i.body).await?;
    Ok(Created::new(nid))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct GoalInput {
    /// work, training, entrepreneurship, other
    pub kind: String,
    pub description: String,
    pub target_date: Option<NaiveDate>,
}

#[utoipa::path(post, path = "/participants/{id}/goals", params(("id" = i64, Path)), request_body = GoalInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_goal(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<GoalInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = GoalForm {
        kind: i.kind,
        description: i.description,
        target_date: iso(i.target_date),
    };
    let gid = uc::add_goal(&st, &actor, ParticipantId(id), &f).await?;
    Ok(Created::new(gid.0))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct StepInput {
    pub description: String,
    pub due_date: Option<NaiveDate>,
}

#[utoipa::path(post, path = "/participants/{id}/goals/{goal}/steps", params(("id" = i64, Path), ("goal" = i64, Path)), request_body = StepInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_step(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path((id, goal)): Path<(i64, i64)>,
    Json(i): Json<StepInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = StepForm {
        description: i.description,
        due_date: iso(i.due_date),
    };
    let sid = uc::add_step(&st, &actor, ParticipantId(id), GoalId(goal), &f).await?;
    Ok(Created::new(sid.0))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ConsentInput {
    /// data_processing, sensitive_data, share_with_partners, surveys
    pub kind: String,
    pub granted: bool,
}

/// Grants or withdraws a consent (open also after the project has ended).
#[utoipa::path(post, path = "/participants/{id}/consents", params(("id" = i64, Path)), request_body = ConsentInput, responses((status = 200, body = Consent)), security(("bearer" = [])))]
pub(super) async fn consent(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<ConsentInput>,
) -> Result<Json<Consent>, ApiError> {
    let kind = uc::record_consent(&st, &actor, ParticipantId(id), &i.kind, i.granted).await?;
    Ok(Json(Consent {
        kind: kind.as_str().into(),
        granted: i.granted,
        recorded_at: polku_store::ts(st.clock.now()),
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ContactInput {
    /// meeting, phone, email, chat
    pub kind: String,
    pub date: Option<NaiveDate>,
    /// Minutes, 1–1440.
    pub duration_min: i64,
    pub summary: String,
}

#[utoipa::path(post, path = "/participants/{id}/contacts", params(("id" = i64, Path)), request_body = ContactInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_contact(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<ContactInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = ContactForm {
        kind: i.kind,
        date: iso(i.date),
        duration_min: i.duration_min.to_string(),
        summary: i.summary,
    };
    let cid = uc::add_contact(&st, &actor, ParticipantId(id), &f).await?;
    Ok(Created::new(cid))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct FollowUpInput {
    /// The situation six months after exit: the exit statuses' values.
    pub status: String,
    /// Whether their labour-market situation improved (ESF+ EECR06).
    pub improved: bool,
}

#[utoipa::path(post, path = "/participants/{id}/follow-up", params(("id" = i64, Path)), request_body = FollowUpInput, responses((status = 200, body = FollowUp)), security(("bearer" = [])))]
pub(super) async fn follow_up(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<FollowUpInput>,
) -> Result<Json<FollowUp>, ApiError> {
    let status =
        uc::record_follow_up(&st, &actor, ParticipantId(id), &i.status, i.improved).await?;
    Ok(Json(FollowUp {
        due_date: None,
        done: true,
        status: Some(status.as_str().into()),
        improved: Some(i.improved),
    }))
}
