//! The shared service catalogue, group programmes: sessions, enrolment, waiting list, attendance.

use super::{form_errors, render, unprocessable};
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::authz::Action;
use polku_domain::ids::{OrgId, ParticipantId};
use polku_domain::services::{
    format_rate, Approval, Attendance, AttendanceTally, Channel, OfferedBy, ServiceForm,
    ServiceKind, SessionForm,
};
use polku_domain::{text, DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::orgs::{self, Org};
use polku_store::participants::{self as prepo, ParticipantRow};
use polku_store::projects::{self, ProjectRow};
use polku_store::services::{self as repo, Filter, RosterRow, ServiceRow, SessionRow};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services", get(list).post(create))
        .route("/services/new", get(new))
        .route("/services/{id}", get(show))
        .route("/services/{id}/sessions", post(add_session))
        .route("/services/{id}/enrol", post(enrol))
        .route("/services/{id}/enrolments/{pid}/cancel", post(cancel))
        .route("/services/{id}/approval", post(approval))
        .route("/services/{id}/export", get(export_roster))
        .route(
            "/services/{id}/sessions/{sid}",
            get(attendance_page).post(attendance_save),
        )
}

crate::form!(pub struct ListQuery { pub kind, pub project, pub town, pub q, pub format });

impl ListQuery {
    /// The same filters as a query string, for the download links.
    fn query(&self) -> String {
        let e = crate::error::urlencode;
        format!(
            "kind={}&project={}&town={}&q={}",
            e(&self.kind),
            e(&self.project),
            e(&self.town),
            e(&self.q)
        )
    }
}

#[derive(Template)]
#[template(path = "services/list.html")]
struct List {
    c: Chrome,
    rows: Vec<ServiceRow>,
    f: ListQuery,
    kinds: Vec<&'static str>,
    projects: Vec<ProjectRow>,
    can_add: bool,
}

fn nonempty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(f): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewServices, None)?;
    let filter = Filter {
        kind: nonempty(&f.kind),
        project_id: text::optional_int(&f.project, 1, i64::MAX).unwrap_or(None),
        town: nonempty(&f.town),
        text: nonempty(&f.q),
    };
    let mut conn = st.db.acquire().await?;
    let rows = repo::list(&mut conn, ctx.actor.org, &filter).await?;
    if let Some(format) = crate::export::Format::from_query(&f.format) {
        return crate::export::respond(
            &catalogue_table(&ctx.c, &rows),
            format,
            ctx.c.lang,
            "services",
        );
    }
    let projects = projects::list(&mut conn).await?;
    let can_add = ctx
        .authorize(Action::ManageService, Some(ctx.actor.org))
        .is_ok();
    render(&List {
        c: ctx.c,
        rows,
        f,
        kinds: ServiceKind::ALL.iter().map(|k| k.as_str()).collect(),
        projects,
        can_add,
    })
}

fn catalogue_table(c: &Chrome, rows: &[ServiceRow]) -> polku_reports::Table {
    use crate::export::date_cell as d;
    let headers = [
        "field-name",
        "field-kind",
        "field-project-id",
        "service-organiser",
        "service-provider",
        "field-channel",
        "field-town",
        "field-capacity",
        "service-enrolled",
        "service-waiting-count",
        "field-starts-on",
        "field-ends-on",
        "status",
    ];
    crate::export::table(c, "nav-services", &headers, rows, |s| {
        vec![
            s.name.as_str().into(),
            c.choice("service-kind", &s.kind).into(),
            s.project_code.clone().into(),
            s.org_name.as_str().into(),
            s.provider_name.as_str().into(),
            c.choice("channel", &s.channel).into(),
            s.town.clone().into(),
            s.capacity.into(),
            s.enrolled_count.into(),
            s.waiting_count.into(),
            d(s.starts_on.as_deref()),
            d(s.ends_on.as_deref()),
            c.choice("approval", &s.approval).into(),
        ]
    })
}

#[derive(Template)]
#[template(path = "services/form.html")]
struct Edit {
    c: Chrome,
    f: ServiceForm,
    provider_org_id: String,
    /// (id, "CODE: name") of the target groups of the organisation's projects.
    groups: Vec<(i64, String)>,
    ticked: Vec<String>,
    projects: Vec<ProjectRow>,
    orgs: Vec<Org>,
    participants: Vec<ParticipantRow>,
    kinds: Vec<&'static str>,
    channels: Vec<&'static str>,
    offered: Vec<&'static str>,
}

impl Edit {
    fn is_ticked(&self, id: &i64) -> bool {
        self.ticked.contains(&id.to_string())
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CreateForm {
    #[serde(flatten)]
    f: ServiceForm,
    provider_org_id: String,
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    c: Chrome,
    f: ServiceForm,
    provider_org_id: String,
    ticked: Vec<String>,
) -> Result<Edit, AppError> {
    let mut conn = st.db.acquire().await?;
    let projects = projects::for_org(&mut conn, ctx.actor.org).await?;
    let codes: std::collections::HashMap<i64, &str> =
        projects.iter().map(|p| (p.id, p.code.as_str())).collect();
    let groups = projects::target_groups_for_org(&mut conn, ctx.actor.org)
        .await?
        .into_iter()
        .map(|g| {
            (
                g.id,
                format!(
                    "{}: {}",
                    codes.get(&g.project_id).copied().unwrap_or(""),
                    g.name
                ),
            )
        })
        .collect();
    Ok(Edit {
        c,
        f,
        provider_org_id,
        groups,
        ticked,
        projects,
        orgs: orgs::list(&mut conn).await?,
        // Participants who can propose a module: the organisation's active ones.
        participants: prepo::search(&mut conn, &st.cipher, ctx.actor.org, "", None, 500)
            .await?
            .into_iter()
            .filter(|p| p.exit_date.is_none())
            .collect(),
        kinds: ServiceKind::ALL.iter().map(|k| k.as_str()).collect(),
        channels: Channel::ALL.iter().map(|k| k.as_str()).collect(),
        offered: OfferedBy::ALL.iter().map(|k| k.as_str()).collect(),
    })
}

async fn new(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageService, Some(ctx.actor.org))?;
    let f = ServiceForm {
        languages: "fi".into(),
        ..Default::default()
    };
    render(
        &edit_page(
            &st,
            &ctx,
            ctx.c.clone(),
            f,
            ctx.actor.org.to_string(),
            vec![],
        )
        .await?,
    )
}

/// The form's fields, and the target groups ticked (`tg=<id>`, repeated).
fn parse_create(body: &[u8]) -> (CreateForm, Vec<String>) {
    let form = serde_urlencoded::from_bytes::<CreateForm>(body).unwrap_or_default();
    let groups = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k == "tg")
        .map(|(_, v)| v)
        .collect();
    (form, groups)
}

async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageService, Some(ctx.actor.org))?;
    let (CreateForm { f, provider_org_id }, tg) = parse_create(&body);
    let result = async {
        let d = f.parse()?;
        let provider = text::optional_int(&provider_org_id, 1, i64::MAX)
            .map_err(|c| DomainError::field("provider_org_id", c))?
            .map_or(ctx.actor.org, OrgId);
        let mut tx = st.db.begin().await?;
        orgs::get(&mut tx, provider)
            .await
            .map_err(|_| DomainError::field("provider_org_id", ErrorCode::ChoiceInvalid))?;
        if let Some(p) = d.project_id {
            if !projects::for_org(&mut tx, ctx.actor.org)
                .await?
                .iter()
                .any(|x| x.id == p)
            {
                return Err(DomainError::field("project_id", ErrorCode::ChoiceInvalid).into());
            }
        }
        if let Some(pid) = d.proposed_by_participant_id {
            // The proposer must be one of our own participants.
            super::participants::load(&mut tx, &ctx.actor, pid, Action::EditParticipant)
                .await
                .map_err(|_| {
                    DomainError::field("proposed_by_participant_id", ErrorCode::ChoiceInvalid)
                })?;
        }
        let mut groups = vec![];
        for g in &tg {
            let gid = text::optional_int(g, 1, i64::MAX)
                .ok()
                .flatten()
                .ok_or_else(|| DomainError::field("target_groups", ErrorCode::ChoiceInvalid))?;
            // Only the groups of the service's own project.
            let allowed = match d.project_id {
                Some(p) => projects::target_groups(&mut tx, polku_domain::ids::ProjectId(p))
                    .await?
                    .iter()
                    .any(|x| x.id == gid),
                None => false,
            };
            if !allowed {
                return Err(DomainError::field("target_groups", ErrorCode::ChoiceInvalid).into());
            }
            groups.push(gid);
        }
        let id = repo::create(&mut tx, ctx.actor.org, provider, &d, st.clock.now()).await?;
        repo::set_target_groups(&mut tx, id, &groups).await?;
        Audit::by(&ctx.actor, st.clock.now())
            .create(&mut tx, Entity::Service(id), d.kind.as_str())
            .await?;
        tx.commit().await?;
        Ok::<_, AppError>(id)
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/services/{id}")).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            unprocessable(
                &edit_page(&st, &ctx, ctx.with_errors(errors), f, provider_org_id, tg).await?,
            )
        }
    }
}

/// One roster line with the person's attendance.
pub struct RosterLine {
    pub r: RosterRow,
    pub tally: AttendanceTally,
    pub rate: String,
}

#[derive(Template)]
#[template(path = "services/show.html")]
struct Show {
    c: Chrome,
    s: ServiceRow,
    sessions: Vec<SessionRow>,
    roster: Vec<RosterLine>,
    group_rate: String,
    group_tally: AttendanceTally,
    candidates: Vec<ParticipantRow>,
    organiser: bool,
    can_approve: bool,
    full: bool,
    proposer: String,
    target_groups: Vec<(i64, String)>,
}

fn tallies(marks: &[(i64, i64, String)]) -> (HashMap<i64, AttendanceTally>, AttendanceTally) {
    let mut per = HashMap::new();
    let mut all = AttendanceTally::default();
    for (_, pid, status) in marks {
        if let Ok(a) = Attendance::parse(status) {
            per.entry(*pid)
                .or_insert_with(AttendanceTally::default)
                .add(a);
            all.add(a);
        }
    }
    (per, all)
}

async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewServices, None)?;
    let mut tx = st.db.begin().await?;
    let s = repo::get(&mut tx, id).await?;
    let organiser = ctx
        .authorize(Action::EditParticipant, Some(OrgId(s.org_id)))
        .is_ok();
    if s.approval != Approval::Approved.as_str() && !organiser {
        return Err(DomainError::NotFound.into());
    }
    let sessions = repo::sessions(&mut tx, id).await?;
    let target_groups = repo::target_groups(&mut tx, id).await?;
    let lang = ctx.c.lang_code();
    // Names and attendance are personal data: only the organising organisation sees them.
    let (roster, group_tally, candidates, proposer) = if organiser {
        let marks = repo::attendance(&mut tx, id).await?;
        let (per, all) = tallies(&marks);
        let roster = repo::roster(&mut tx, id)
            .await?
            .into_iter()
            .map(|r| {
                let tally = per.get(&r.participant_id).copied().unwrap_or_default();
                RosterLine {
                    rate: format_rate(tally.rate_permille(), lang),
                    tally,
                    r,
                }
            })
            .collect::<Vec<_>>();
        let on_roster: Vec<i64> = roster.iter().map(|l| l.r.participant_id).collect();
        let candidates = prepo::search(&mut tx, &st.cipher, ctx.actor.org, "", s.project_id, 500)
            .await?
            .into_iter()
            .filter(|p| p.exit_date.is_none() && !on_roster.contains(&p.id))
            .collect();
        let proposer = match s.proposed_by_participant_id {
            Some(p) => prepo::get(&mut tx, ParticipantId(p))
                .await
                .map(|p| format!("{} {}", p.first_name, p.last_name))
                .unwrap_or_default(),
            None => String::new(),
        };
        Audit::by(&ctx.actor, st.clock.now())
            .read(&mut tx, Entity::ServiceRoster(id), "")
            .await?;
        (roster, all, candidates, proposer)
    } else {
        (vec![], AttendanceTally::default(), vec![], String::new())
    };
    tx.commit().await?;
    let can_approve = s.approval == Approval::Pending.as_str()
        && ctx
            .authorize(Action::ApproveService, Some(OrgId(s.org_id)))
            .is_ok();
    let full = s.capacity.is_some_and(|c| s.enrolled_count >= c);
    render(&Show {
        group_rate: format_rate(group_tally.rate_permille(), lang),
        c: ctx.c,
        s,
        sessions,
        roster,
        group_tally,
        candidates,
        organiser,
        can_approve,
        full,
        proposer,
        target_groups,
    })
}

/// Loads a service the actor's organisation organises.
async fn organised(
    conn: &mut polku_store::Conn,
    actor: &polku_domain::authz::Actor,
    id: i64,
) -> Result<ServiceRow, AppError> {
    let s = repo::get(conn, id).await?;
    if polku_domain::authz::authorize(actor, Action::EditParticipant, Some(OrgId(s.org_id)))
        .is_err()
    {
        // Other organisations may see an approved entry, but not change it.
        return Err(if s.approval == Approval::Approved.as_str() {
            DomainError::Forbidden
        } else {
            DomainError::NotFound
        }
        .into());
    }
    Ok(s)
}

async fn add_session(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<SessionForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    organised(&mut tx, &ctx.actor, id).await?;
    let d = f.parse()?;
    let sid = repo::add_session(&mut tx, id, &d).await?;
    Audit::by(&ctx.actor, st.clock.now())
        .create(&mut tx, Entity::Session(sid), &format!("service={id}"))
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/services/{id}#sessions")).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct EnrolForm {
    participant_id: String,
    waitlist: Option<String>,
}

async fn enrol(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<EnrolForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    let s = organised(&mut tx, &ctx.actor, id).await?;
    if s.approval != Approval::Approved.as_str() {
        return Err(DomainError::field("rule", ErrorCode::NotApproved).into());
    }
    let pid = text::optional_int(&f.participant_id, 1, i64::MAX)
        .ok()
        .flatten()
        .ok_or_else(|| DomainError::field("participant_id", ErrorCode::Required))?;
    super::participants::load(&mut tx, &ctx.actor, pid, Action::EditParticipant).await?;
    let now = st.clock.now();
    let status = repo::enrol(&mut tx, id, ParticipantId(pid), f.waitlist.is_some(), now).await?;
    Audit::by(&ctx.actor, now)
        .create(
            &mut tx,
            Entity::Enrolment(pid),
            &format!("service={id} {}", status.as_str()),
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/services/{id}#roster")).into_response())
}

async fn cancel(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, pid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    organised(&mut tx, &ctx.actor, id).await?;
    super::participants::load(&mut tx, &ctx.actor, pid, Action::EditParticipant).await?;
    let now = st.clock.now();
    let promoted = repo::cancel(&mut tx, id, ParticipantId(pid), now).await?;
    Audit::by(&ctx.actor, now)
        .update(
            &mut tx,
            Entity::Enrolment(pid),
            &format!("service={id} cancelled"),
        )
        .await?;
    if let Some(p) = promoted {
        Audit::by(&ctx.actor, now)
            .update(
                &mut tx,
                Entity::Enrolment(p),
                &format!("service={id} promoted from waiting list"),
            )
            .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/services/{id}#roster")).into_response())
}

crate::form!(struct ApprovalForm { decision });

async fn approval(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ApprovalForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    let s = organised(&mut tx, &ctx.actor, id).await?;
    ctx.authorize(Action::ApproveService, Some(OrgId(s.org_id)))?;
    let decision = match Approval::parse(&f.decision) {
        Ok(a @ (Approval::Approved | Approval::Rejected)) => a,
        _ => return Err(DomainError::field("decision", ErrorCode::ChoiceInvalid).into()),
    };
    repo::set_approval(&mut tx, id, decision, st.clock.now()).await?;
    Audit::by(&ctx.actor, st.clock.now())
        .update(&mut tx, Entity::Service(id), decision.as_str())
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/services/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "services/attendance.html")]
struct AttendancePage {
    c: Chrome,
    s: ServiceRow,
    session: SessionRow,
    lines: Vec<(RosterRow, String)>,
    options: Vec<&'static str>,
}

/// A session's roster with each person's mark, read in one transaction that audits the read.
/// The page and the load benchmark's bare page (`crate::bare`) both use it.
pub async fn attendance_data(
    st: &AppState,
    actor: &polku_domain::authz::Actor,
    id: i64,
    sid: i64,
) -> Result<(ServiceRow, SessionRow, Vec<(RosterRow, String)>), AppError> {
    let mut tx = st.db.begin().await?;
    let s = organised(&mut tx, actor, id).await?;
    let session = repo::session(&mut tx, sid).await?;
    if session.service_id != id {
        return Err(DomainError::NotFound.into());
    }
    let marks: HashMap<i64, String> = repo::attendance(&mut tx, id)
        .await?
        .into_iter()
        .filter(|(s, _, _)| *s == sid)
        .map(|(_, p, st)| (p, st))
        .collect();
    let lines = repo::roster(&mut tx, id)
        .await?
        .into_iter()
        .filter(|r| r.status == "enrolled")
        .map(|r| {
            let m = marks.get(&r.participant_id).cloned().unwrap_or_default();
            (r, m)
        })
        .collect();
    Audit::new(Some(actor), st.clock.now())
        .read(&mut tx, Entity::Attendance(sid), "")
        .await?;
    tx.commit().await?;
    Ok((s, session, lines))
}

async fn attendance_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (s, session, lines) = attendance_data(&st, &ctx.actor, id, sid).await?;
    render(&AttendancePage {
        c: ctx.c,
        s,
        session,
        lines,
        options: Attendance::ALL.iter().map(|a| a.as_str()).collect(),
    })
}

/// The attendance form posts `a_<participant id>=present|absent|excused` for each enrolled person.
async fn attendance_save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(i64, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    organised(&mut tx, &ctx.actor, id).await?;
    let session = repo::session(&mut tx, sid).await?;
    if session.service_id != id {
        return Err(DomainError::NotFound.into());
    }
    let enrolled: Vec<i64> = repo::roster(&mut tx, id)
        .await?
        .into_iter()
        .filter(|r| r.status == "enrolled")
        .map(|r| r.participant_id)
        .collect();
    let now = st.clock.now();
    let mut n = 0;
    for (k, v) in &f {
        let Some(pid) = k.strip_prefix("a_").and_then(|p| p.parse::<i64>().ok()) else {
            continue;
        };
        if v.is_empty() {
            continue;
        }
        if !enrolled.contains(&pid) {
            return Err(DomainError::field("participant_id", ErrorCode::ChoiceInvalid).into());
        }
        let a = Attendance::parse(v).map_err(|c| DomainError::field("attendance", c))?;
        repo::record_attendance(&mut tx, sid, pid, a, &ctx.actor, now).await?;
        n += 1;
    }
    Audit::by(&ctx.actor, now)
        .update(&mut tx, Entity::Attendance(sid), &format!("marks={n}"))
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/services/{id}#roster")).into_response())
}

/// Roster with each person's attendance counts and rate, and the group's in the last row.
async fn export_roster(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<crate::export::FormatQuery>,
) -> Result<Response, AppError> {
    use polku_reports::Cell;
    let mut tx = st.db.begin().await?;
    let s = organised(&mut tx, &ctx.actor, id).await?;
    let format = crate::export::Format::from_query(&q.format)
        .ok_or_else(|| DomainError::field("format", ErrorCode::ChoiceInvalid))?;
    let (per, all) = tallies(&repo::attendance(&mut tx, id).await?);
    let roster = repo::roster(&mut tx, id).await?;
    Audit::by(&ctx.actor, st.clock.now())
        .export(
            &mut tx,
            Entity::ServiceRoster(id),
            &format!("rows={}", roster.len()),
        )
        .await?;
    tx.commit().await?;
    let c = &ctx.c;
    let line = |name: Cell, status: Cell, t: &AttendanceTally| {
        vec![
            name,
            status,
            t.present.into(),
            t.absent.into(),
            t.excused.into(),
            t.rate_permille().map_or(Cell::Empty, Cell::Permille),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = roster
        .iter()
        .map(|r| {
            line(
                format!("{}, {}", r.last_name, r.first_name).into(),
                c.choice("enrolment", &r.status).into(),
                &per.get(&r.participant_id).copied().unwrap_or_default(),
            )
        })
        .collect();
    rows.push(line(c.t("attendance-group-rate").into(), Cell::Empty, &all));
    let table = polku_reports::Table {
        title: s.name.clone(),
        headers: [
            "participant-name",
            "status",
            "choice-attendance-present",
            "choice-attendance-absent",
            "choice-attendance-excused",
            "attendance-rate",
        ]
        .iter()
        .map(|k| c.t(k))
        .collect(),
        rows,
    };
    crate::export::respond(&table, format, ctx.c.lang, &format!("attendance-{id}"))
}
