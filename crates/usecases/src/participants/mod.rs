//! A participant's record: intake and edit, the plan and what is written about them, exit.

mod exit;
mod intake;
mod plan;
mod record;
mod referred;
mod rights;
mod search;

pub use exit::exit;
pub(crate) use exit::record as record_exit;
pub(crate) use intake::intake_in;
pub use intake::{edit_form, intake, update, EditForm};
pub use plan::{
    add_contact, add_goal, add_note, add_step, contacts, notes, record_consent, record_follow_up,
};
pub(crate) use record::gather;
pub use record::{view, ViewData};
pub use referred::{record_referred_by, referred_by};
pub use rights::{access, erase, handle_request, Access};
pub use search::{export, get, search, ExportCursor, Record, Search};

use crate::{Error, Result};
use chrono::NaiveDate;
use polku_domain::authz::{authorize_participant, Action, Actor, Role};
use polku_domain::ids::ParticipantId;
use polku_domain::{DomainError, ErrorCode};
use polku_store::participants::{self as repo, ParticipantRow};
use polku_store::Conn;

/// Loads a participant and checks the actor may do `action` on it. Another organisation's
/// participant answers exactly like a missing one, so not even its existence leaks.
/// Use cases call this before they validate anything else.
pub async fn load(
    conn: &mut Conn,
    actor: &Actor,
    id: ParticipantId,
    action: Action,
) -> Result<ParticipantRow> {
    let row = repo::get(conn, id).await?;
    // Only partner staff need the look-up: they reach a person through a referral alone.
    let referred_here = actor.role == Role::PartnerStaff
        && polku_store::referrals::reached_through(conn, id, actor.org).await?;
    let may = |a| authorize_participant(actor, a, row.org_id, referred_here);
    if may(Action::ViewParticipant).is_err() {
        return Err(DomainError::NotFound.into());
    }
    may(action)?;
    Ok(row)
}

/// [`load`] for a change: after its project has ended, a participant's record is archived and
/// read-only. The six-month follow-up, consents (a withdrawal must always be possible) and
/// erasure stay open.
pub async fn load_open(
    conn: &mut Conn,
    actor: &Actor,
    id: ParticipantId,
    today: NaiveDate,
) -> Result<ParticipantRow> {
    let p = load(conn, actor, id, Action::EditParticipant).await?;
    if archived(&p, today) {
        return Err(Error::field("form", ErrorCode::ProjectArchived));
    }
    Ok(p)
}

/// Whether the participant's project ended before `today`.
pub fn archived(p: &ParticipantRow, today: NaiveDate) -> bool {
    p.project_end_date < today
}

/// After the person withdrew consent to processing, nothing new is recorded about them.
pub(crate) fn processing_allowed(p: &ParticipantRow) -> Result<()> {
    if p.processing_consent {
        Ok(())
    } else {
        Err(Error::field("form", ErrorCode::ConsentWithdrawn))
    }
}
