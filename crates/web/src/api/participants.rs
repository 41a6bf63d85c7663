//! The participant endpoints: search, intake, the record, exit, and the data subject's rights.

use super::inputs::*;
use super::objects::*;
use super::{Api, Page, PageParams};
use crate::error::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use polku_domain::ids::ParticipantId;
use polku_domain::participant::{ExitForm, IntakeForm};
use polku_usecases::participants as uc;

#[utoipa::path(get, path = "/participants", params(SearchParams, PageParams), responses((status = 200, body = Page<Participant>)), security(("bearer" = [])))]
pub(super) async fn search_participants(
    Api { st, actor }: Api,
    Query(q): Query<SearchParams>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Participant>>, ApiError> {
    let (limit, offset) = paging.window()?;
    let search = uc::Search {
        text: &q.q,
        project: q.project,
        limit: Some(limit + 1),
        offset,
        via: "api ",
        ..Default::default()
    };
    let rows = uc::search(&st, &actor, search).await?;
    Ok(Json(paging.page(rows, |r| participant(r, None))?))
}

#[utoipa::path(post, path = "/participants", request_body = IntakeForm, responses((status = 201, body = Participant), (status = 422)), security(("bearer" = [])))]
pub(super) async fn create_participant(
    Api { st, actor }: Api,
    Json(form): Json<IntakeForm>,
) -> Result<(StatusCode, Json<Participant>), ApiError> {
    let id = uc::intake(&st, &actor, &form).await?;
    let r = uc::get(&st, &actor, id, "api intake").await?;
    Ok((StatusCode::CREATED, Json(one_participant(r))))
}

#[utoipa::path(get, path = "/participants/{id}", params(("id" = i64, Path)), responses((status = 200, body = Participant), (status = 404)), security(("bearer" = [])))]
pub(super) async fn get_participant(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<Participant>, ApiError> {
    let out = one_participant(uc::get(&st, &actor, ParticipantId(id), "api").await?);
    Ok(Json(out))
}

#[utoipa::path(post, path = "/participants/{id}/exit", params(("id" = i64, Path)), request_body = ExitInput, responses((status = 200, body = Participant), (status = 409), (status = 422)), security(("bearer" = [])))]
pub(super) async fn exit_participant(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ExitInput>,
) -> Result<Json<Participant>, ApiError> {
    let form: ExitForm = i.into();
    let row = uc::exit(&st, &actor, ParticipantId(id), &form, "exit api").await?;
    Ok(Json(participant(row, None)))
}

/// Right of access: everything held about the person, as one JSON document (audited).
#[utoipa::path(get, path = "/participants/{id}/data", params(("id" = i64, Path)), responses((status = 200, body = serde_json::Value)), security(("bearer" = [])))]
pub(super) async fn participant_data(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(
        crate::pages::privacy::access_export(&st, &actor, id).await?,
    ))
}

/// Erases the person's personal data; the anonymous ESF+ record stays, so reports are unchanged.
#[utoipa::path(post, path = "/participants/{id}/erase", params(("id" = i64, Path)), request_body = EraseInput, responses((status = 200, body = Erased)), security(("bearer" = [])))]
pub(super) async fn erase_participant(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<EraseInput>,
) -> Result<Json<Erased>, ApiError> {
    let participations = uc::erase(&st, &actor, ParticipantId(id), &i.reason, true).await?;
    Ok(Json(Erased { participations }))
}
