//! Referrals into an organisation: those from outside Polku recorded on the participant, and
//! the counts by referrer a project reports.

mod between;
pub use between::*;

use crate::{date, ts, Conn, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use polku_domain::ids::{OrgId, ParticipantId, ProjectId, ReferralId, UserId};
use polku_domain::referral::{IncomingReferral, ReferralStatus, Referrer};

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct IncomingRow {
        pub id: ReferralId,
        pub referrer_kind: Referrer,
        pub referrer_name: Option<String>,
        pub referred_on: NaiveDate,
        pub reason: Option<String>,
        pub status: ReferralStatus,
    }
}

/// Records that `participant` (of `org`) was referred from outside Polku.
pub async fn add_incoming(
    conn: &mut Conn,
    (org, participant): (OrgId, ParticipantId),
    r: &IncomingReferral,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<ReferralId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO referrals (to_org_id, to_participant_id, referrer_kind, referrer_name, referred_on, reason, status, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org.0)
    .bind(participant.0)
    .bind(r.referrer.as_str())
    .bind(&r.referrer_name)
    .bind(date(r.referred_on))
    .bind(&r.reason)
    .bind(ReferralStatus::Accepted.as_str())
    .bind(by.0)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(ReferralId(id))
}

/// Who referred the participant from outside Polku, newest first.
pub async fn incoming_of(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<Vec<IncomingRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT id, referrer_kind, referrer_name, referred_on, reason, status FROM referrals \
         WHERE to_participant_id = $1 AND referrer_kind IS NOT NULL ORDER BY referred_on DESC, id DESC",
        participant.0,
    )
    .await
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ReferrerCount {
        pub referrer_kind: Referrer,
        pub n: i64,
    }
}

/// The project's participants referred from outside Polku within its period, by referrer (a
/// person once per referrer).
pub async fn referred_by(
    conn: &mut Conn,
    project: ProjectId,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<ReferrerCount>, StoreError> {
    let sql = "SELECT r.referrer_kind, COUNT(DISTINCT r.to_participant_id) AS n FROM referrals r \
         JOIN participants p ON p.id = r.to_participant_id \
         WHERE p.project_id = $1 AND r.referrer_kind IS NOT NULL AND r.referred_on >= $2 AND r.referred_on <= $3 \
         GROUP BY r.referrer_kind ORDER BY r.referrer_kind";
    crate::row::in_period(conn, sql, project.0, (from, to)).await
}
