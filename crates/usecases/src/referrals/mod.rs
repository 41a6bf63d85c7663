//! Referrals between organisations: the sender refers a participant with what they consented
//! to share; the receiver sees the shared items, accepts (with its own record of the person,
//! enrolled in the service referred to), declines or returns, and records the steps after.
//! Every read of shared items is audited in both organisations' logs.

mod answer;
mod report;
mod send;
mod view;

pub use answer::{accept_link, accept_new, intake_form_for, progress, Accepted};
pub use report::report;
pub use send::{draft, send, withdraw_consent, Draft};
pub use view::{show, Competence, ReferralView, SharedItems};

use crate::{Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::ReferralId;
use polku_domain::DomainError;
use polku_store::referrals::{self as repo, ReferralRow};
use polku_store::Conn;

/// Which end of the referral the actor's organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Sender,
    Receiver,
}

/// Loads a referral the actor's organisation sent or received; any other answers like a
/// missing one. The sender needs the right to refer, the receiver the right to receive.
pub(crate) async fn load(
    conn: &mut Conn,
    actor: &Actor,
    id: ReferralId,
) -> Result<(ReferralRow, Side)> {
    let r = repo::get(conn, id).await?;
    let side = if r.from_org_id == actor.org {
        authorize(actor, Action::ReferParticipants, Some(r.from_org_id)).map(|_| Side::Sender)
    } else {
        authorize(actor, Action::ReceiveReferrals, Some(r.to_org_id)).map(|_| Side::Receiver)
    };
    match side {
        Ok(side) => Ok((r, side)),
        Err(_) => Err(DomainError::NotFound.into()),
    }
}

/// The referrals the actor's organisation received and sent, newest first. Names show only
/// while the person's consent holds.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn inbox(app: &Polku, actor: &Actor) -> Result<(Vec<ReferralRow>, Vec<ReferralRow>)> {
    let receives = authorize(actor, Action::ReceiveReferrals, Some(actor.org)).is_ok();
    let sends = authorize(actor, Action::ReferParticipants, Some(actor.org)).is_ok();
    if !receives && !sends {
        return Err(DomainError::Forbidden.into());
    }
    let mut tx = app.db.begin().await?;
    let received = if receives {
        repo::received(&mut tx, actor.org).await?
    } else {
        vec![]
    };
    let sent = if sends {
        repo::sent(&mut tx, actor.org).await?
    } else {
        vec![]
    };
    polku_store::audit::Audit::by(actor, app.clock.now())
        .read(
            &mut tx,
            polku_store::audit::Entity::ParticipantSearch,
            &format!("referrals received={} sent={}", received.len(), sent.len()),
        )
        .await?;
    tx.commit().await?;
    Ok((received, sent))
}
