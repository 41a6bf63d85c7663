//! JSON API under /api/v1 (bearer tokens) and its OpenAPI document at /api/openapi.json.

use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use polku_domain::authz::{authorize, Action};
use polku_domain::ids::ParticipantId;
use polku_domain::participant::{ExitForm, IntakeForm};
use polku_domain::project::ProjectForm;
use polku_domain::special::SpecialCategories;
use polku_store::participants::ParticipantRow;
use polku_store::projects;
use polku_store::projects::ProjectRow;
use polku_store::users;
use polku_usecases::participants as uc;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Polku API", version = "1", description = "Projects and participants. Authenticate with `Authorization: Bearer <token>`; create tokens under Account → API tokens. Errors are `{error, message, fields}` with stable codes."),
    modifiers(&Bearer),
    components(schemas(ErrorBody, FieldErrorBody))
)]
struct ApiDoc;

/// Every error of the API: a stable code, a message in the caller's language
/// (`Accept-Language`), and the fields that failed validation.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable error code, e.g. `not-found`, `hetu-checksum`.
    pub error: String,
    pub message: String,
    pub fields: Vec<FieldErrorBody>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldErrorBody {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// Adds to every operation the error statuses it can answer, each with the [`ErrorBody`]
/// schema: whatever the route, a token can be missing (401) or lack the role (403), a path or
/// query can fail to parse (400), a resource can be missing or another organisation's (404), and
/// the login limiter can answer 429; a request with a body can also be malformed (400), of the
/// wrong type (415), too large (413), invalid (422) or stale or duplicate (409).
fn document_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = |text: &str| {
        ResponseBuilder::new()
            .description(text)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build()
    };
    let always = [
        ("400", "Malformed path or query"),
        ("401", "No valid bearer token"),
        ("403", "The token's user may not do this"),
        ("404", "No such resource in the caller's organisation"),
        ("422", "A parameter is invalid"),
    ];
    let with_body = [
        ("409", "Stale version or duplicate"),
        ("413", "Body too large"),
        ("415", "Body is not application/json"),
    ];
    for (path, item) in doc.paths.paths.iter_mut() {
        if path.ends_with("/openapi.json") {
            continue;
        }
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let has_body = op.request_body.is_some();
            let extra: &[(&str, &str)] = if has_body { &with_body } else { &[] };
            for (status, text) in always.iter().chain(extra) {
                op.responses
                    .responses
                    .insert(status.to_string(), error(text).into());
            }
        }
    }
}

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

pub fn router() -> Router<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list_projects, create_project))
        .routes(routes!(get_project))
        .routes(routes!(esf_report))
        .routes(routes!(search_participants, create_participant))
        .routes(routes!(get_participant))
        .routes(routes!(exit_participant))
        .routes(routes!(participant_data))
        .routes(routes!(erase_participant));
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .split_for_parts();
    let mut doc = doc;
    document_errors(&mut doc);
    let doc = Arc::new(doc);
    router.route(
        "/api/openapi.json",
        get(move || async move { Json(doc.as_ref().clone()) }),
    )
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub org_id: i64,
}

#[utoipa::path(get, path = "/me", responses((status = 200, body = Me), (status = 401)), security(("bearer" = [])))]
async fn me(State(st): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<Me>, ApiError> {
    let mut conn = st.db.acquire().await?;
    let u = users::get(&mut conn, actor.user).await?;
    Ok(Json(Me {
        id: u.id,
        name: u.name,
        role: u.role,
        org_id: u.org_id,
    }))
}

#[utoipa::path(get, path = "/projects", responses((status = 200, body = Vec<ProjectRow>)), security(("bearer" = [])))]
async fn list_projects(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Vec<ProjectRow>>, ApiError> {
    authorize(&actor, Action::ViewProjects, None)?;
    let mut conn = st.db.acquire().await?;
    Ok(Json(projects::list(&mut conn).await?))
}

#[utoipa::path(post, path = "/projects", request_body = ProjectForm, responses((status = 201, body = ProjectRow), (status = 422)), security(("bearer" = [])))]
async fn create_project(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Json(form): Json<ProjectForm>,
) -> Result<(StatusCode, Json<ProjectRow>), ApiError> {
    let p = polku_usecases::projects::create(&st, &actor, &form).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

#[utoipa::path(get, path = "/projects/{code}", params(("code" = String, Path, description = "Project code, e.g. S20363")), responses((status = 200, body = ProjectRow), (status = 404)), security(("bearer" = [])))]
async fn get_project(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(code): Path<String>,
) -> Result<Json<ProjectRow>, ApiError> {
    authorize(&actor, Action::ViewProjects, None)?;
    let mut conn = st.db.acquire().await?;
    Ok(Json(projects::by_code(&mut conn, &code).await?))
}

/// A participant; `hetu` only on the single-participant endpoints.
/// The ESF+ report of a project as JSON: indicators by gender, monitoring, outcomes. Counts
/// under five are null unless the caller is the project's own staff.
#[utoipa::path(get, path = "/projects/{code}/reports/esf", params(("code" = String, Path, description = "Project code, e.g. S21358")), responses((status = 200, body = Object), (status = 404)), security(("bearer" = [])))]
async fn esf_report(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let which = polku_usecases::esf::Which::Code(&code);
    let (_, report, _) = polku_usecases::esf::report(&st, &actor, which, Some("api json")).await?;
    Ok(Json(report.json()))
}

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

#[utoipa::path(get, path = "/participants", params(SearchParams), responses((status = 200, body = Vec<Participant>)), security(("bearer" = [])))]
async fn search_participants(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<SearchParams>,
) -> Result<Json<Vec<Participant>>, ApiError> {
    let search = uc::Search {
        text: &q.q,
        project: q.project,
        limit: Some(200),
        via: "api ",
        ..Default::default()
    };
    let rows = uc::search(&st, &actor, search).await?;
    Ok(Json(
        rows.into_iter().map(|r| participant(r, None)).collect(),
    ))
}

#[utoipa::path(post, path = "/participants", request_body = IntakeForm, responses((status = 201, body = Participant), (status = 422)), security(("bearer" = [])))]
async fn create_participant(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Json(form): Json<IntakeForm>,
) -> Result<(StatusCode, Json<Participant>), ApiError> {
    let id = uc::intake(&st, &actor, &form).await?;
    let r = uc::get(&st, &actor, id, "api intake").await?;
    Ok((StatusCode::CREATED, Json(one_participant(r))))
}

#[utoipa::path(get, path = "/participants/{id}", params(("id" = i64, Path)), responses((status = 200, body = Participant), (status = 404)), security(("bearer" = [])))]
async fn get_participant(
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
async fn exit_participant(
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
async fn participant_data(
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
async fn erase_participant(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Json(i): Json<EraseInput>,
) -> Result<Json<Erased>, ApiError> {
    let participations = uc::erase(&st, &actor, ParticipantId(id), &i.reason, true).await?;
    Ok(Json(Erased { participations }))
}
