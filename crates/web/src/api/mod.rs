//! JSON API under /api/v1 (bearer tokens) and its OpenAPI document at /api/openapi.json.

/// An API object and how it is made from a store row: each field as `name: Type`, taken from
/// the row's field of the same name, or `name: Type = expression` over the row (`$row`).
/// The API's schema stays its own, while the copying is written once.
macro_rules! api_object {
    (
        $(#[$m:meta])*
        pub struct $name:ident from $row:ty as $r:ident {
            $( $(#[$fm:meta])* $field:ident : $t:ty $(= $e:expr)? ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $name { $( $(#[$fm])* pub $field: $t ),* }

        impl From<$row> for $name {
            #[allow(clippy::redundant_field_names)]
            fn from($r: $row) -> Self {
                $name { $( $field: api_object!(@value $r, $field $(, $e)?) ),* }
            }
        }
    };
    (@value $r:ident, $field:ident, $e:expr) => { $e };
    (@value $r:ident, $field:ident) => { $r.$field };
}

mod admin;
mod coaches;
mod dropin;
mod employer_types;
mod employers;
mod idempotency;
mod inputs;
mod objects;
mod participants;
mod plan;
mod referrals;
mod services;
mod surveys;

use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use objects::Project;
use polku_domain::authz::{authorize, Action, Role};
use polku_domain::ids::{OrgId, UserId};
use polku_domain::project::ProjectForm;
use polku_domain::{DomainError, ErrorCode};
use polku_store::projects;
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
            if has_body {
                op.parameters
                    .get_or_insert_with(Vec::new)
                    .push(idempotency_key());
            }
            let extra: &[(&str, &str)] = if has_body { &with_body } else { &[] };
            for (status, text) in always.iter().chain(extra) {
                op.responses
                    .responses
                    .insert(status.to_string(), error(text).into());
            }
        }
    }
}

/// A call of the API: the application and the caller, authenticated by bearer token.
pub struct Api {
    pub st: AppState,
    pub actor: polku_domain::authz::Actor,
}

impl axum::extract::FromRequestParts<AppState> for Api {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        st: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ApiUser(actor) = ApiUser::from_request_parts(parts, st).await?;
        Ok(Api {
            st: st.clone(),
            actor,
        })
    }
}

/// One page of a list: its items, and the cursor that fetches the next page (`null` on the
/// last one).
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Paging of every list: up to `limit` items (1–500, default 100) from `cursor`, the
/// `next_cursor` of the page before (absent: from the start).
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

impl PageParams {
    /// (limit, offset). A cursor is opaque to clients; here it is where the next page starts.
    pub fn window(&self) -> Result<(i64, i64), ApiError> {
        let limit = self.limit.unwrap_or(100);
        if !(1..=500).contains(&limit) {
            return Err(DomainError::field("limit", ErrorCode::NumberInvalid).into());
        }
        let offset = match &self.cursor {
            None => 0,
            Some(c) => c
                .parse::<i64>()
                .ok()
                .filter(|o| *o >= 0)
                .ok_or_else(|| DomainError::field("cursor", ErrorCode::ChoiceInvalid))?,
        };
        Ok((limit, offset))
    }

    /// A page of `rows`, read with one row more than `limit` to know whether more follow.
    pub fn page<R, T>(&self, mut rows: Vec<R>, f: impl Fn(R) -> T) -> Result<Page<T>, ApiError> {
        let (limit, offset) = self.window()?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = more.then(|| (offset + limit).to_string());
        Ok(Page {
            items: rows.into_iter().map(f).collect(),
            next_cursor,
        })
    }

    /// A page of a list read whole.
    pub fn slice<R, T>(&self, rows: Vec<R>, f: impl Fn(R) -> T) -> Result<Page<T>, ApiError> {
        let (limit, offset) = self.window()?;
        let window = rows
            .into_iter()
            .skip(offset as usize)
            .take(limit as usize + 1);
        self.page(window.collect(), f)
    }
}

/// The optional `Idempotency-Key` header every write takes.
fn idempotency_key() -> utoipa::openapi::path::Parameter {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ObjectBuilder, Required, Type};
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Any unique string up to 200 characters. A retry with the same key and body gets the first success again (with `Idempotency-Replayed: true`) instead of writing twice; for 24 hours.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(200))
                .pattern(Some("^[!-~]+$")),
        ))
        .build()
}

/// An optional typed value as the text a form's field holds (absent: empty).
fn text<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// What a create answers: the new record's id.
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

impl Created {
    pub fn new(id: i64) -> (StatusCode, Json<Created>) {
        (StatusCode::CREATED, Json(Created { id }))
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

pub fn router(state: AppState) -> Router<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list_projects, create_project))
        .routes(routes!(get_project))
        .routes(routes!(esf_report))
        .routes(routes!(
            participants::search_participants,
            participants::create_participant
        ))
        .routes(routes!(participants::get_participant))
        .routes(routes!(participants::exit_participant))
        .routes(routes!(participants::participant_data))
        .routes(routes!(participants::erase_participant))
        .routes(routes!(plan::plan))
        .routes(routes!(plan::notes, plan::add_note))
        .routes(routes!(plan::messages, plan::reply))
        .routes(routes!(plan::request_handled))
        .routes(routes!(plan::file))
        .routes(routes!(plan::contacts, plan::add_contact))
        .routes(routes!(
            referrals::referred_by,
            referrals::record_referred_by
        ))
        .routes(routes!(referrals::list))
        .routes(routes!(referrals::report))
        .routes(routes!(referrals::send))
        .routes(routes!(referrals::get))
        .routes(routes!(referrals::accept))
        .routes(routes!(referrals::progress))
        .routes(routes!(referrals::withdraw_consent))
        .routes(routes!(plan::add_goal))
        .routes(routes!(plan::add_step))
        .routes(routes!(plan::consent))
        .routes(routes!(plan::follow_up))
        .routes(routes!(services::list, services::create))
        .routes(routes!(services::get))
        .routes(routes!(services::add_session))
        .routes(routes!(services::enrol))
        .routes(routes!(services::cancel))
        .routes(routes!(services::approval))
        .routes(routes!(services::attendance, services::mark))
        .routes(routes!(dropin::points, dropin::create_point))
        .routes(routes!(dropin::week))
        .routes(routes!(dropin::set_hours))
        .routes(routes!(dropin::add_shift))
        .routes(routes!(dropin::take))
        .routes(routes!(dropin::release))
        .routes(routes!(dropin::add_visit))
        .routes(routes!(employers::list, employers::create))
        .routes(routes!(employers::get, employers::update))
        .routes(routes!(employers::add_contact))
        .routes(routes!(employers::share))
        .routes(routes!(employers::remove_contact))
        .routes(routes!(employers::add_interaction))
        .routes(routes!(employers::add_opening))
        .routes(routes!(employers::place))
        .routes(routes!(employers::openings))
        .routes(routes!(employers::opening))
        .routes(routes!(employers::set_status))
        .routes(routes!(employers::propose))
        .routes(routes!(employers::answer))
        .routes(routes!(employers::placement))
        .routes(routes!(employers::extend))
        .routes(routes!(employers::end))
        .routes(routes!(coaches::add))
        .routes(routes!(coaches::trainings, coaches::add_training))
        .routes(routes!(coaches::training))
        .routes(routes!(coaches::mark))
        .routes(routes!(coaches::add_meeting))
        .routes(routes!(surveys::list, surveys::create))
        .routes(routes!(surveys::get))
        .routes(routes!(surveys::add_question))
        .routes(routes!(surveys::remove_question))
        .routes(routes!(surveys::send))
        .routes(routes!(surveys::close))
        .routes(routes!(surveys::results))
        .routes(routes!(admin::calendar))
        .routes(routes!(admin::users, admin::invite))
        .routes(routes!(admin::unlock))
        .routes(routes!(admin::orgs, admin::create_org))
        .routes(routes!(admin::update_project))
        .routes(routes!(admin::add_target_group))
        .routes(routes!(admin::add_partner))
        .layer(axum::middleware::from_fn_with_state(
            state,
            idempotency::layer,
        ));
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
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub org_id: OrgId,
}

#[utoipa::path(get, path = "/me", responses((status = 200, body = Me), (status = 401)), security(("bearer" = [])))]
async fn me(Api { st, actor }: Api) -> Result<Json<Me>, ApiError> {
    let mut conn = st.db.acquire().await?;
    let u = users::get(&mut conn, actor.user).await?;
    Ok(Json(Me {
        id: u.id,
        name: u.name,
        role: u.role,
        org_id: u.org_id,
    }))
}

#[utoipa::path(get, path = "/projects", responses((status = 200, body = Vec<Project>)), security(("bearer" = [])))]
async fn list_projects(Api { st, actor }: Api) -> Result<Json<Vec<Project>>, ApiError> {
    authorize(&actor, Action::ViewProjects, None)?;
    let mut conn = st.db.acquire().await?;
    let all = projects::list(&mut conn).await?;
    Ok(Json(all.into_iter().map(Project::from).collect()))
}

#[utoipa::path(post, path = "/projects", request_body = ProjectForm, responses((status = 201, body = Project), (status = 422)), security(("bearer" = [])))]
async fn create_project(
    Api { st, actor }: Api,
    Json(form): Json<ProjectForm>,
) -> Result<(StatusCode, Json<Project>), ApiError> {
    let p = polku_usecases::projects::create(&st, &actor, &form).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

#[utoipa::path(get, path = "/projects/{code}", params(("code" = String, Path, description = "Project code, e.g. S20363")), responses((status = 200, body = Project), (status = 404)), security(("bearer" = [])))]
async fn get_project(
    Api { st, actor }: Api,
    Path(code): Path<String>,
) -> Result<Json<Project>, ApiError> {
    authorize(&actor, Action::ViewProjects, None)?;
    let mut conn = st.db.acquire().await?;
    Ok(Json(projects::by_code(&mut conn, &code).await?.into()))
}

/// The ESF+ report of a project as JSON: indicators by gender, monitoring, outcomes. Counts
/// under five are null unless the caller is the project's own staff.
#[utoipa::path(get, path = "/projects/{code}/reports/esf", params(("code" = String, Path, description = "Project code, e.g. S21358")), responses((status = 200, body = Object), (status = 404)), security(("bearer" = [])))]
async fn esf_report(
    Api { st, actor }: Api,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let which = polku_usecases::esf::Which::Code(&code);
    let (_, report, _) = polku_usecases::esf::report(&st, &actor, which, Some("api json")).await?;
    Ok(Json(report.json()))
}
