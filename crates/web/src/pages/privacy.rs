//! The data subject's rights on a person's page: everything held about them (right of access),
//! and erasure that keeps the anonymous ESF+ record. Pages and the API call the same functions.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::pages::participants::view_data;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::{OrgId, ParticipantId};
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{self, Audit, Entity};
use polku_store::erasure;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/participants/{id}/data", get(access_page))
        .route("/participants/{id}/erase", post(erase_page))
}

/// Right of access: everything about one person as JSON, the export itself audited.
pub async fn access_export(
    st: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<serde_json::Value, AppError> {
    let d = view_data(st, actor, id).await?;
    authorize(actor, Action::EditParticipant, Some(OrgId(d.p.org_id)))?;
    let mut tx = st.db.begin().await?;
    let log = audit::about_participant(&mut tx, OrgId(d.p.org_id), id).await?;
    Audit::by(actor, st.clock.now())
        .export(&mut tx, Entity::Participant(id), "right of access")
        .await?;
    tx.commit().await?;
    Ok(serde_json::json!({
        "participant": d.p,
        "hetu": (!d.hetu.is_empty()).then_some(&d.hetu),
        "target_group": d.group,
        "consents": d.consents,
        "goals": d.goals,
        "steps": d.steps,
        "notes": d.notes,
        "services": d.services,
        "guidance_contacts": d.contacts,
        "dropin_visits": d.visits,
        "follow_up": d.follow_up,
        "audit_log": log,
    }))
}

/// Why personal data is erased: the person's justified request, or the retention period ended.
fn reason(s: &str) -> Result<&'static str, DomainError> {
    match s {
        "request" => Ok("request"),
        "retention" => Ok("retention"),
        _ => Err(DomainError::field("reason", ErrorCode::ChoiceInvalid)),
    }
}

/// Erases the person's personal data in every participation in the organisation; returns how
/// many participations became anonymous ESF+ records.
pub async fn erase_person(
    st: &AppState,
    actor: &Actor,
    id: i64,
    why: &str,
    confirmed: bool,
) -> Result<usize, AppError> {
    let mut tx = st.db.begin().await?;
    let row = crate::pages::participants::load(&mut tx, actor, id, Action::ViewParticipant).await?;
    authorize(actor, Action::ErasePersonalData, Some(OrgId(row.org_id)))?;
    let why = reason(why)?;
    if !confirmed {
        return Err(DomainError::field("confirm", ErrorCode::Required).into());
    }
    let ids = erasure::participations(&mut tx, actor.org, ParticipantId(id)).await?;
    let erased = erasure::erase(&mut tx, &ids, st.clock.now()).await?;
    let audit = Audit::by(actor, st.clock.now());
    for p in &erased {
        audit
            .update(&mut tx, Entity::Participant(p.0), &format!("erased: {why}"))
            .await?;
    }
    tx.commit().await?;
    Ok(erased.len())
}

crate::form!(struct FormatQuery { format });

async fn access_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<FormatQuery>,
) -> Result<Response, AppError> {
    if !matches!(q.format.as_str(), "" | "json") {
        return Err(DomainError::field("format", ErrorCode::ChoiceInvalid).into());
    }
    let data = access_export(&st, &ctx.actor, id).await?;
    let disposition = format!("attachment; filename=\"participant-{id}.json\"");
    Ok(([(header::CONTENT_DISPOSITION, disposition)], Json(data)).into_response())
}

crate::form!(struct EraseForm { reason, confirm });

async fn erase_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<EraseForm>,
) -> Result<Response, AppError> {
    erase_person(&st, &ctx.actor, id, &f.reason, f.confirm == "yes").await?;
    Ok(Redirect::to("/participants?erased=1").into_response())
}
