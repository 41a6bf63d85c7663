use super::{form_errors, render, unprocessable};
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::reshown::{saved_or_again as again, Reshown};
use crate::submitted::Submitted;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use polku_domain::authz::Action;
use polku_domain::ids::{OrgId, ProjectId};
use polku_domain::project::{ProjectForm, TargetGroupForm};
use polku_domain::text::format_euros;
use polku_store::orgs::{self, Org};
use polku_store::projects::{self, PartnerRow, ProjectRow, TargetGroup};
use polku_usecases::projects as uc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list).post(create))
        .route("/projects/new", get(new))
        .route("/projects/{id}", get(show).post(update))
        .route("/projects/{id}/edit", get(edit))
        .route("/projects/{id}/target-groups", post(add_target_group))
        .route("/projects/{id}/partners", post(add_partner))
}

#[derive(Template)]
#[template(path = "projects/list.html")]
struct List {
    c: Chrome,
    projects: Vec<ProjectRow>,
    q: String,
}

crate::form!(pub struct ListQuery { pub q, pub format });

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewProjects, None)?;
    let mut conn = st.db.acquire().await?;
    let needle = q.q.trim().to_lowercase();
    let projects: Vec<ProjectRow> = projects::list(&mut conn)
        .await?
        .into_iter()
        .filter(|p| {
            needle.is_empty()
                || p.code.to_lowercase().contains(&needle)
                || p.name.to_lowercase().contains(&needle)
                || p.owner_name.to_lowercase().contains(&needle)
        })
        .collect();
    if let Some(format) = crate::export::Format::from_query(&q.format) {
        return crate::export::respond(
            &project_table(&ctx.c, &projects),
            format,
            ctx.c.lang,
            "projects",
        );
    }
    render(&List {
        c: ctx.c,
        projects,
        q: q.q,
    })
}

fn project_table(c: &Chrome, rows: &[ProjectRow]) -> polku_reports::Table {
    let euros = |v: Option<i64>| polku_reports::Cell::from(v.map(|c| c / 100));
    let headers = [
        "field-code",
        "field-name",
        "project-owner",
        "field-start-date",
        "field-end-date",
        "field-municipalities",
        "field-target-participants",
        "project-participants",
        "field-target-companies",
        "field-budget-public",
        "field-budget-granted",
        "field-budget-realised",
    ];
    crate::export::table(c, "nav-projects", &headers, rows, |p| {
        vec![
            p.code.as_str().into(),
            p.name.as_str().into(),
            p.owner_name.as_str().into(),
            p.start_date.into(),
            p.end_date.into(),
            municipality_names(&p.municipalities, c.lang_code()).into(),
            p.target_participants.into(),
            p.participant_count.into(),
            p.target_companies.into(),
            euros(p.budget_public_cents),
            euros(p.budget_granted_cents),
            euros(p.budget_realised_cents),
        ]
    })
}

#[derive(Template)]
#[template(path = "projects/form.html")]
struct Edit {
    c: Chrome,
    f: ProjectForm,
    id: Option<i64>,
    orgs: Vec<Org>,
}

impl Edit {
    fn org_selected(&self, id: &OrgId) -> bool {
        self.f.owner_org_id == id.to_string()
    }
}

async fn new(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageProject, Some(ctx.actor.org))?;
    let mut conn = st.db.acquire().await?;
    let f = ProjectForm {
        owner_org_id: ctx.actor.org.to_string(),
        ..Default::default()
    };
    render(&Edit {
        c: ctx.c,
        f,
        id: None,
        orgs: orgs::list(&mut conn).await?,
    })
}

async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ProjectForm>,
) -> Result<Response, AppError> {
    let result = uc::create(&st, &ctx.actor, &f).await;
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/projects/{}", p.id)).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            let mut conn = st.db.acquire().await?;
            unprocessable(&Edit {
                c: ctx.with_errors(errors),
                f,
                id: None,
                orgs: orgs::list(&mut conn).await?,
            })
        }
    }
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct Show {
    c: Chrome,
    p: ProjectRow,
    partners: Vec<PartnerRow>,
    groups: Vec<TargetGroup>,
    can_manage: bool,
    /// Its own staff may bring participants in from a spreadsheet.
    can_import: bool,
    budget: String,
    granted: String,
    realised: String,
    municipalities: String,
    orgs: Vec<Org>,
    again: Reshown,
}

pub use polku_domain::validated::municipality_names;

fresh_page!(show => page);

/// The project's page; with a refused form, that form shown again in place (422).
async fn page(st: &AppState, ctx: Ctx, id: i64, again: Reshown) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewProjects, None)?;
    let mut conn = st.db.acquire().await?;
    let p = projects::get(&mut conn, ProjectId(id)).await?;
    let partners = projects::partners(&mut conn, ProjectId(id)).await?;
    let groups = projects::target_groups(&mut conn, ProjectId(id)).await?;
    let can_manage = ctx
        .authorize(Action::ManageProject, Some(p.owner_org_id))
        .is_ok();
    let can_import = p.owner_org_id == ctx.actor.org
        && ctx
            .authorize(Action::CreateParticipant, Some(ctx.actor.org))
            .is_ok();
    let budget = p.budget_public_cents.map(format_euros).unwrap_or_default();
    let granted = p.budget_granted_cents.map(format_euros).unwrap_or_default();
    let realised = p
        .budget_realised_cents
        .map(format_euros)
        .unwrap_or_default();
    let municipalities = municipality_names(&p.municipalities, ctx.c.lang_code());
    let orgs = if can_manage {
        orgs::list(&mut conn).await?
    } else {
        vec![]
    };
    let show = Show {
        c: again.chrome(&ctx),
        again,
        p,
        partners,
        groups,
        can_manage,
        can_import,
        budget,
        granted,
        realised,
        municipalities,
        orgs,
    };
    crate::pages::shown(&show, show.again.is_refused())
}

fn euros_field(cents: Option<i64>) -> String {
    cents
        .map(|c| format!("{},{:02}", c / 100, c % 100))
        .unwrap_or_default()
}

fn form_of(p: &ProjectRow) -> ProjectForm {
    let iso = |d: &NaiveDate| polku_domain::dates::format_fi(*d);
    ProjectForm {
        code: p.code.clone(),
        name: p.name.clone(),
        funding_line: p.funding_line.clone().unwrap_or_default(),
        objective: p.objective.clone().unwrap_or_default(),
        start_date: iso(&p.start_date),
        end_date: iso(&p.end_date),
        authority: p.authority.clone().unwrap_or_default(),
        municipalities: municipality_names(&p.municipalities, "fi"),
        target_participants: p
            .target_participants
            .map(|v| v.to_string())
            .unwrap_or_default(),
        target_companies: p
            .target_companies
            .map(|v| v.to_string())
            .unwrap_or_default(),
        budget_public: euros_field(p.budget_public_cents),
        budget_granted: euros_field(p.budget_granted_cents),
        budget_realised: euros_field(p.budget_realised_cents),
        owner_org_id: p.owner_org_id.to_string(),
        final_payment_date: p.final_payment_date.as_ref().map(iso).unwrap_or_default(),
        retention_years: p.retention_years.to_string(),
        version: p.version.to_string(),
    }
}

async fn edit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let mut conn = st.db.acquire().await?;
    let p = projects::get(&mut conn, ProjectId(id)).await?;
    ctx.authorize(Action::ManageProject, Some(p.owner_org_id))?;
    render(&Edit {
        c: ctx.c,
        f: form_of(&p),
        id: Some(id),
        orgs: orgs::list(&mut conn).await?,
    })
}

async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ProjectForm>,
) -> Result<Response, AppError> {
    let result = uc::update(&st, &ctx.actor, ProjectId(id), &f).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}")).into_response()),
        Err(polku_usecases::Error::Domain(polku_domain::DomainError::Conflict)) => {
            let mut conn = st.db.acquire().await?;
            // Show what is saved now, and keep what the user typed in the form so nothing is lost.
            let current = projects::get(&mut conn, ProjectId(id)).await?;
            let mut c = ctx.c.clone();
            c.notice = Some(c.t("conflict-reload"));
            let f = ProjectForm {
                version: current.version.to_string(),
                ..f
            };
            Ok((
                axum::http::StatusCode::CONFLICT,
                axum::response::Html(
                    Edit {
                        c,
                        f,
                        id: Some(id),
                        orgs: orgs::list(&mut conn).await?,
                    }
                    .render()?,
                ),
            )
                .into_response())
        }
        Err(e) => {
            let errors = form_errors(e)?;
            let mut conn = st.db.acquire().await?;
            unprocessable(&Edit {
                c: ctx.with_errors(errors),
                f,
                id: Some(id),
                orgs: orgs::list(&mut conn).await?,
            })
        }
    }
}

async fn add_target_group(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<TargetGroupForm>,
) -> Result<Response, AppError> {
    let r = uc::add_target_group(&st, &ctx.actor, ProjectId(id), &s.form).await;
    let to = format!("/projects/{id}#target-groups");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("tg", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

crate::form!(pub struct PartnerForm { pub org_id, pub role });

pub use uc::PARTNER_ROLES;

async fn add_partner(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<PartnerForm>,
) -> Result<Response, AppError> {
    let f = &s.form;
    let r = uc::add_partner(&st, &ctx.actor, ProjectId(id), &f.org_id, &f.role).await;
    let to = format!("/projects/{id}#partners");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("partner", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}
