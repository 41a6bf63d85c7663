//! The small forms on a person's page: notes, goals and steps, consents, guidance contacts,
//! the follow-up and exit. Each handler calls its use case and returns to the page's section.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use polku_domain::ids::{GoalId, ParticipantId};
use polku_domain::participant::{ExitForm, GoalForm, StepForm};
use polku_domain::services::ContactForm;
use polku_usecases::participants as uc;

fn back(id: i64, section: &str) -> Response {
    Redirect::to(&format!("/participants/{id}{section}")).into_response()
}

pub(super) async fn exit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ExitForm>,
) -> Result<Response, AppError> {
    uc::exit(&st, &ctx.actor, ParticipantId(id), &f, "exit").await?;
    Ok(back(id, ""))
}

crate::form!(pub(super) struct NoteForm { body });

pub(super) async fn add_note(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<NoteForm>,
) -> Result<Response, AppError> {
    uc::add_note(&st, &ctx.actor, ParticipantId(id), &f.body).await?;
    Ok(back(id, "#notes"))
}

pub(super) async fn add_goal(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<GoalForm>,
) -> Result<Response, AppError> {
    uc::add_goal(&st, &ctx.actor, ParticipantId(id), &f).await?;
    Ok(back(id, "#plan"))
}

pub(super) async fn add_step(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, goal)): Path<(i64, i64)>,
    Form(f): Form<StepForm>,
) -> Result<Response, AppError> {
    uc::add_step(&st, &ctx.actor, ParticipantId(id), GoalId(goal), &f).await?;
    Ok(back(id, "#plan"))
}

crate::form!(pub(super) struct ConsentForm { kind, granted });

pub(super) async fn consent(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ConsentForm>,
) -> Result<Response, AppError> {
    let granted = f.granted == "yes";
    uc::record_consent(&st, &ctx.actor, ParticipantId(id), &f.kind, granted).await?;
    Ok(back(id, "#consents"))
}

pub(super) async fn add_contact(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ContactForm>,
) -> Result<Response, AppError> {
    uc::add_contact(&st, &ctx.actor, ParticipantId(id), &f).await?;
    Ok(back(id, "#contacts"))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct FollowUpForm {
    status: String,
    improved: Option<String>,
}

/// The six-month follow-up's finding (ESF+ EECR05/EECR06).
pub(super) async fn follow_up(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<FollowUpForm>,
) -> Result<Response, AppError> {
    let improved = f.improved.is_some();
    uc::record_follow_up(&st, &ctx.actor, ParticipantId(id), &f.status, improved).await?;
    Ok(back(id, "#follow-up"))
}
