//! The organisation's calendar, accounts and organisations (admins), and a project's details,
//! target groups and partners. The same use cases as the pages.

use super::inputs::*;
use super::objects::*;
use super::{text, Api, Created, Page, PageParams};
use crate::error::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use chrono::Datelike;
use polku_domain::ids::UserId;
use polku_domain::project::{ProjectForm, TargetGroupForm};
use polku_usecases::accounts;

/// The organisation's annual calendar: the sessions of its services and its duty shifts.
#[utoipa::path(get, path = "/calendar", params(CalendarParams, PageParams), responses((status = 200, body = Page<CalendarEntry>)), security(("bearer" = [])))]
pub(super) async fn calendar(
    Api { st, actor }: Api,
    Query(q): Query<CalendarParams>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<CalendarEntry>>, ApiError> {
    paging.window()?;
    let today = st.clock.today();
    let from = q.from.or_else(|| today.with_ordinal(1)).unwrap_or(today);
    let to = q.to.unwrap_or_else(|| from + chrono::Duration::days(366));
    let entries = accounts::calendar(&st, &actor, from, to).await?;
    Ok(Json(paging.slice(entries, CalendarEntry::from)?))
}

/// The accounts the caller may manage.
#[utoipa::path(get, path = "/users", params(PageParams), responses((status = 200, body = Page<User>)), security(("bearer" = [])))]
pub(super) async fn users(
    Api { st, actor }: Api,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<User>>, ApiError> {
    paging.window()?;
    let rows = accounts::list_users(&st, &actor).await?;
    Ok(Json(paging.slice(rows, User::from)?))
}

/// Invites a staff member: the account, and a one-time link to set a password sent to them.
#[utoipa::path(post, path = "/users", request_body = InvitationInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn invite(
    Api { st, actor }: Api,
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
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    accounts::unlock(&st, &actor, UserId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/organisations", params(PageParams), responses((status = 200, body = Page<Organisation>)), security(("bearer" = [])))]
pub(super) async fn orgs(
    Api { st, actor }: Api,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Organisation>>, ApiError> {
    paging.window()?;
    let rows = accounts::list_orgs(&st, &actor).await?;
    Ok(Json(paging.slice(rows, Organisation::from)?))
}

/// Adds an organisation to the network (the platform operator).
#[utoipa::path(post, path = "/organisations", request_body = OrganisationInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn create_org(
    Api { st, actor }: Api,
    Json(i): Json<OrganisationInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = accounts::create_org(&st, &actor, &i.name, &i.business_id, &i.kind).await?;
    Ok(Created::new(id.0))
}

/// Saves a project's details; `version` must be the one read (else 409).
#[utoipa::path(put, path = "/projects/{code}", params(("code" = String, Path)), request_body = ProjectForm, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn update_project(
    Api { st, actor }: Api,
    Path(code): Path<String>,
    Json(f): Json<ProjectForm>,
) -> Result<StatusCode, ApiError> {
    let id = polku_usecases::projects::by_code(&st, &actor, &code)
        .await?
        .id;
    polku_usecases::projects::update(&st, &actor, id, &f).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/projects/{code}/target-groups", params(("code" = String, Path)), request_body = TargetGroupInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_target_group(
    Api { st, actor }: Api,
    Path(code): Path<String>,
    Json(i): Json<TargetGroupInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f: TargetGroupForm = i.into();
    let id = polku_usecases::projects::by_code(&st, &actor, &code)
        .await?
        .id;
    let gid = polku_usecases::projects::add_target_group(&st, &actor, id, &f).await?;
    Ok(Created::new(gid.0))
}

#[utoipa::path(post, path = "/projects/{code}/partners", params(("code" = String, Path)), request_body = PartnerInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn add_partner(
    Api { st, actor }: Api,
    Path(code): Path<String>,
    Json(i): Json<PartnerInput>,
) -> Result<StatusCode, ApiError> {
    let org = text(i.org_id);
    let id = polku_usecases::projects::by_code(&st, &actor, &code)
        .await?
        .id;
    polku_usecases::projects::add_partner(&st, &actor, id, &org, &i.role).await?;
    Ok(StatusCode::NO_CONTENT)
}
