//! Referrals between organisations in Polku: sent with what the participant consented to
//! share, answered and followed by the receiver. What is shared is read from the sender's
//! record while the consent holds; nothing is copied across.

use crate::{date, ts, Conn, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use polku_domain::ids::{OrgId, ParticipantId, ReferralId, ServiceId, UserId};
use polku_domain::referral::{NewReferral, Progress, ReferralStatus, Shared};

crate::typed_row! {
    /// One referral with both organisations' names. The person's name is empty once the
    /// consent was withdrawn (the receiver then sees only that the referral existed).
    #[derive(Clone, serde::Serialize)]
    pub struct ReferralRow {
        pub id: ReferralId,
        pub from_org_id: OrgId,
        pub from_org_name: String,
        pub from_participant_id: ParticipantId,
        pub to_org_id: OrgId,
        pub to_org_name: String,
        pub to_service_id: Option<ServiceId>,
        pub to_service_name: Option<String>,
        pub to_participant_id: Option<ParticipantId>,
        pub first_name: String,
        pub last_name: String,
        pub referred_on: NaiveDate,
        pub reason: Option<String>,
        pub status: ReferralStatus,
        pub share_contact: bool,
        pub share_plan: bool,
        pub share_competence: bool,
        pub share_hetu: bool,
        pub consent_withdrawn_on: Option<NaiveDate>,
        pub decided_on: Option<NaiveDate>,
        pub decision_reason: Option<String>,
        pub started_on: Option<NaiveDate>,
        pub ended_on: Option<NaiveDate>,
        pub version: i64,
    }
}

impl std::fmt::Debug for ReferralRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ReferralRow {{ id: {}, from: {}, to: {}, status: {}, <personal data redacted> }}",
            self.id,
            self.from_org_id,
            self.to_org_id,
            self.status.as_str()
        )
    }
}

impl ReferralRow {
    /// Whether the participant's consent to share still holds.
    pub fn consent_holds(&self) -> bool {
        self.consent_withdrawn_on.is_none()
    }
    /// What the consent shares, while it holds (the notes are read apart).
    pub fn shared(&self) -> Shared {
        let on = self.consent_holds();
        Shared {
            contact: on && self.share_contact,
            plan: on && self.share_plan,
            competence: on && self.share_competence,
            hetu: on && self.share_hetu,
            notes: vec![],
        }
    }
}

const SELECT: &str = "SELECT r.id, r.from_org_id, fo.name AS from_org_name, r.from_participant_id, \
    r.to_org_id, tor.name AS to_org_name, r.to_service_id, s.name AS to_service_name, r.to_participant_id, \
    CASE WHEN r.consent_withdrawn_on IS NULL THEN p.first_name ELSE '' END AS first_name, \
    CASE WHEN r.consent_withdrawn_on IS NULL THEN p.last_name ELSE '' END AS last_name, \
    r.referred_on, r.reason, r.status, r.share_contact, r.share_plan, r.share_competence, r.share_hetu, \
    r.consent_withdrawn_on, r.decided_on, r.decision_reason, r.started_on, r.ended_on, r.version \
    FROM referrals r JOIN organisations fo ON fo.id = r.from_org_id \
    JOIN organisations tor ON tor.id = r.to_org_id \
    JOIN participants p ON p.id = r.from_participant_id \
    LEFT JOIN services s ON s.id = r.to_service_id";

/// Records a referral sent today by `by` for the sender's participant.
pub async fn send(
    conn: &mut Conn,
    (from, participant): (OrgId, ParticipantId),
    r: &NewReferral,
    (by, today, at): (UserId, NaiveDate, DateTime<Utc>),
) -> Result<ReferralId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO referrals (to_org_id, to_service_id, from_org_id, from_participant_id, referred_on, reason, status, \
         share_contact, share_plan, share_competence, share_hetu, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(r.to_org.0)
    .bind(r.to_service.map(|s| s.0))
    .bind(from.0)
    .bind(participant.0)
    .bind(date(today))
    .bind(&r.reason)
    .bind(ReferralStatus::Sent.as_str())
    .bind(i64::from(r.shared.contact))
    .bind(i64::from(r.shared.plan))
    .bind(i64::from(r.shared.competence))
    .bind(i64::from(r.shared.hetu))
    .bind(by.0)
    .bind(ts(at))
    .fetch_one(&mut *conn)
    .await?;
    for note in &r.shared.notes {
        sqlx::query("INSERT INTO referral_notes (referral_id, note_id) VALUES ($1, $2)")
            .bind(id)
            .bind(note.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(ReferralId(id))
}

pub async fn get(conn: &mut Conn, id: ReferralId) -> Result<ReferralRow, StoreError> {
    crate::row::one(
        conn,
        &format!("{SELECT} WHERE r.id = $1 AND r.from_org_id IS NOT NULL"),
        id.0,
    )
    .await
}

/// Referrals sent to the organisation, newest first.
pub async fn received(conn: &mut Conn, org: OrgId) -> Result<Vec<ReferralRow>, StoreError> {
    crate::row::all(
        conn,
        &format!("{SELECT} WHERE r.to_org_id = $1 ORDER BY r.referred_on DESC, r.id DESC"),
        org.0,
    )
    .await
}

/// Referrals the organisation sent, newest first.
pub async fn sent(conn: &mut Conn, org: OrgId) -> Result<Vec<ReferralRow>, StoreError> {
    crate::row::all(
        conn,
        &format!("{SELECT} WHERE r.from_org_id = $1 ORDER BY r.referred_on DESC, r.id DESC"),
        org.0,
    )
    .await
}

/// Referrals sent for one participant of the sender, newest first.
pub async fn sent_for(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<Vec<ReferralRow>, StoreError> {
    crate::row::all(
        conn,
        &format!(
            "{SELECT} WHERE r.from_participant_id = $1 ORDER BY r.referred_on DESC, r.id DESC"
        ),
        participant.0,
    )
    .await
}

/// The notes chosen for the referral, oldest first.
pub async fn notes(
    conn: &mut Conn,
    id: ReferralId,
) -> Result<Vec<crate::participants::NoteRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT n.id, u.name AS author_name, n.body, n.created_at FROM referral_notes rn \
         JOIN notes n ON n.id = rn.note_id JOIN users u ON u.id = n.author_id \
         WHERE rn.referral_id = $1 ORDER BY n.created_at, n.id",
        id.0,
    )
    .await
}

/// Accepts a sent referral with the receiver's own record of the person, if `version` is
/// still the stored one and nobody answered it meanwhile.
pub async fn accept(
    conn: &mut Conn,
    id: ReferralId,
    participant: ParticipantId,
    (on, version): (NaiveDate, i64),
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE referrals SET status = 'accepted', to_participant_id = $1, decided_on = $2, version = version + 1 \
         WHERE id = $3 AND version = $4 AND status = 'sent'",
    )
    .bind(participant.0)
    .bind(date(on))
    .bind(id.0)
    .bind(version)
    .execute(conn)
    .await?;
    changed(done.rows_affected())
}

/// Records the receiver's answer (declined, returned) or a later step (started, completed,
/// interrupted) on its day, if `version` is still the stored one.
pub async fn progress(conn: &mut Conn, id: ReferralId, p: &Progress) -> Result<(), StoreError> {
    use ReferralStatus::*;
    let column = match p.status {
        Declined | Returned | Accepted | Sent => "decided_on",
        Started => "started_on",
        Completed | Interrupted => "ended_on",
    };
    let done = sqlx::query(&format!(
        "UPDATE referrals SET status = $1, {column} = $2, decision_reason = COALESCE($3, decision_reason), \
         version = version + 1 WHERE id = $4 AND version = $5"
    ))
    .bind(p.status.as_str())
    .bind(date(p.on))
    .bind(&p.reason)
    .bind(id.0)
    .bind(p.version)
    .execute(conn)
    .await?;
    changed(done.rows_affected())
}

/// The participant withdrew their consent: the receiver sees nothing more than that the
/// referral existed, and the notes once chosen are no longer linked to it.
pub async fn withdraw_consent(
    conn: &mut Conn,
    id: ReferralId,
    on: NaiveDate,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE referrals SET consent_withdrawn_on = $1, version = version + 1 \
         WHERE id = $2 AND consent_withdrawn_on IS NULL",
    )
    .bind(date(on))
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM referral_notes WHERE referral_id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the person's record at `org` came through a referral the organisation accepted.
pub async fn reached_through(
    conn: &mut Conn,
    participant: ParticipantId,
    org: OrgId,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM referrals WHERE to_participant_id = $1 AND to_org_id = $2 \
         AND from_org_id IS NOT NULL",
    )
    .bind(participant.0)
    .bind(org.0)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

fn changed(rows: u64) -> Result<(), StoreError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict)
    }
}

crate::typed_row! {
    /// One referral as the report counts it, seen from the organisation asking.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ReportRow {
        pub sent: bool,
        pub other_org: String,
        pub service: Option<String>,
        pub status: ReferralStatus,
        pub referred_on: NaiveDate,
        pub started_on: Option<NaiveDate>,
    }
}

/// The referrals the organisation sent and received, referred within the period.
pub async fn for_report(
    conn: &mut Conn,
    org: OrgId,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<ReportRow>, StoreError> {
    let sql = "SELECT CAST(CASE WHEN r.from_org_id = $1 THEN 1 ELSE 0 END AS BIGINT) AS sent, \
         CASE WHEN r.from_org_id = $1 THEN tor.name ELSE fo.name END AS other_org, s.name AS service, \
         r.status, r.referred_on, r.started_on FROM referrals r \
         JOIN organisations fo ON fo.id = r.from_org_id JOIN organisations tor ON tor.id = r.to_org_id \
         LEFT JOIN services s ON s.id = r.to_service_id \
         WHERE (r.from_org_id = $1 OR r.to_org_id = $1) AND r.referred_on >= $2 AND r.referred_on <= $3 \
         ORDER BY r.referred_on, r.id";
    crate::row::in_period(conn, sql, org.0, (from, to)).await
}

/// Of the organisation's participants who left within the period, how many, and how many of
/// them were referred to another organisation's services before they left (TEHDAS's measure).
pub async fn exits_referred(
    conn: &mut Conn,
    org: OrgId,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<(i64, i64), StoreError> {
    let sql = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM referrals r WHERE r.from_participant_id = p.id \
         AND r.referred_on <= p.exit_date AND r.status <> 'returned') THEN 1 ELSE 0 END), 0) \
         FROM participants p WHERE p.org_id = $1 AND p.exit_date >= $2 AND p.exit_date <= $3";
    crate::row::one_in_period(conn, sql, org.0, (from, to)).await
}
