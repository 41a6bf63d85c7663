//! JSON API under /api/v1 (bearer tokens) and its OpenAPI document at /api/openapi.json.

use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use polku_domain::authz::{authorize, Action};
use polku_domain::ids::{OrgId, ParticipantId};
use polku_domain::participant::{ExitForm, IntakeForm};
use polku_domain::project::ProjectForm;
use polku_store::audit::{self, AuditAction};
use polku_store::participants::{self as repo, ParticipantRow};
use polku_store::projects::{self, ProjectRow};
use polku_store::users;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Polku API", version = "1", description = "Projects and participants. Authenticate with `Authorization: Bearer <token>`; create tokens under Account → API tokens. Errors are `{error, message, fields}` with stable codes."),
    modifiers(&Bearer)
)]
struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        }
    }
}

pub fn router() -> Router<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list_projects, create_project))
        .routes(routes!(get_project))
        .routes(routes!(search_participants, create_participant))
        .routes(routes!(get_participant))
        .routes(routes!(exit_participant));
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1).split_for_parts();
    let doc = Arc::new(doc);
    router.route("/api/openapi.json", get(move || async move { Json(doc.as_ref().clone()) }))
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
    Ok(Json(Me { id: u.id, name: u.name, role: u.role, org_id: u.org_id }))
}

#[derive(Serialize, ToSchema)]
pub struct Project {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub funding_line: Option<String>,
    pub objective: Option<String>,
    /// yyyy-mm-dd
    pub start_date: String,
    pub end_date: String,
    pub authority: Option<String>,
    /// Statistics Finland municipality codes.
    pub municipalities: Vec<String>,
    pub target_participants: Option<i64>,
    pub target_companies: Option<i64>,
    pub budget_public_cents: Option<i64>,
    pub budget_granted_cents: Option<i64>,
    pub budget_realised_cents: Option<i64>,
    pub participants_realised: i64,
    pub version: i64,
}

impl From<ProjectRow> for Project {
    fn from(p: ProjectRow) -> Self {
        Project {
            id: p.id,
            code: p.code,
            name: p.name,
            owner_org_id: p.owner_org_id,
            owner_name: p.owner_name,
            funding_line: p.funding_line,
            objective: p.objective,
            start_date: p.start_date,
            end_date: p.end_date,
            authority: p.authority,
            municipalities: p.municipalities.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
            target_participants: p.target_participants,
            target_companies: p.target_companies,
            budget_public_cents: p.budget_public_cents,
            budget_granted_cents: p.budget_granted_cents,
            budget_realised_cents: p.budget_realised_cents,
            participants_realised: p.participant_count,
            version: p.version,
        }
    }
}

#[utoipa::path(get, path = "/projects", responses((status = 200, body = Vec<Project>)), security(("bearer" = [])))]
async fn list_projects(State(st): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<Vec<Project>>, ApiError> {
    authorize(&actor, Action::ViewProjects, None)?;
    let mut conn = st.db.acquire().await?;
    Ok(Json(projects::list(&mut conn).await?.into_iter().map(Project::from).collect()))
}

/// Project fields as text, parsed exactly like the web form (dates d.m.yyyy or yyyy-mm-dd).
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ProjectInput {
    pub code: String,
    pub name: String,
    pub funding_line: String,
    pub objective: String,
    pub start_date: String,
    pub end_date: String,
    pub authority: String,
    /// Comma-separated municipality codes or names.
    pub municipalities: String,
    pub target_participants: String,
    pub target_companies: String,
    pub budget_public: String,
    pub budget_granted: String,
    pub budget_realised: String,
    pub owner_org_id: String,
}

#[utoipa::path(post, path = "/projects", request_body = ProjectInput, responses((status = 201, body = Project), (status = 422)), security(("bearer" = [])))]
async fn create_project(State(st): State<AppState>, ApiUser(actor): ApiUser, Json(i): Json<ProjectInput>) -> Result<(StatusCode, Json<Project>), ApiError> {
    authorize(&actor, Action::ManageProject, Some(actor.org))?;
    let form = ProjectForm {
        code: i.code,
        name: i.name,
        funding_line: i.funding_line,
        objective: i.objective,
        start_date: i.start_date,
        end_date: i.end_date,
        authority: i.authority,
        municipalities: i.municipalities,
        target_participants: i.target_participants,
        target_companies: i.target_companies,
        budget_public: i.budget_public,
        budget_granted: i.budget_granted,
        budget_realised: i.budget_realised,
        owner_org_id: i.owner_org_id,
        version: String::new(),
    };
    let d = form.parse()?;
    let owner = d.owner_org_id.map_or(actor.org, OrgId);
    authorize(&actor, Action::ManageProject, Some(owner))?;
    let mut tx = st.db.begin().await?;
    let id = projects::create(&mut tx, &d, owner, st.clock.now()).await?;
    let p = projects::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

#[utoipa::path(get, path = "/projects/{code}", params(("code" = String, Path, description = "Project code, e.g. S20363")), responses((status = 200, body = Project), (status = 404)), security(("bearer" = [])))]
async fn get_project(State(st): State<AppState>, ApiUser(actor): ApiUser, Path(code): Path<String>) -> Result<Json<Project>, ApiError> {
    authorize(&actor, Action::ViewProjects, None)?;
    let mut conn = st.db.acquire().await?;
    Ok(Json(projects::by_code(&mut conn, &code).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct Participant {
    pub id: i64,
    pub project_id: i64,
    pub project_code: String,
    pub target_group_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    /// Present only on the single-participant endpoint.
    pub hetu: Option<String>,
    pub birth_date: String,
    pub gender: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub municipality: String,
    pub education: Option<String>,
    pub labour_status: Option<String>,
    pub unemployed_since: Option<String>,
    pub subsidy_days: Option<i64>,
    pub disability: String,
    pub foreign_background: String,
    pub third_country_national: String,
    pub minority: String,
    pub homeless: String,
    pub entry_date: String,
    pub counsellor_id: Option<i64>,
    pub exit_date: Option<String>,
    pub exit_status: Option<String>,
    pub version: i64,
}

fn participant(p: ParticipantRow, hetu: Option<String>) -> Participant {
    Participant {
        id: p.id,
        project_id: p.project_id,
        project_code: p.project_code,
        target_group_id: p.target_group_id,
        first_name: p.first_name,
        last_name: p.last_name,
        hetu,
        birth_date: p.birth_date,
        gender: p.gender,
        email: p.email,
        phone: p.phone,
        municipality: p.municipality,
        education: p.education,
        labour_status: p.labour_status,
        unemployed_since: p.unemployed_since,
        subsidy_days: p.subsidy_days,
        disability: p.disability,
        foreign_background: p.foreign_background,
        third_country_national: p.third_country_national,
        minority: p.minority,
        homeless: p.homeless,
        entry_date: p.entry_date,
        counsellor_id: p.counsellor_id,
        exit_date: p.exit_date,
        exit_status: p.exit_status,
        version: p.version,
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct SearchParams {
    /// Name fragments or a complete henkilötunnus.
    pub q: String,
    pub project: Option<i64>,
}

#[utoipa::path(get, path = "/participants", params(SearchParams), responses((status = 200, body = Vec<Participant>)), security(("bearer" = [])))]
async fn search_participants(State(st): State<AppState>, ApiUser(actor): ApiUser, Query(q): Query<SearchParams>) -> Result<Json<Vec<Participant>>, ApiError> {
    authorize(&actor, Action::ViewParticipant, Some(actor.org))?;
    let mut tx = st.db.begin().await?;
    let rows = repo::search(&mut tx, &st.cipher, actor.org, &q.q, q.project, 200).await?;
    audit::record(&mut tx, st.clock.now(), Some(&actor), AuditAction::Search, "participant", None, &format!("api results={}", rows.len())).await?;
    tx.commit().await?;
    Ok(Json(rows.into_iter().map(|r| participant(r, None)).collect()))
}

/// Intake fields as text, parsed exactly like the web form. Sensitive items take
/// `yes`, `no`, `refused` or `not_asked`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct IntakeInput {
    pub project_id: String,
    pub target_group_id: String,
    pub first_name: String,
    pub last_name: String,
    pub hetu: String,
    pub birth_date: String,
    pub gender: String,
    pub email: String,
    pub phone: String,
    pub municipality: String,
    pub postal_code: String,
    pub education: String,
    pub labour_status: String,
    pub unemployed_since: String,
    pub subsidy_days: String,
    pub disability: String,
    pub foreign_background: String,
    pub third_country_national: String,
    pub minority: String,
    pub homeless: String,
    pub entry_date: String,
    pub counsellor_id: String,
    pub consent_data_processing: bool,
    pub consent_sensitive_data: bool,
}

impl From<IntakeInput> for IntakeForm {
    fn from(i: IntakeInput) -> Self {
        let flag = |b: bool| b.then(|| "on".to_string());
        IntakeForm {
            project_id: i.project_id,
            target_group_id: i.target_group_id,
            first_name: i.first_name,
            last_name: i.last_name,
            hetu: i.hetu,
            birth_date: i.birth_date,
            gender: i.gender,
            email: i.email,
            phone: i.phone,
            municipality: i.municipality,
            postal_code: i.postal_code,
            education: i.education,
            labour_status: i.labour_status,
            unemployed_since: i.unemployed_since,
            subsidy_days: i.subsidy_days,
            disability: i.disability,
            foreign_background: i.foreign_background,
            third_country_national: i.third_country_national,
            minority: i.minority,
            homeless: i.homeless,
            entry_date: i.entry_date,
            counsellor_id: i.counsellor_id,
            consent_data_processing: flag(i.consent_data_processing),
            consent_sensitive_data: flag(i.consent_sensitive_data),
        }
    }
}

#[utoipa::path(post, path = "/participants", request_body = IntakeInput, responses((status = 201, body = Participant), (status = 422)), security(("bearer" = [])))]
async fn create_participant(State(st): State<AppState>, ApiUser(actor): ApiUser, Json(i): Json<IntakeInput>) -> Result<(StatusCode, Json<Participant>), ApiError> {
    let id = crate::pages::participants::create_participant(&st, &actor, &i.into()).await?;
    let mut conn = st.db.acquire().await?;
    let row = repo::get(&mut conn, id).await?;
    let hetu = repo::hetu(&st.cipher, &row)?;
    Ok((StatusCode::CREATED, Json(participant(row, hetu))))
}

#[utoipa::path(get, path = "/participants/{id}", params(("id" = i64, Path)), responses((status = 200, body = Participant), (status = 404)), security(("bearer" = [])))]
async fn get_participant(State(st): State<AppState>, ApiUser(actor): ApiUser, Path(id): Path<i64>) -> Result<Json<Participant>, ApiError> {
    let mut tx = st.db.begin().await?;
    let row = crate::pages::participants::load(&mut tx, &actor, id, Action::ViewParticipant).await?;
    audit::record(&mut tx, st.clock.now(), Some(&actor), AuditAction::Read, "participant", Some(id), "api").await?;
    tx.commit().await?;
    let hetu = repo::hetu(&st.cipher, &row)?;
    Ok(Json(participant(row, hetu)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ExitInput {
    pub exit_date: String,
    /// employed_open, employed_subsidised, self_employed, education, qualification, job_searching, outside_labour_force, unemployed, unknown
    pub exit_status: String,
    /// The version you read; a stale one gets 409.
    pub version: i64,
}

#[utoipa::path(post, path = "/participants/{id}/exit", params(("id" = i64, Path)), request_body = ExitInput, responses((status = 200, body = Participant), (status = 409), (status = 422)), security(("bearer" = [])))]
async fn exit_participant(State(st): State<AppState>, ApiUser(actor): ApiUser, Path(id): Path<i64>, Json(i): Json<ExitInput>) -> Result<Json<Participant>, ApiError> {
    let mut tx = st.db.begin().await?;
    let row = crate::pages::participants::load(&mut tx, &actor, id, Action::EditParticipant).await?;
    let entry = polku_store::parse_date(&row.entry_date).unwrap_or_default();
    let exit = ExitForm { exit_date: i.exit_date, exit_status: i.exit_status, version: i.version.to_string() }.parse(entry)?;
    let now = st.clock.now();
    repo::set_exit(&mut tx, ParticipantId(id), &exit, now).await?;
    audit::record(&mut tx, now, Some(&actor), AuditAction::Update, "participant", Some(id), "exit api").await?;
    let row = repo::get(&mut tx, ParticipantId(id)).await?;
    tx.commit().await?;
    Ok(Json(participant(row, None)))
}
