//! The organisation's calendar, accounts and organisations (admins), and a project's details,
//! target groups and partners. The same use cases as the pages.

use super::{Created, Page, PageParams};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use polku_domain::ids::{ProjectId, UserId};
use polku_domain::project::{ProjectForm, TargetGroupForm};
use polku_usecases::accounts;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct CalendarEntry {
    /// session or shift
    pub kind: String,
    pub title: String,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub place: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct CalendarParams {
    /// First day (default: 1 January this year).
    pub from: Option<NaiveDate>,
    /// Day after the last (default: a year after `from`).
    pub to: Option<NaiveDate>,
}

/// The organisation's annual calendar: the sessions of its services and its duty shifts.
#[utoipa::path(get, path = "/calendar", params(CalendarParams, PageParams), responses((status = 200, body = Page<CalendarEntry>)), security(("bearer" = [])))]
pub(super) async fn calendar(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<CalendarParams>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<CalendarEntry>>, ApiError> {
    paging.window()?;
    let today = st.clock.today();
    let from = q.from.or_else(|| today.with_ordinal(1)).unwrap_or(today);
    let to = q.to.unwrap_or_else(|| from + chrono::Duration::days(366));
    let entries = accounts::calendar(&st, &actor, from, to).await?;
    let time =
        |s: &str| NaiveDateTime::parse_from_str(s.get(..16).unwrap_or(s), "%Y-%m-%dT%H:%M").ok();
    Ok(Json(paging.slice(entries, |e| CalendarEntry {
        starts_at: time(&e.starts_at),
        ends_at: time(&e.ends_at),
        kind: e.kind,
        title: e.title,
        place: e.place,
    })?))
}

#[derive(Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    pub locked: bool,
}

/// The accounts the caller may manage.
#[utoipa::path(get, path = "/users", params(PageParams), responses((status = 200, body = Page<User>)), security(("bearer" = [])))]
pub(super) async fn users(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<User>>, ApiError> {
    paging.window()?;
    let rows = accounts::list_users(&st, &actor).await?;
    Ok(Json(paging.slice(rows, |u| User {
        locked: u.locked_at.is_some(),
        active: u.active != 0,
        id: u.id,
        org_id: u.org_id,
        name: u.name,
        email: u.email,
        role: u.role,
    })?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct InvitationInput {
    pub org_id: Option<i64>,
    pub name: String,
    pub email: String,
    /// admin, project_manager, counsellor, employer_coordinator, partner_staff, auditor
    pub role: String,
    /// fi, sv or en: the language of the invitation and of the account.
    pub locale: String,
}

/// Invites a staff member: the account, and a one-time link to set a password sent to them.
#[utoipa::path(post, path = "/users", request_body = InvitationInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn invite(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Json(i): Json<InvitationInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let org = i.org_id.map(|o| o.to_string()).unwrap_or_default();
    let form = accounts::InvitationForm {
        org_id: &org,
        name: &i.name,
        email: &i.email,
        role: &i.role,
        locale: crate::i18n::Lang::parse(&i.locale)
            .unwrap_or(crate::i18n::Lang::Fi)
            .code(),
    };
    let inv = form.parse(&actor)?;
    let (id, _) = crate::invite::invite_user(&st, Some(&actor), &inv).await?;
    Ok(Created::new(id.0))
}

/// Unlocks an account locked after failed logins.
#[utoipa::path(post, path = "/users/{id}/unlock", params(("id" = i64, Path)), responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn unlock(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    accounts::unlock(&st, &actor, UserId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub business_id: Option<String>,
    pub kind: String,
}

#[utoipa::path(get, path = "/organisations", params(PageParams), responses((status = 200, body = Page<Organisation>)), security(("bearer" = [])))]
pub(super) async fn orgs(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Organisation>>, ApiError> {
    paging.window()?;
    let rows = accounts::list_orgs(&st, &actor).await?;
    Ok(Json(paging.slice(rows, |o| Organisation {
        id: o.id,
        name: o.name,
        business_id: o.business_id,
        kind: o.kind,
    })?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct OrganisationInput {
    pub name: String,
    pub business_id: String,
    /// project_owner, te_office, municipality, kela, college, ngo, company, funder
    pub kind: String,
}

/// Adds an organisation to the network (the platform operator).
#[utoipa::path(post, path = "/organisations", request_body = OrganisationInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn create_org(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Json(i): Json<OrganisationInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = accounts::create_org(&st, &actor, &i.name, &i.business_id, &i.kind).await?;
    Ok(Created::new(id.0))
}

/// Saves a project's details; `version` must be the one read (else 409).
#[utoipa::path(put, path = "/projects/{code}", params(("code" = String, Path)), request_body = ProjectForm, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn update_project(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(code): Path<String>,
    Json(f): Json<ProjectForm>,
) -> Result<StatusCode, ApiError> {
    let id = ProjectId(
        polku_usecases::projects::by_code(&st, &actor, &code)
            .await?
            .id,
    );
    polku_usecases::projects::update(&st, &actor, id, &f).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TargetGroupInput {
    pub name: String,
    pub min_age: Option<i64>,
    pub max_age: Option<i64>,
    /// Municipality codes or names.
    pub municipalities: Vec<String>,
    pub min_education: Option<String>,
    pub min_subsidy_days: Option<i64>,
    pub min_unemployed_months: Option<i64>,
    pub requires_partial_work_ability: bool,
    pub unemployed_only: bool,
}

fn text<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

#[utoipa::path(post, path = "/projects/{code}/target-groups", params(("code" = String, Path)), request_body = TargetGroupInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_target_group(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(code): Path<String>,
    Json(i): Json<TargetGroupInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let tick = |b: bool| b.then(|| "on".to_string());
    let f = TargetGroupForm {
        name: i.name,
        min_age: text(i.min_age),
        max_age: text(i.max_age),
        municipalities: i.municipalities.join(","),
        min_education: i.min_education.unwrap_or_default(),
        min_subsidy_days: text(i.min_subsidy_days),
        min_unemployed_months: text(i.min_unemployed_months),
        requires_partial_work_ability: tick(i.requires_partial_work_ability),
        unemployed_only: tick(i.unemployed_only),
    };
    let id = ProjectId(
        polku_usecases::projects::by_code(&st, &actor, &code)
            .await?
            .id,
    );
    let gid = polku_usecases::projects::add_target_group(&st, &actor, id, &f).await?;
    Ok(Created::new(gid.0))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PartnerInput {
    pub org_id: Option<i64>,
    /// co_implementer, partner, funder
    pub role: String,
}

#[utoipa::path(post, path = "/projects/{code}/partners", params(("code" = String, Path)), request_body = PartnerInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn add_partner(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(code): Path<String>,
    Json(i): Json<PartnerInput>,
) -> Result<StatusCode, ApiError> {
    let org = text(i.org_id);
    let id = ProjectId(
        polku_usecases::projects::by_code(&st, &actor, &code)
            .await?
            .id,
    );
    polku_usecases::projects::add_partner(&st, &actor, id, &org, &i.role).await?;
    Ok(StatusCode::NO_CONTENT)
}
