//! The shared service catalogue and group programmes: sessions, enrolment and the waiting
//! list, attendance.

mod attendance;
mod catalogue;
mod programme;

pub use attendance::{mark_attendance, session_roster, SessionRoster};
pub use catalogue::{create, decide_approval, list, NewService};
pub use programme::{
    add_session, cancel_enrolment, enrol, roster_export, show, RosterLine, ServiceView,
};

use crate::Result;
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::OrgId;
use polku_domain::services::{Approval, Attendance, AttendanceTally};
use polku_domain::DomainError;
use polku_store::services::{self as repo, ServiceRow};
use polku_store::Conn;
use std::collections::HashMap;

/// Loads a service the actor's organisation organises. Other organisations may see an
/// approved entry, but not change it; an unapproved one is not theirs to know of.
pub async fn organised(conn: &mut Conn, actor: &Actor, id: i64) -> Result<ServiceRow> {
    let s = repo::get(conn, id).await?;
    if authorize(actor, Action::EditParticipant, Some(OrgId(s.org_id))).is_err() {
        return Err(if s.approval == Approval::Approved.as_str() {
            DomainError::Forbidden
        } else {
            DomainError::NotFound
        }
        .into());
    }
    Ok(s)
}

/// Attendance counts per participant and for the whole group, from (session, participant,
/// mark) rows.
pub fn tallies(marks: &[(i64, i64, String)]) -> (HashMap<i64, AttendanceTally>, AttendanceTally) {
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
