//! Attendance at a group's sessions.

use super::organised;
use crate::{Error, Polku, Result};
use polku_domain::authz::Actor;
use polku_domain::ids::{ParticipantId, SessionId};
use polku_domain::services::Attendance;
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::services::{self as repo, RosterRow, ServiceRow, SessionRow};
use polku_store::Conn;
use std::collections::HashMap;

/// A session's enrolled people, each with their mark (empty when not marked).
pub struct SessionRoster {
    pub s: ServiceRow,
    pub session: SessionRow,
    pub lines: Vec<(RosterRow, String)>,
}

/// The session, if it belongs to the service.
async fn session_of(conn: &mut Conn, id: i64, sid: i64) -> Result<SessionRow> {
    let session = repo::session(conn, sid).await?;
    if session.service_id.0 != id {
        return Err(DomainError::NotFound.into());
    }
    Ok(session)
}

async fn enrolled(conn: &mut Conn, id: i64) -> Result<Vec<RosterRow>> {
    Ok(repo::roster(conn, id)
        .await?
        .into_iter()
        .filter(|r| r.status == "enrolled")
        .collect())
}

/// A session's roster with each person's mark, read in one transaction that audits the read.
/// The page and the load benchmark's bare page both use it.
#[tracing::instrument(skip_all, fields(service = id, session = sid))]
pub async fn session_roster(
    app: &Polku,
    actor: &Actor,
    id: i64,
    sid: i64,
) -> Result<SessionRoster> {
    let mut tx = app.db.begin().await?;
    let s = organised(&mut tx, actor, id).await?;
    let session = session_of(&mut tx, id, sid).await?;
    let marks: HashMap<ParticipantId, Attendance> = repo::attendance(&mut tx, id)
        .await?
        .into_iter()
        .filter(|m| m.session_id.0 == sid)
        .map(|m| (m.participant_id, m.status))
        .collect();
    let lines = enrolled(&mut tx, id)
        .await?
        .into_iter()
        .map(|r| {
            let m = marks
                .get(&r.participant_id)
                .map_or(String::new(), |a| a.as_str().to_string());
            (r, m)
        })
        .collect();
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Attendance(sid), "")
        .await?;
    tx.commit().await?;
    Ok(SessionRoster { s, session, lines })
}

/// What marking a session did: how many marks were saved, and the group's earliest session
/// that has begun by today and is still unmarked, where the counsellor goes next.
pub struct Marked {
    pub saved: usize,
    pub next_unmarked: Option<SessionId>,
}

/// Records marks for a session: (participant id, present|absent|excused). Everyone marked must
/// be enrolled; with `rest`, everyone enrolled whom the marks leave out gets that mark ("all
/// present, then the exceptions").
#[tracing::instrument(skip_all, fields(service = id, session = sid))]
pub async fn mark_attendance(
    app: &Polku,
    actor: &Actor,
    id: i64,
    sid: i64,
    marks: &[(i64, String)],
    rest: Option<Attendance>,
) -> Result<Marked> {
    let mut tx = app.db.begin().await?;
    organised(&mut tx, actor, id).await?;
    session_of(&mut tx, id, sid).await?;
    let enrolled: Vec<i64> = enrolled(&mut tx, id)
        .await?
        .iter()
        .map(|r| r.participant_id.0)
        .collect();
    let now = app.clock.now();
    let mut n = 0;
    for (pid, mark) in marks.iter().filter(|(_, m)| !m.is_empty()) {
        if !enrolled.contains(pid) {
            return Err(Error::field("participant_id", ErrorCode::ChoiceInvalid));
        }
        let a = Attendance::parse(mark).map_err(|c| Error::field("attendance", c))?;
        repo::record_attendance(&mut tx, sid, *pid, a, actor, now).await?;
        n += 1;
    }
    if let Some(a) = rest {
        let marked = |pid: &i64| marks.iter().any(|(p, m)| p == pid && !m.is_empty());
        for pid in enrolled.iter().filter(|p| !marked(p)) {
            repo::record_attendance(&mut tx, sid, *pid, a, actor, now).await?;
            n += 1;
        }
    }
    Audit::by(actor, now)
        .update(&mut tx, Entity::Attendance(sid), &format!("marks={n}"))
        .await?;
    let today = app.clock.today();
    let next_unmarked = repo::sessions(&mut tx, id)
        .await?
        .into_iter()
        .find(|s| s.marked == 0 && s.id.0 != sid && s.starts_at.date() <= today)
        .map(|s| s.id);
    tx.commit().await?;
    Ok(Marked {
        saved: n,
        next_unmarked,
    })
}
