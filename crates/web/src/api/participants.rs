//! The participant endpoints: search, intake, the record, exit, and the data subject's rights.

use super::{Page, PageParams};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use polku_domain::ids::ParticipantId;
use polku_domain::participant::{ExitForm, IntakeForm};
use polku_domain::special::SpecialCategories;
use polku_store::participants::ParticipantRow;
use polku_usecases::participants as uc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A participant; `hetu` only on the single-participant endpoints.
#[derive(Serialize, ToSchema)]
pub struct Participant {
    #[serde(flatten)]
    pub record: ParticipantRow,
    pub hetu: Option<String>,
    /// Only in the answer about one participant, never in lists.
    pub special_categories: Option<SpecialAnswers>,
}

/// The voluntary special-category answers: yes, no, refused or not_asked.
#[derive(Serialize, ToSchema)]
pub struct SpecialAnswers {
    pub disability: String,
    pub foreign_background: String,
    pub third_country_national: String,
    pub minority: String,
    pub homeless: String,
}

impl From<SpecialCategories> for SpecialAnswers {
    fn from(s: SpecialCategories) -> Self {
        SpecialAnswers {
            disability: s.disability.as_str().into(),
            foreign_background: s.foreign_background.as_str().into(),
            third_country_national: s.third_country_national.as_str().into(),
            minority: s.minority.as_str().into(),
            homeless: s.homeless.as_str().into(),
        }
    }
}

fn participant(record: ParticipantRow, hetu: Option<String>) -> Participant {
    Participant {
        record,
        hetu,
        special_categories: None,
    }
}

/// One participant with the identity code and the special-category answers decrypted.
fn one_participant(r: uc::Record) -> Participant {
    Participant {
        special_categories: Some(r.special.into()),
        ..participant(r.p, r.hetu)
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct SearchParams {
    /// A complete henkilötunnus, or words that must all match: a name by its beginning, or notes
    /// and guidance contact summaries in any inflected form (Finnish, Swedish, English).
    pub q: String,
    pub project: Option<i64>,
}

#[utoipa::path(get, path = "/participants", params(SearchParams, PageParams), responses((status = 200, body = Page<Participant>)), security(("bearer" = [])))]
pub(super) async fn search_participants(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
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
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Json(form): Json<IntakeForm>,
) -> Result<(StatusCode, Json<Participant>), ApiError> {
    let id = uc::intake(&st, &actor, &form).await?;
    let r = uc::get(&st, &actor, id, "api intake").await?;
    Ok((StatusCode::CREATED, Json(one_participant(r))))
}

#[utoipa::path(get, path = "/participants/{id}", params(("id" = i64, Path)), responses((status = 200, body = Participant), (status = 404)), security(("bearer" = [])))]
pub(super) async fn get_participant(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Participant>, ApiError> {
    let out = one_participant(uc::get(&st, &actor, ParticipantId(id), "api").await?);
    Ok(Json(out))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ExitInput {
    pub exit_date: String,
    /// employed_open, employed_subsidised, self_employed, education, qualification, job_searching, outside_labour_force, unemployed, unknown
    pub exit_status: String,
    /// Gained a qualification upon leaving, whatever the status (ESF+ EECR03).
    pub qualification: bool,
    /// In education or training upon leaving, beside the status (ESF+ EECR02).
    pub in_education: bool,
    /// The version you read; a stale one gets 409.
    pub version: i64,
}

#[utoipa::path(post, path = "/participants/{id}/exit", params(("id" = i64, Path)), request_body = ExitInput, responses((status = 200, body = Participant), (status = 409), (status = 422)), security(("bearer" = [])))]
pub(super) async fn exit_participant(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<ExitInput>,
) -> Result<Json<Participant>, ApiError> {
    let form = ExitForm {
        exit_date: i.exit_date,
        exit_status: i.exit_status,
        qualification: polku_domain::text::Checkbox(i.qualification),
        in_education: polku_domain::text::Checkbox(i.in_education),
        version: i.version.to_string(),
    };
    let row = uc::exit(&st, &actor, ParticipantId(id), &form, "exit api").await?;
    Ok(Json(participant(row, None)))
}

/// Right of access: everything held about the person, as one JSON document (audited).
#[utoipa::path(get, path = "/participants/{id}/data", params(("id" = i64, Path)), responses((status = 200, body = serde_json::Value)), security(("bearer" = [])))]
pub(super) async fn participant_data(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(
        crate::pages::privacy::access_export(&st, &actor, id).await?,
    ))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct EraseInput {
    /// `request` (the person's justified request) or `retention` (the period has ended).
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct Erased {
    /// Participations that became anonymous ESF+ records.
    pub participations: usize,
}

/// Erases the person's personal data; the anonymous ESF+ record stays, so reports are unchanged.
#[utoipa::path(post, path = "/participants/{id}/erase", params(("id" = i64, Path)), request_body = EraseInput, responses((status = 200, body = Erased)), security(("bearer" = [])))]
pub(super) async fn erase_participant(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<EraseInput>,
) -> Result<Json<Erased>, ApiError> {
    let participations = uc::erase(&st, &actor, ParticipantId(id), &i.reason, true).await?;
    Ok(Json(Erased { participations }))
}
