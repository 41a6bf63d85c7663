//! The organisation's referral report over a period.

use crate::{Polku, Result};
use chrono::NaiveDate;
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::DomainError;
use polku_reports::referrals::{Counted, ReferralReport};
use polku_store::referrals as repo;

/// Referrals the actor's organisation sent and received within `period`, and its leavers
/// referred to other services. Counts only: no person is named.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn report(
    app: &Polku,
    actor: &Actor,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<ReferralReport> {
    let refers = authorize(actor, Action::ReferParticipants, Some(actor.org)).is_ok();
    if !refers {
        authorize(actor, Action::ReceiveReferrals, Some(actor.org))?;
    }
    if to < from {
        return Err(DomainError::field("to", polku_domain::ErrorCode::DateRange).into());
    }
    let mut conn = app.db.acquire().await?;
    let rows: Vec<Counted> = repo::for_report(&mut conn, actor.org, (from, to))
        .await?
        .into_iter()
        .map(|r| Counted {
            sent: r.sent,
            other_org: r.other_org,
            service: r.service,
            status: r.status,
            days_to_start: r.started_on.map(|d| (d - r.referred_on).num_days()),
        })
        .collect();
    let leavers = repo::exits_referred(&mut conn, actor.org, (from, to)).await?;
    let mut report = ReferralReport::build(&rows, leavers);
    report.from = Some(from);
    report.to = Some(to);
    Ok(report)
}
