//! Marking attendance at a session.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::names::{told_apart, Named};
use crate::reshown::{saved_or_again as again, Reshown};
use crate::submitted::Submitted;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use polku_domain::ids::ParticipantId;
use polku_domain::services::Attendance;
use polku_store::services::{RosterRow, ServiceRow, SessionRow};
use polku_usecases::services::{self as uc, Marked, SessionRoster};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "services/attendance.html")]
struct AttendancePage {
    c: Chrome,
    s: ServiceRow,
    session: SessionRow,
    lines: Vec<(RosterRow, String)>,
    names: HashMap<ParticipantId, String>,
    options: Vec<&'static str>,
    again: Reshown,
}

impl AttendancePage {
    fn name(&self, r: &RosterRow) -> &str {
        self.names.get(&r.participant_id).map_or("", |n| n.as_str())
    }
    /// The person's mark as the form shows it: as sent in a refused form, else as stored.
    fn marked(&self, r: &RosterRow, stored: &str, option: &str) -> bool {
        let field = format!("a_{}", r.participant_id);
        self.again.typed("attendance", &field, stored) == option
    }
}

pub(super) async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    page(&st, ctx, (id, sid), Reshown::default()).await
}

/// The session's roster with each person's mark; with a refused save, the marks as sent and
/// why (422).
async fn page(
    st: &AppState,
    ctx: Ctx,
    (id, sid): (i64, i64),
    again: Reshown,
) -> Result<Response, AppError> {
    let SessionRoster { s, session, lines } = uc::session_roster(st, &ctx.actor, id, sid).await?;
    let names = told_apart(lines.iter().map(|(r, _)| Named::from(r)), &ctx.c);
    let page = AttendancePage {
        c: again.chrome(&ctx),
        s,
        session,
        lines,
        names,
        options: Attendance::ALL.iter().map(|a| a.as_str()).collect(),
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

/// The attendance form posts `a_<participant id>=present|absent|excused` for each person marked,
/// and `rest=present` from the button that marks everyone else present. After the save, on to
/// the group's next session still unmarked, if there is one.
pub(super) async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(i64, i64)>,
    f: Submitted<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let rest = f
        .form
        .iter()
        .find(|(k, _)| k == "rest")
        .and_then(|(_, v)| Attendance::parse(v).ok());
    let marks: Vec<(i64, String)> = f
        .form
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("a_")?.parse().ok()?, v.clone())))
        .collect();
    let r = uc::mark_attendance(&st, &ctx.actor, id, sid, &marks, rest).await;
    let to = move |m: &Marked| match m.next_unmarked {
        Some(next) => format!("/services/{id}/sessions/{next}"),
        None => format!("/services/{id}#roster"),
    };
    again(
        r,
        (to, &ctx.session.clone()),
        ("attendance", f.typed),
        |a| page(&st, ctx, (id, sid), a),
    )
    .await
}
