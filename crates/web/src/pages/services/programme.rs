//! A group programme's page: sessions, enrolment and the waiting list, approval, the roster
//! download.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::names::{told_apart, Named};
use crate::reshown::{saved_or_again as again, Reshown};
use crate::submitted::Submitted;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use polku_domain::ids::ParticipantId;
use polku_domain::services::{format_rate, AttendanceTally, SessionForm};
use polku_store::participants::ParticipantRow;
use polku_store::services::{ServiceRow, SessionRow};
use polku_usecases::services::{self as uc, RosterLine, ServiceView};
use std::collections::HashMap;

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
    /// Names on the roster and among the candidates, namesakes told apart.
    names: HashMap<ParticipantId, String>,
    again: Reshown,
}

impl Show {
    fn name(&self, id: &ParticipantId) -> &str {
        self.names.get(id).map_or("", |n| n.as_str())
    }
    fn rate(&self, t: &AttendanceTally) -> String {
        format_rate(t.rate_permille(), self.c.lang_code())
    }
}

fresh_page!(pub(super) show => page);

/// The group's page; with a refused form, that form shown again in place (422).
async fn page(st: &AppState, ctx: Ctx, id: i64, again: Reshown) -> Result<Response, AppError> {
    let v: ServiceView = uc::show(st, &ctx.actor, id).await?;
    let mut names = told_apart(v.roster.iter().map(|l| Named::from(&l.r)), &ctx.c);
    names.extend(told_apart(v.candidates.iter().map(Named::from), &ctx.c));
    let show = Show {
        names,
        group_rate: format_rate(v.group_tally.rate_permille(), ctx.c.lang_code()),
        c: again.chrome(&ctx),
        full: v.s.capacity.is_some_and(|c| v.s.enrolled_count >= c),
        s: v.s,
        sessions: v.sessions,
        roster: v.roster,
        group_tally: v.group_tally,
        candidates: v.candidates,
        organiser: v.organiser,
        can_approve: v.can_approve,
        proposer: v.proposer,
        target_groups: v.target_groups,
        again,
    };
    crate::pages::shown(&show, show.again.is_refused())
}

fn back(id: i64, section: &str) -> Response {
    Redirect::to(&format!("/services/{id}{section}")).into_response()
}

pub(super) async fn add_session(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<SessionForm>,
) -> Result<Response, AppError> {
    let r = uc::add_session(&st, &ctx.actor, id, &s.form).await;
    let to = format!("/services/{id}#sessions");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("session", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct EnrolForm {
    participant_id: String,
    waitlist: Option<String>,
}

pub(super) async fn enrol(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<EnrolForm>,
) -> Result<Response, AppError> {
    let pid = crate::submitted::chosen_id(&s.form.participant_id).map(ParticipantId);
    let r = uc::enrol(&st, &ctx.actor, id, pid, s.form.waitlist.is_some()).await;
    let to = format!("/services/{id}#roster");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("enrol", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

pub(super) async fn cancel(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, pid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    uc::cancel_enrolment(&st, &ctx.actor, id, ParticipantId(pid)).await?;
    Ok(back(id, "#roster"))
}

crate::form!(pub(super) struct ApprovalForm { decision });

pub(super) async fn approval(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ApprovalForm>,
) -> Result<Response, AppError> {
    uc::decide_approval(&st, &ctx.actor, id, &f.decision).await?;
    Ok(back(id, ""))
}

/// Roster with each person's attendance counts and rate, and the group's in the last row.
pub(super) async fn export_roster(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<crate::export::FormatQuery>,
) -> Result<Response, AppError> {
    use polku_reports::Cell;
    let format = crate::export::Format::from_query(&q.format);
    let (format, s, roster, all) = uc::roster_export(&st, &ctx.actor, id, format).await?;
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
        .map(|l| {
            line(
                format!("{}, {}", l.r.last_name, l.r.first_name).into(),
                c.choice("enrolment", &l.r.status).into(),
                &l.tally,
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
