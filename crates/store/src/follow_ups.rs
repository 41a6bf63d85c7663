//! Six-month follow-ups: scheduled when a participant leaves, done by the counsellor.

use crate::{date, ts, Conn, StoreError};
use chrono::{DateTime, Months, NaiveDate, Utc};
use polku_domain::authz::Actor;
use polku_domain::ids::{OrgId, ParticipantId, UserId};
use polku_domain::participant::ExitStatus;

/// Schedules (or, when the exit date changes, moves) the follow-up six months after leaving.
pub async fn schedule(
    conn: &mut Conn,
    participant: ParticipantId,
    exit: NaiveDate,
    at: DateTime<Utc>,
) -> Result<NaiveDate, StoreError> {
    let due = exit.checked_add_months(Months::new(6)).unwrap_or(exit);
    sqlx::query(
        "INSERT INTO follow_ups (participant_id, due_date, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (participant_id) DO UPDATE SET due_date = excluded.due_date",
    )
    .bind(participant.0)
    .bind(date(due))
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(due)
}

pub async fn record(
    conn: &mut Conn,
    participant: ParticipantId,
    status: ExitStatus,
    improved: bool,
    by: &Actor,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let r = sqlx::query("UPDATE follow_ups SET done_at = $1, status = $2, improved = $3, recorded_by = $4 WHERE participant_id = $5")
        .bind(ts(at))
        .bind(status.as_str())
        .bind(i64::from(improved))
        .bind(by.user.0)
        .bind(participant.0)
        .execute(conn)
        .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct FollowUpRow {
        pub participant_id: ParticipantId,
        pub due_date: NaiveDate,
        pub done_at: Option<DateTime<Utc>>,
        pub status: Option<ExitStatus>,
        pub improved: Option<bool>,
    }
}

pub async fn get(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<Option<FollowUpRow>, StoreError> {
    Ok(sqlx::query_as("SELECT participant_id, due_date, done_at, status, improved FROM follow_ups WHERE participant_id = $1")
        .bind(participant.0)
        .fetch_optional(conn)
        .await?)
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct TaskRow {
        pub participant_id: ParticipantId,
        pub first_name: String,
        pub last_name: String,
        pub project_code: String,
        pub due_date: NaiveDate,
    }
}

/// How many open follow-ups [`due`] lists at most; a page showing that many says the list goes on.
pub const DUE_CAP: usize = 200;

/// Open follow-ups due by `until` for the counsellor's participants (or, for `None`, the whole organisation's).
pub async fn due(
    conn: &mut Conn,
    org: OrgId,
    counsellor: Option<UserId>,
    until: NaiveDate,
) -> Result<Vec<TaskRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.id AS participant_id, p.first_name, p.last_name, pr.code AS project_code, f.due_date \
         FROM follow_ups f JOIN participants p ON p.id = f.participant_id JOIN projects pr ON pr.id = p.project_id \
         WHERE p.org_id = $1 AND ($2 IS NULL OR p.counsellor_id = $2) AND f.done_at IS NULL AND f.due_date <= $3 \
         ORDER BY f.due_date, p.last_name LIMIT $4",
    )
    .bind(org.0)
    .bind(counsellor.map(|c| c.0))
    .bind(date(until))
    .bind(DUE_CAP as i64)
    .fetch_all(conn)
    .await?)
}
