//! Marking attendance at a session.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use polku_domain::services::Attendance;
use polku_store::services::{RosterRow, ServiceRow, SessionRow};
use polku_usecases::services::{self as uc, SessionRoster};

#[derive(Template)]
#[template(path = "services/attendance.html")]
struct AttendancePage {
    c: Chrome,
    s: ServiceRow,
    session: SessionRow,
    lines: Vec<(RosterRow, String)>,
    options: Vec<&'static str>,
}

pub(super) async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let SessionRoster { s, session, lines } = uc::session_roster(&st, &ctx.actor, id, sid).await?;
    render(&AttendancePage {
        c: ctx.c,
        s,
        session,
        lines,
        options: Attendance::ALL.iter().map(|a| a.as_str()).collect(),
    })
}

/// The attendance form posts `a_<participant id>=present|absent|excused` for each person marked,
/// and `rest=present` from the button that marks everyone else present.
pub(super) async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(i64, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let rest = f
        .iter()
        .find(|(k, _)| k == "rest")
        .and_then(|(_, v)| Attendance::parse(v).ok());
    let marks: Vec<(i64, String)> = f
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("a_")?.parse().ok()?, v)))
        .collect();
    uc::mark_attendance(&st, &ctx.actor, id, sid, &marks, rest).await?;
    crate::ctx::flash(&ctx.session, "saved").await?;
    Ok(Redirect::to(&format!("/services/{id}#roster")).into_response())
}
