use super::{form_errors, render, unprocessable};
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::authz::Action;
use polku_domain::eligibility::Rules;
use polku_domain::error::Errors;
use polku_domain::ids::{OrgId, ProjectId};
use polku_domain::participant::{Education, LabourStatus};
use polku_domain::project::ProjectForm;
use polku_domain::text::{format_euros, optional_int, required};
use polku_domain::validated::Municipality;
use polku_store::orgs::{self, Org};
use polku_store::projects::{self, PartnerRow, ProjectRow, TargetGroup};

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
    use crate::export::date_cell as d;
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
            d(Some(&p.start_date)),
            d(Some(&p.end_date)),
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
    fn org_selected(&self, id: &i64) -> bool {
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
    ctx.authorize(Action::ManageProject, Some(ctx.actor.org))?;
    let result = async {
        let d = f.parse()?;
        let owner = d.owner_org_id.map_or(ctx.actor.org, OrgId);
        ctx.authorize(Action::ManageProject, Some(owner))?;
        let mut tx = st.db.begin().await?;
        let id = projects::create(&mut tx, &d, owner, st.clock.now()).await?;
        tx.commit().await?;
        Ok::<_, AppError>(id)
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/projects/{id}")).into_response()),
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
}

pub fn municipality_names(codes: &str, lang: &str) -> String {
    codes
        .split(',')
        .filter_map(|c| Municipality::parse(c).ok())
        .map(|m| m.name(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewProjects, None)?;
    let mut conn = st.db.acquire().await?;
    let p = projects::get(&mut conn, ProjectId(id)).await?;
    let partners = projects::partners(&mut conn, ProjectId(id)).await?;
    let groups = projects::target_groups(&mut conn, ProjectId(id)).await?;
    let can_manage = ctx
        .authorize(Action::ManageProject, Some(OrgId(p.owner_org_id)))
        .is_ok();
    let can_import = p.owner_org_id == ctx.actor.org.0
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
    render(&Show {
        c: ctx.c,
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
    })
}

fn euros_field(cents: Option<i64>) -> String {
    cents
        .map(|c| format!("{},{:02}", c / 100, c % 100))
        .unwrap_or_default()
}

fn form_of(p: &ProjectRow) -> ProjectForm {
    let iso = |s: &str| {
        polku_store::parse_date(s)
            .map(polku_domain::dates::format_fi)
            .unwrap_or_default()
    };
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
        final_payment_date: p.final_payment_date.as_deref().map(iso).unwrap_or_default(),
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
    ctx.authorize(Action::ManageProject, Some(OrgId(p.owner_org_id)))?;
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
    let result = async {
        let mut tx = st.db.begin().await?;
        let p = projects::get(&mut tx, ProjectId(id)).await?;
        ctx.authorize(Action::ManageProject, Some(OrgId(p.owner_org_id)))?;
        let d = f.parse()?;
        let version = d.version.ok_or_else(|| {
            polku_domain::DomainError::field("version", polku_domain::ErrorCode::Required)
        })?;
        projects::update(&mut tx, ProjectId(id), &d, version, st.clock.now()).await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}")).into_response()),
        Err(AppError::Domain(polku_domain::DomainError::Conflict)) => {
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

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct TargetGroupForm {
    pub name: String,
    pub min_age: String,
    pub max_age: String,
    pub municipalities: String,
    pub min_education: String,
    pub min_subsidy_days: String,
    pub min_unemployed_months: String,
    pub requires_partial_work_ability: Option<String>,
    pub unemployed_only: Option<String>,
}

impl TargetGroupForm {
    pub fn parse(&self) -> Result<(String, Rules), AppError> {
        let mut e = Errors::new();
        let name = e.take("name", required(&self.name, 200));
        let min_age = e
            .take("min_age", optional_int(&self.min_age, 15, 100))
            .flatten();
        let max_age = e
            .take("max_age", optional_int(&self.max_age, 15, 100))
            .flatten();
        let mut municipalities = vec![];
        for m in self
            .municipalities
            .split(',')
            .filter(|m| !m.trim().is_empty())
        {
            if let Some(m) = e.take("municipalities", Municipality::parse(m)) {
                municipalities.push(m.code().to_string());
            }
        }
        let min_education = e
            .take(
                "min_education",
                if self.min_education.is_empty() {
                    Ok(None)
                } else {
                    Education::parse(&self.min_education).map(|e| Some(e.level()))
                },
            )
            .flatten();
        let min_subsidy_days = e
            .take(
                "min_subsidy_days",
                optional_int(&self.min_subsidy_days, 0, 20_000),
            )
            .flatten();
        let min_unemployed_months = e
            .take(
                "min_unemployed_months",
                optional_int(&self.min_unemployed_months, 0, 600),
            )
            .flatten();
        e.into_result()?;
        let rules = Rules {
            min_age: min_age.map(|v| v as i32),
            max_age: max_age.map(|v| v as i32),
            municipalities,
            min_education,
            max_education: None,
            min_subsidy_days,
            min_unemployed_months: min_unemployed_months.map(|v| v as i32),
            requires_partial_work_ability: self.requires_partial_work_ability.is_some(),
            labour_statuses: if self.unemployed_only.is_some() {
                vec![LabourStatus::Unemployed]
            } else {
                vec![]
            },
        };
        Ok((name.unwrap_or_default(), rules))
    }
}

async fn add_target_group(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<TargetGroupForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    let p = projects::get(&mut tx, ProjectId(id)).await?;
    ctx.authorize(Action::ManageProject, Some(OrgId(p.owner_org_id)))?;
    let (name, rules) = f.parse()?;
    projects::add_target_group(&mut tx, ProjectId(id), &name, &rules).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/projects/{id}#target-groups")).into_response())
}

crate::form!(pub struct PartnerForm { pub org_id, pub role });

pub const PARTNER_ROLES: &[&str] = &["co_implementer", "partner", "funder"];

async fn add_partner(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PartnerForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    let p = projects::get(&mut tx, ProjectId(id)).await?;
    ctx.authorize(Action::ManageProject, Some(OrgId(p.owner_org_id)))?;
    let mut e = Errors::new();
    let org = e.take(
        "org_id",
        optional_int(&f.org_id, 1, i64::MAX)
            .and_then(|v| v.ok_or(polku_domain::ErrorCode::Required)),
    );
    let role = e.take(
        "role",
        if PARTNER_ROLES.contains(&f.role.as_str()) {
            Ok(f.role.clone())
        } else {
            Err(polku_domain::ErrorCode::ChoiceInvalid)
        },
    );
    e.into_result()?;
    let (Some(org), Some(role)) = (org, role) else {
        return Err(AppError::Internal("validated form incomplete".into()));
    };
    orgs::get(&mut tx, OrgId(org)).await.map_err(|_| {
        polku_domain::DomainError::field("org_id", polku_domain::ErrorCode::ChoiceInvalid)
    })?;
    if org == p.owner_org_id {
        return Err(polku_domain::DomainError::field(
            "org_id",
            polku_domain::ErrorCode::ChoiceInvalid,
        )
        .into());
    }
    projects::add_partner(&mut tx, ProjectId(id), OrgId(org), &role).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/projects/{id}#partners")).into_response())
}
