//! Intake, the participant's record (plan, notes, consents, eligibility) and exit. The list,
//! search and export are in `participant_list.rs`, the timeline in `timeline.rs`.

use super::timeline::{timeline, TimelineSources};
pub use super::timeline::{timeline_of, TimelineItem};
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
use polku_domain::dates::{age_on, months_between};
use polku_domain::eligibility::{Facts, Verdict};
use polku_domain::ids::{GoalId, OrgId, ParticipantId, ProjectId};
use polku_domain::participant::{
    ConsentKind, Education, ExitForm, GoalForm, IntakeForm, LabourStatus, Sensitive, StepForm,
};
use polku_domain::special::SpecialCategories;
use polku_domain::{text, DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::participants::{
    self as repo, ConsentRow, GoalRow, NoteRow, ParticipantRow, StepRow,
};
use polku_store::projects::{self, ProjectRow, TargetGroup};
use polku_store::users::{self, UserRow};
use polku_store::Conn;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/participants",
            get(super::participant_list::search).post(create),
        )
        .route("/participants/new", get(new))
        .route("/participants/{id}", get(show).post(update))
        .route("/participants/{id}/edit", get(edit))
        .route("/participants/{id}/exit", post(exit))
        .route("/participants/{id}/notes", post(add_note))
        .route("/participants/{id}/goals", post(add_goal))
        .route("/participants/{id}/goals/{goal}/steps", post(add_step))
        .route("/participants/{id}/consents", post(consent))
        .route("/participants/{id}/contacts", post(add_contact))
        .route("/participants/{id}/follow-up", post(follow_up))
}

/// Loads a participant and checks the actor may do `action` on it. Another organisation's
/// participant answers exactly like a missing one, so not even its existence leaks.
/// Handlers call this before they validate anything else.
pub async fn load(
    conn: &mut Conn,
    ctx_actor: &polku_domain::authz::Actor,
    id: i64,
    action: Action,
) -> Result<ParticipantRow, AppError> {
    let row = repo::get(conn, ParticipantId(id)).await?;
    if polku_domain::authz::authorize(ctx_actor, Action::ViewParticipant, Some(OrgId(row.org_id)))
        .is_err()
    {
        return Err(DomainError::NotFound.into());
    }
    polku_domain::authz::authorize(ctx_actor, action, Some(OrgId(row.org_id)))?;
    Ok(row)
}

#[derive(Template)]
#[template(path = "participants/form.html")]
struct IntakePage {
    c: Chrome,
    f: IntakeForm,
    id: Option<i64>,
    version: i64,
    projects: Vec<ProjectRow>,
    groups: Vec<TargetGroup>,
    counsellors: Vec<UserRow>,
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

async fn form_page(
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
    })
}

async fn new(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::CreateParticipant, Some(ctx.actor.org))?;
    let today = polku_domain::dates::format_fi(st.clock.today());
    let f = IntakeForm {
        entry_date: today,
        counsellor_id: ctx.actor.user.to_string(),
        ..Default::default()
    };
    render(&form_page(&st, &ctx, ctx.c.clone(), f, None, 0).await?)
}

/// The project must be one the actor's organisation runs or co-implements, and the target group must belong to it.
async fn check_project(
    conn: &mut Conn,
    org: OrgId,
    intake: &polku_domain::participant::Intake,
) -> Result<(), AppError> {
    let allowed = projects::for_org(conn, org).await?;
    if !allowed.iter().any(|p| p.id == intake.project_id.0) {
        return Err(DomainError::field("project_id", ErrorCode::ChoiceInvalid).into());
    }
    if let Some(tg) = intake.target_group_id {
        if !projects::target_groups(conn, intake.project_id)
            .await?
            .iter()
            .any(|g| g.id == tg.0)
        {
            return Err(DomainError::field("target_group_id", ErrorCode::ChoiceInvalid).into());
        }
    }
    if let Some(cid) = intake.counsellor_id {
        if !users::counsellors(conn, org)
            .await?
            .iter()
            .any(|u| u.id == cid.0)
        {
            return Err(DomainError::field("counsellor_id", ErrorCode::ChoiceInvalid).into());
        }
    }
    Ok(())
}

pub async fn create_participant(
    st: &AppState,
    actor: &polku_domain::authz::Actor,
    f: &IntakeForm,
) -> Result<ParticipantId, AppError> {
    polku_domain::authz::authorize(actor, Action::CreateParticipant, Some(actor.org))?;
    let intake = f.parse(st.clock.today())?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    check_project(&mut tx, actor.org, &intake).await?;
    let id = repo::create(&mut tx, &st.cipher, actor.org, &intake, actor, now).await?;
    Audit::new(Some(actor), now)
        .create(&mut tx, Entity::Participant(id.0), "intake")
        .await?;
    tx.commit().await?;
    Ok(id)
}

async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<IntakeForm>,
) -> Result<Response, AppError> {
    match create_participant(&st, &ctx.actor, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/participants/{id}")).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            unprocessable(&form_page(&st, &ctx, ctx.with_errors(errors), f, None, 0).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "participants/show.html")]
struct Show {
    c: Chrome,
    p: ParticipantRow,
    hetu: String,
    special: Vec<(&'static str, &'static str)>,
    age: i32,
    municipality: String,
    group_name: String,
    verdict: Option<Verdict>,
    consents: Vec<ConsentRow>,
    goals: Vec<GoalRow>,
    steps: Vec<StepRow>,
    notes: Vec<NoteRow>,
    can_edit: bool,
    can_erase: bool,
    can_audit: bool,
    archived: bool,
    /// Consents, the follow-up and the data subject's rights stay open after the project ends.
    can_record: bool,
    exit_statuses: Vec<&'static str>,
    goal_kinds: Vec<&'static str>,
    consent_kinds: Vec<&'static str>,
    today: String,
    services: Vec<polku_store::services::ParticipantServiceRow>,
    contacts: Vec<polku_store::services::ContactRow>,
    contact_kinds: Vec<&'static str>,
    timeline: Vec<TimelineItem>,
    follow_up: Option<polku_store::follow_ups::FollowUpRow>,
}

impl Show {
    fn service_rate(&self, s: &polku_store::services::ParticipantServiceRow) -> String {
        let t = polku_domain::services::AttendanceTally {
            present: s.present,
            absent: s.recorded - s.present,
            excused: 0,
        };
        polku_domain::services::format_rate(t.rate_permille(), self.c.lang_code())
    }
    fn steps_of(&self, goal: &i64) -> Vec<&StepRow> {
        self.steps.iter().filter(|s| s.goal_id == *goal).collect()
    }
    fn consent_state(&self, kind: &&str) -> Option<&ConsentRow> {
        self.consents.iter().find(|c| c.kind == *kind)
    }
}

pub fn facts(p: &ParticipantRow, special: &SpecialCategories) -> Facts {
    let entry = polku_store::parse_date(&p.entry_date);
    let birth = polku_store::parse_date(&p.birth_date);
    Facts {
        age: birth.zip(entry).map(|(b, e)| age_on(b, e)),
        municipality: Some(p.municipality.clone()),
        education: p
            .education
            .as_deref()
            .and_then(|e| Education::parse(e).ok()),
        subsidy_days: p.subsidy_days,
        unemployed_months: p
            .unemployed_since
            .as_deref()
            .and_then(polku_store::parse_date)
            .zip(entry)
            .map(|(s, e)| months_between(s, e)),
        partial_work_ability: special.disability,
        labour_status: p
            .labour_status
            .as_deref()
            .and_then(|s| LabourStatus::parse(s).ok()),
    }
}

/// Everything the participant page shows, read in one transaction that also audits the read.
/// The page and the load benchmark's bare page (`crate::bare`) both use it.
/// Everything shown on a person's page.
pub struct ViewData {
    pub p: ParticipantRow,
    pub hetu: String,
    pub special: SpecialCategories,
    pub group: Option<polku_store::projects::TargetGroup>,
    pub consents: Vec<repo::ConsentRow>,
    pub goals: Vec<repo::GoalRow>,
    pub steps: Vec<repo::StepRow>,
    pub notes: Vec<repo::NoteRow>,
    pub services: Vec<polku_store::services::ParticipantServiceRow>,
    pub contacts: Vec<polku_store::services::ContactRow>,
    pub visits: Vec<(String, String, Option<String>)>,
    pub follow_up: Option<polku_store::follow_ups::FollowUpRow>,
}

pub async fn view_data(
    st: &AppState,
    actor: &polku_domain::authz::Actor,
    id: i64,
) -> Result<ViewData, AppError> {
    let mut tx = st.db.begin().await?;
    let p = load(&mut tx, actor, id, Action::ViewParticipant).await?;
    Audit::new(Some(actor), st.clock.now())
        .read(&mut tx, Entity::Participant(id), "")
        .await?;
    let hetu = repo::hetu(&st.cipher, &p)?.unwrap_or_default();
    let group = projects::target_groups(&mut tx, ProjectId(p.project_id))
        .await?
        .into_iter()
        .find(|g| Some(g.id) == p.target_group_id);
    let pid = ParticipantId(id);
    let data = ViewData {
        hetu,
        special: polku_store::encrypted::special(&mut tx, &st.cipher, pid).await?,
        group,
        consents: repo::consents(&mut tx, pid).await?,
        goals: repo::goals(&mut tx, pid).await?,
        steps: repo::steps(&mut tx, pid).await?,
        notes: repo::notes(&mut tx, pid).await?,
        services: polku_store::services::for_participant(&mut tx, pid).await?,
        contacts: polku_store::services::contacts(&mut tx, pid).await?,
        visits: polku_store::dropin::participant_visits(&mut tx, id).await?,
        follow_up: polku_store::follow_ups::get(&mut tx, pid).await?,
        p,
    };
    tx.commit().await?;
    Ok(data)
}

async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let ViewData {
        p,
        hetu,
        special,
        group,
        consents,
        goals,
        steps,
        notes,
        services,
        contacts,
        visits,
        follow_up,
    } = view_data(&st, &ctx.actor, id).await?;
    let f = facts(&p, &special);
    let verdict = group.as_ref().map(|g| g.rules.evaluate(&f));
    let municipality = polku_domain::validated::Municipality::parse(&p.municipality)
        .map(|m| m.name(ctx.c.lang_code()).to_string())
        .unwrap_or_else(|_| p.municipality.clone());
    let can_record = ctx
        .authorize(Action::EditParticipant, Some(OrgId(p.org_id)))
        .is_ok();
    let can_edit = can_record && !archived(&p, st.clock.today());
    let can_erase = ctx
        .authorize(Action::ErasePersonalData, Some(OrgId(p.org_id)))
        .is_ok();
    let can_audit = ctx
        .authorize(Action::ViewAuditLog, Some(OrgId(p.org_id)))
        .is_ok();
    let timeline = timeline(
        &p,
        TimelineSources {
            notes: &notes,
            goals: &goals,
            consents: &consents,
            contacts: &contacts,
            services: &services,
            visits: &visits,
        },
        &ctx.c,
    );
    render(&Show {
        follow_up,
        services,
        contacts,
        contact_kinds: polku_domain::services::ContactKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect(),
        timeline,
        group_name: group.map(|g| g.name).unwrap_or_default(),
        c: ctx.c,
        hetu,
        special: special_answers(&special),
        age: f.age.unwrap_or_default(),
        municipality,
        verdict,
        consents,
        goals,
        steps,
        notes,
        can_edit,
        can_erase,
        can_audit,
        archived: archived(&p, st.clock.today()),
        can_record,
        exit_statuses: polku_domain::participant::ExitStatus::ALL
            .iter()
            .map(|s| s.as_str())
            .collect(),
        goal_kinds: polku_domain::participant::GoalKind::ALL
            .iter()
            .map(|s| s.as_str())
            .collect(),
        consent_kinds: ConsentKind::ALL.iter().map(|s| s.as_str()).collect(),
        today: polku_domain::dates::format_fi(st.clock.today()),
        p,
    })
}

/// The special-category answers as (field, choice) pairs, for pages and the PDF.
pub fn special_answers(s: &SpecialCategories) -> Vec<(&'static str, &'static str)> {
    vec![
        ("disability", s.disability.as_str()),
        ("foreign_background", s.foreign_background.as_str()),
        ("third_country_national", s.third_country_national.as_str()),
        ("minority", s.minority.as_str()),
        ("homeless", s.homeless.as_str()),
    ]
}

fn intake_form_of(p: &ParticipantRow, hetu: String, special: &SpecialCategories) -> IntakeForm {
    let d = |s: &Option<String>| {
        s.as_deref()
            .and_then(polku_store::parse_date)
            .map(polku_domain::dates::format_fi)
            .unwrap_or_default()
    };
    IntakeForm {
        project_id: p.project_id.to_string(),
        target_group_id: p.target_group_id.map(|v| v.to_string()).unwrap_or_default(),
        first_name: p.first_name.clone(),
        last_name: p.last_name.clone(),
        hetu,
        birth_date: d(&Some(p.birth_date.clone())),
        gender: p.gender.clone().unwrap_or_default(),
        email: p.email.clone().unwrap_or_default(),
        phone: p.phone.clone().unwrap_or_default(),
        municipality: p.municipality.clone(),
        postal_code: p.postal_code.clone().unwrap_or_default(),
        education: p.education.clone().unwrap_or_default(),
        labour_status: p.labour_status.clone().unwrap_or_default(),
        unemployed_since: d(&p.unemployed_since),
        subsidy_days: p.subsidy_days.map(|v| v.to_string()).unwrap_or_default(),
        disability: special.disability.as_str().into(),
        foreign_background: special.foreign_background.as_str().into(),
        third_country_national: special.third_country_national.as_str().into(),
        minority: special.minority.as_str().into(),
        homeless: special.homeless.as_str().into(),
        entry_date: d(&Some(p.entry_date.clone())),
        counsellor_id: p.counsellor_id.map(|v| v.to_string()).unwrap_or_default(),
        consent_data_processing: polku_domain::text::Checkbox(true),
        consent_sensitive_data: polku_domain::text::Checkbox(false),
    }
}

async fn edit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    let p = load_open(&mut tx, &ctx.actor, id, st.clock.today()).await?;
    let special = polku_store::encrypted::special(&mut tx, &st.cipher, ParticipantId(id)).await?;
    Audit::by(&ctx.actor, st.clock.now())
        .read(&mut tx, Entity::Participant(id), "edit form")
        .await?;
    tx.commit().await?;
    let hetu = repo::hetu(&st.cipher, &p)?.unwrap_or_default();
    render(
        &form_page(
            &st,
            &ctx,
            ctx.c.clone(),
            intake_form_of(&p, hetu, &special),
            Some(id),
            p.version,
        )
        .await?,
    )
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct EditForm {
    #[serde(flatten)]
    f: IntakeForm,
    version: String,
}

async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(EditForm { mut f, version }): Form<EditForm>,
) -> Result<Response, AppError> {
    f.consent_data_processing = polku_domain::text::Checkbox(true);
    let version = text::optional_int(&version, 0, i64::MAX)
        .ok()
        .flatten()
        .unwrap_or(0);
    let result = async {
        let mut tx = st.db.begin().await?;
        let p = load_open(&mut tx, &ctx.actor, id, st.clock.today()).await?;
        // The project is fixed at intake; a move between projects is a new participation.
        f.project_id = p.project_id.to_string();
        let intake = f.parse(st.clock.today())?;
        check_project(&mut tx, ctx.actor.org, &intake).await?;
        let now = st.clock.now();
        repo::update(
            &mut tx,
            &st.cipher,
            ParticipantId(id),
            &intake,
            version,
            now,
        )
        .await?;
        Audit::by(&ctx.actor, now)
            .update(&mut tx, Entity::Participant(id), "intake")
            .await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/participants/{id}")).into_response()),
        Err(AppError::Domain(DomainError::Conflict)) => {
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

/// Records the exit (refused on an archived record or a stale version) and schedules the
/// six-month follow-up; pages and the API call this. Returns the participant as saved.
pub async fn exit_participant(
    st: &AppState,
    actor: &polku_domain::authz::Actor,
    id: i64,
    f: &ExitForm,
    via: &str,
) -> Result<ParticipantRow, AppError> {
    let mut tx = st.db.begin().await?;
    let p = load_open(&mut tx, actor, id, st.clock.today()).await?;
    let entry = polku_store::parse_date(&p.entry_date).unwrap_or_default();
    let exit = f.parse(entry)?;
    let now = st.clock.now();
    repo::set_exit(&mut tx, ParticipantId(id), &exit, now).await?;
    polku_store::follow_ups::schedule(&mut tx, ParticipantId(id), exit.date, now).await?;
    Audit::by(actor, now)
        .update(&mut tx, Entity::Participant(id), via)
        .await?;
    let saved = repo::get(&mut tx, ParticipantId(id)).await?;
    tx.commit().await?;
    Ok(saved)
}

async fn exit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ExitForm>,
) -> Result<Response, AppError> {
    exit_participant(&st, &ctx.actor, id, &f, "exit").await?;
    Ok(Redirect::to(&format!("/participants/{id}")).into_response())
}

crate::form!(struct NoteForm { body });

/// [`load`] for a change: after its project has ended, a participant's record is archived and
/// read-only. The six-month follow-up, consents (a withdrawal must always be possible) and
/// erasure stay open.
pub async fn load_open(
    conn: &mut Conn,
    actor: &polku_domain::authz::Actor,
    id: i64,
    today: chrono::NaiveDate,
) -> Result<ParticipantRow, AppError> {
    let p = load(conn, actor, id, Action::EditParticipant).await?;
    if archived(&p, today) {
        return Err(DomainError::field("form", polku_domain::ErrorCode::ProjectArchived).into());
    }
    Ok(p)
}

/// Whether the participant's project ended before `today`.
pub fn archived(p: &ParticipantRow, today: chrono::NaiveDate) -> bool {
    polku_store::parse_date(&p.project_end_date).is_some_and(|end| end < today)
}

/// After the person withdrew consent to processing, nothing new is recorded about them.
fn processing_allowed(p: &ParticipantRow) -> Result<(), DomainError> {
    if p.processing_consent == 1 {
        Ok(())
    } else {
        Err(DomainError::field(
            "form",
            polku_domain::ErrorCode::ConsentWithdrawn,
        ))
    }
}

async fn add_note(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<NoteForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    processing_allowed(&load_open(&mut tx, &ctx.actor, id, st.clock.today()).await?)?;
    let body = text::required(&f.body, 10_000).map_err(|c| DomainError::field("body", c))?;
    let now = st.clock.now();
    let note = repo::add_note(&mut tx, ParticipantId(id), &ctx.actor, &body, now).await?;
    Audit::by(&ctx.actor, now)
        .create(&mut tx, Entity::Note(note), &format!("participant={id}"))
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/participants/{id}#notes")).into_response())
}

async fn add_goal(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<GoalForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    load_open(&mut tx, &ctx.actor, id, st.clock.today()).await?;
    let goal = f.parse()?;
    let now = st.clock.now();
    let gid = repo::add_goal(&mut tx, ParticipantId(id), &goal, now).await?;
    Audit::by(&ctx.actor, now)
        .create(&mut tx, Entity::Goal(gid.0), &format!("participant={id}"))
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/participants/{id}#plan")).into_response())
}

async fn add_step(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, goal)): Path<(i64, i64)>,
    Form(f): Form<StepForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    load_open(&mut tx, &ctx.actor, id, st.clock.today()).await?;
    let step = f.parse()?;
    if repo::goal_owner(&mut tx, GoalId(goal)).await? != ParticipantId(id) {
        return Err(DomainError::NotFound.into());
    }
    let now = st.clock.now();
    let sid = repo::add_step(&mut tx, GoalId(goal), &step).await?;
    Audit::by(&ctx.actor, now)
        .create(&mut tx, Entity::Step(sid.0), &format!("participant={id}"))
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/participants/{id}#plan")).into_response())
}

crate::form!(struct ConsentForm { kind, granted });

async fn consent(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ConsentForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    load(&mut tx, &ctx.actor, id, Action::EditParticipant).await?;
    let kind = ConsentKind::parse(&f.kind).map_err(|c| DomainError::field("kind", c))?;
    let granted = f.granted == "yes";
    let now = st.clock.now();
    repo::record_consent(&mut tx, ParticipantId(id), kind, granted, &ctx.actor, now).await?;
    Audit::by(&ctx.actor, now)
        .update(&mut tx, Entity::Consent(id), kind.as_str())
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/participants/{id}#consents")).into_response())
}

async fn add_contact(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<polku_domain::services::ContactForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    processing_allowed(&load_open(&mut tx, &ctx.actor, id, st.clock.today()).await?)?;
    let contact = f.parse(st.clock.today())?;
    let now = st.clock.now();
    let cid =
        polku_store::services::add_contact(&mut tx, ParticipantId(id), &ctx.actor, &contact, now)
            .await?;
    Audit::by(&ctx.actor, now)
        .create(&mut tx, Entity::Contact(cid), &format!("participant={id}"))
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/participants/{id}#contacts")).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct FollowUpForm {
    status: String,
    improved: Option<String>,
}

/// The six-month follow-up's finding (ESF+ EECR05/EECR06).
async fn follow_up(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<FollowUpForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    load(&mut tx, &ctx.actor, id, Action::EditParticipant).await?;
    let status = polku_domain::participant::ExitStatus::parse(&f.status)
        .map_err(|c| DomainError::field("status", c))?;
    let now = st.clock.now();
    polku_store::follow_ups::record(
        &mut tx,
        ParticipantId(id),
        status,
        f.improved.is_some(),
        &ctx.actor,
        now,
    )
    .await?;
    Audit::by(&ctx.actor, now)
        .update(&mut tx, Entity::FollowUp(id), status.as_str())
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/participants/{id}#follow-up")).into_response())
}
