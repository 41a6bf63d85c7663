//! The shared service catalogue and group programmes: sessions, enrolment and the waiting
//! list, attendance.

mod attendance;
mod catalogue;
mod programme;

pub use attendance::{mark_attendance, session_roster, Marked, SessionRoster};
pub use catalogue::{create, decide_approval, list, NewService};
pub use programme::{
    add_session, cancel_enrolment, enrol, roster_export, show, RosterLine, ServiceView,
};

use crate::Result;
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::ParticipantId;
use polku_domain::services::{Approval, AttendanceTally};
use polku_domain::DomainError;
use polku_store::services::{self as repo, MarkRow, ServiceRow};
use polku_store::Conn;
use std::collections::HashMap;

/// Loads a service the actor's organisation organises. Other organisations may see an
/// approved entry, but not change it; an unapproved one is not theirs to know of. A partner's
/// staff run their own groups (sessions, attendance) for the people referred to them.
pub async fn organised(conn: &mut Conn, actor: &Actor, id: i64) -> Result<ServiceRow> {
    let s = repo::get(conn, id).await?;
    if authorize(actor, Action::ManageService, Some(s.org_id)).is_err() {
        return Err(if s.approval == Approval::Approved {
            DomainError::Forbidden
        } else {
            DomainError::NotFound
        }
        .into());
    }
    Ok(s)
}

/// Attendance counts per participant and for the whole group.
pub fn tallies(marks: &[MarkRow]) -> (HashMap<ParticipantId, AttendanceTally>, AttendanceTally) {
    let mut per = HashMap::new();
    let mut all = AttendanceTally::default();
    for m in marks {
        per.entry(m.participant_id)
            .or_insert_with(AttendanceTally::default)
            .add(m.status);
        all.add(m.status);
    }
    (per, all)
}
