//! Intake and editing the intake answers.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::pages::{form_errors, render, unprocessable};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use polku_domain::authz::Action;
use polku_domain::ids::ParticipantId;
use polku_domain::participant::{Education, IntakeForm, LabourStatus, Sensitive};
use polku_domain::special::SpecialCategories;
use polku_domain::{text, DomainError};
use polku_store::participants::{self as repo, ParticipantRow};
use polku_store::projects::{self, ProjectRow, TargetGroup};
use polku_store::users::{self, UserRow};
use polku_usecases::participants as uc;

#[derive(Template)]
#[template(path = "participants/form.html")]
pub(crate) struct IntakePage {
    pub(crate) c: Chrome,
    f: IntakeForm,
    id: Option<i64>,
    version: i64,
    projects: Vec<ProjectRow>,
    groups: Vec<TargetGroup>,
    counsellors: Vec<UserRow>,
    /// Accepting a referral: the intake makes the receiver's own record of the person.
    pub(crate) accept: Option<AcceptPart>,
}

/// What the intake form shows when it accepts a referral.
pub(crate) struct AcceptPart {
    pub(crate) referral: polku_store::referrals::ReferralRow,
    /// The receiver's own people of the same name, to link instead of a new record.
    pub(crate) candidates: Vec<ParticipantRow>,
}

impl IntakePage {
    fn genders(&self) -> Vec<&'static str> {
        polku_domain::participant::Gender::ALL
            .iter()
            .map(|g| g.as_str())
            .collect()
    }
    fn educations(&self) -> Vec<&'static str> {
        Education::ALL.iter().map(|g| g.as_str()).collect()
    }
    fn statuses(&self) -> Vec<&'static str> {
        LabourStatus::ALL.iter().map(|g| g.as_str()).collect()
    }
    fn sensitives(&self) -> Vec<&'static str> {
        Sensitive::ALL.iter().map(|g| g.as_str()).collect()
    }
    fn sensitive_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("disability", self.f.disability.clone()),
            ("foreign_background", self.f.foreign_background.clone()),
            (
                "third_country_national",
                self.f.third_country_national.clone(),
            ),
            ("minority", self.f.minority.clone()),
            ("homeless", self.f.homeless.clone()),
        ]
    }
}

pub(crate) async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    c: Chrome,
    f: IntakeForm,
    id: Option<i64>,
    version: i64,
) -> Result<IntakePage, AppError> {
    let mut conn = st.db.acquire().await?;
    let projects = projects::for_org(&mut conn, ctx.actor.org).await?;
    let groups = projects::target_groups_for_org(&mut conn, ctx.actor.org).await?;
    let counsellors = users::counsellors(&mut conn, ctx.actor.org).await?;
    Ok(IntakePage {
        c,
        f,
        id,
        version,
        projects,
        groups,
        counsellors,
        accept: None,
    })
}

pub(super) async fn new(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::CreateParticipant, Some(ctx.actor.org))?;
    let today = polku_domain::dates::format_fi(st.clock.today());
    let f = IntakeForm {
        entry_date: today,
        counsellor_id: ctx.actor.user.to_string(),
        ..Default::default()
    };
    render(&form_page(&st, &ctx, ctx.c.clone(), f, None, 0).await?)
}

pub(super) async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<IntakeForm>,
) -> Result<Response, AppError> {
    match uc::intake(&st, &ctx.actor, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/participants/{id}")).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            unprocessable(&form_page(&st, &ctx, ctx.with_errors(errors), f, None, 0).await?)
        }
    }
}

fn intake_form_of(p: &ParticipantRow, hetu: String, special: &SpecialCategories) -> IntakeForm {
    let d = |s: Option<NaiveDate>| s.map(polku_domain::dates::format_fi).unwrap_or_default();
    let choice = |c: Option<&str>| c.unwrap_or_default().to_string();
    IntakeForm {
        project_id: p.project_id.to_string(),
        target_group_id: p.target_group_id.map(|v| v.to_string()).unwrap_or_default(),
        first_name: p.first_name.clone(),
        last_name: p.last_name.clone(),
        hetu,
        birth_date: d(Some(p.birth_date)),
        gender: choice(p.gender.map(|g| g.as_str())),
        email: p.email.clone().unwrap_or_default(),
        phone: p.phone.clone().unwrap_or_default(),
        municipality: p.municipality.clone(),
        postal_code: p.postal_code.clone().unwrap_or_default(),
        education: choice(p.education.map(|e| e.as_str())),
        labour_status: choice(p.labour_status.map(|l| l.as_str())),
        unemployed_since: d(p.unemployed_since),
        subsidy_days: p.subsidy_days.map(|v| v.to_string()).unwrap_or_default(),
        disability: special.disability.as_str().into(),
        foreign_background: special.foreign_background.as_str().into(),
        third_country_national: special.third_country_national.as_str().into(),
        minority: special.minority.as_str().into(),
        homeless: special.homeless.as_str().into(),
        entry_date: d(Some(p.entry_date)),
        counsellor_id: p.counsellor_id.map(|v| v.to_string()).unwrap_or_default(),
        consent_data_processing: polku_domain::text::Checkbox(true),
        consent_sensitive_data: polku_domain::text::Checkbox(false),
    }
}

pub(super) async fn edit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let uc::EditForm { p, hetu, special } =
        uc::edit_form(&st, &ctx.actor, ParticipantId(id)).await?;
    let f = intake_form_of(&p, hetu, &special);
    render(&form_page(&st, &ctx, ctx.c.clone(), f, Some(id), p.version).await?)
}

/// The intake answers with the version of what they change (a record, or a referral).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct EditForm {
    #[serde(flatten)]
    pub(crate) f: IntakeForm,
    pub(crate) version: String,
}

pub(super) async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(EditForm { f, version }): Form<EditForm>,
) -> Result<Response, AppError> {
    let version = text::optional_int(&version, 0, i64::MAX)
        .ok()
        .flatten()
        .unwrap_or(0);
    match uc::update(&st, &ctx.actor, ParticipantId(id), &f, version).await {
        Ok(()) => Ok(Redirect::to(&format!("/participants/{id}")).into_response()),
        Err(polku_usecases::Error::Domain(DomainError::Conflict)) => {
            let mut c = ctx.c.clone();
            c.notice = Some(c.t("conflict-reload"));
            let mut conn = st.db.acquire().await?;
            let current = repo::get(&mut conn, ParticipantId(id)).await?;
            let page = form_page(&st, &ctx, c, f, Some(id), current.version).await?;
            Ok((
                axum::http::StatusCode::CONFLICT,
                axum::response::Html(page.render()?),
            )
                .into_response())
        }
        Err(e) => {
            let errors = form_errors(e)?;
            unprocessable(
                &form_page(&st, &ctx, ctx.with_errors(errors), f, Some(id), version).await?,
            )
        }
    }
}
