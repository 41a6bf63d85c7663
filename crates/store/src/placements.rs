//! Openings at employers, the participants proposed to them, and placements with extensions.

use crate::{date, ts, Conn, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use polku_domain::ids::{EmployerId, OpeningId, ParticipantId, PlacementId, ProjectId, UserId};
use polku_domain::placement::{
    NewExtension, NewOpening, NewPlacement, OpeningKind, OpeningStatus, PlacementEnd,
    PlacementKind, PlacementResult, ProposalStatus,
};

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct OpeningRow {
        pub id: OpeningId,
        pub employer_id: EmployerId,
        pub employer_name: String,
        pub project_id: Option<ProjectId>,
        pub kind: OpeningKind,
        pub title: String,
        pub status: OpeningStatus,
        pub places: i64,
        pub deadline: Option<NaiveDate>,
        pub requirements: Option<String>,
        pub version: i64,
    }
}

const OPENING: &str = "SELECT o.id, o.employer_id, e.name AS employer_name, o.project_id, o.kind, o.title, o.status, o.places, o.deadline, \
    o.requirements, o.version FROM openings o JOIN employers e ON e.id = o.employer_id";

pub async fn add_opening(
    conn: &mut Conn,
    employer: EmployerId,
    project: Option<ProjectId>,
    o: &NewOpening,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<OpeningId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO openings (employer_id, project_id, kind, title, places, deadline, requirements, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(employer.0)
    .bind(project.map(|p| p.0))
    .bind(o.kind.as_str())
    .bind(&o.title)
    .bind(o.places)
    .bind(o.deadline.map(date))
    .bind(&o.requirements)
    .bind(by.0)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(OpeningId(id))
}

pub async fn opening(conn: &mut Conn, id: OpeningId) -> Result<OpeningRow, StoreError> {
    crate::row::one(conn, &format!("{OPENING} WHERE o.id = $1"), id.0).await
}

pub async fn openings_of(
    conn: &mut Conn,
    employer: EmployerId,
) -> Result<Vec<OpeningRow>, StoreError> {
    crate::row::all(
        conn,
        &format!("{OPENING} WHERE o.employer_id = $1 ORDER BY o.status DESC, o.deadline, o.id"),
        employer.0,
    )
    .await
}

/// The organisation's open openings, soonest deadline first: what a counsellor matches people to.
pub async fn open_openings(
    conn: &mut Conn,
    org: polku_domain::ids::OrgId,
    limit: i64,
) -> Result<Vec<OpeningRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{OPENING} WHERE e.org_id = $1 AND o.status = 'open' ORDER BY o.deadline IS NULL, o.deadline, o.id LIMIT $2"
    ))
    .bind(org.0)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

pub async fn set_opening_status(
    conn: &mut Conn,
    id: OpeningId,
    status: OpeningStatus,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE openings SET status = $1, version = version + 1 WHERE id = $2")
        .bind(status.as_str())
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ProposalRow {
        pub opening_id: OpeningId,
        pub participant_id: ParticipantId,
        pub first_name: String,
        pub last_name: String,
        pub birth_date: NaiveDate,
        pub status: ProposalStatus,
    }
}

/// Proposes the participant; false when they already were.
pub async fn propose(
    conn: &mut Conn,
    opening: OpeningId,
    participant: ParticipantId,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "INSERT INTO opening_proposals (opening_id, participant_id, status, proposed_by, proposed_at) VALUES ($1, $2, 'proposed', $3, $4) \
         ON CONFLICT (opening_id, participant_id) DO NOTHING",
    )
    .bind(opening.0)
    .bind(participant.0)
    .bind(by.0)
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Records the employer's answer; false when there was no such proposal.
pub async fn answer(
    conn: &mut Conn,
    opening: OpeningId,
    participant: ParticipantId,
    status: ProposalStatus,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE opening_proposals SET status = $1, answered_at = $2 WHERE opening_id = $3 AND participant_id = $4")
        .bind(status.as_str())
        .bind(ts(at))
        .bind(opening.0)
        .bind(participant.0)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn proposals(
    conn: &mut Conn,
    opening: OpeningId,
) -> Result<Vec<ProposalRow>, StoreError> {
    crate::row::all(conn, "SELECT r.opening_id, r.participant_id, p.first_name, p.last_name, p.birth_date, r.status FROM opening_proposals r \
         JOIN participants p ON p.id = r.participant_id WHERE r.opening_id = $1 ORDER BY r.proposed_at, p.last_name", opening.0).await
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct PlacementRow {
        pub id: PlacementId,
        pub employer_id: EmployerId,
        pub employer_name: String,
        pub participant_id: ParticipantId,
        pub first_name: String,
        pub last_name: String,
        pub opening_id: Option<OpeningId>,
        pub kind: PlacementKind,
        pub agreement_ref: Option<String>,
        pub agreement_date: Option<NaiveDate>,
        pub starts_on: NaiveDate,
        pub ends_on: NaiveDate,
        pub coach: Option<String>,
        pub result: Option<PlacementResult>,
        pub ended_on: Option<NaiveDate>,
        pub end_reason: Option<String>,
        pub version: i64,
    }
}

const PLACEMENT: &str = "SELECT pl.id, pl.employer_id, e.name AS employer_name, pl.participant_id, p.first_name, p.last_name, pl.opening_id, \
    pl.kind, pl.agreement_ref, pl.agreement_date, pl.starts_on, pl.ends_on, pl.coach, pl.result, pl.ended_on, pl.end_reason, pl.version \
    FROM placements pl JOIN employers e ON e.id = pl.employer_id JOIN participants p ON p.id = pl.participant_id";

pub async fn place(
    conn: &mut Conn,
    employer: EmployerId,
    opening: Option<OpeningId>,
    n: &NewPlacement,
    at: DateTime<Utc>,
) -> Result<PlacementId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO placements (employer_id, participant_id, opening_id, kind, agreement_ref, agreement_date, starts_on, ends_on, coach, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(employer.0)
    .bind(n.participant_id)
    .bind(opening.map(|o| o.0))
    .bind(n.kind.as_str())
    .bind(&n.agreement_ref)
    .bind(n.agreement_date.map(date))
    .bind(date(n.period.starts_on))
    .bind(date(n.period.ends_on))
    .bind(&n.coach)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(PlacementId(id))
}

pub async fn placement(conn: &mut Conn, id: PlacementId) -> Result<PlacementRow, StoreError> {
    crate::row::one(conn, &format!("{PLACEMENT} WHERE pl.id = $1"), id.0).await
}

pub async fn placements_at(
    conn: &mut Conn,
    employer: EmployerId,
) -> Result<Vec<PlacementRow>, StoreError> {
    crate::row::all(
        conn,
        &format!("{PLACEMENT} WHERE pl.employer_id = $1 ORDER BY pl.starts_on DESC, pl.id DESC"),
        employer.0,
    )
    .await
}

pub async fn placements_of(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<Vec<PlacementRow>, StoreError> {
    crate::row::all(
        conn,
        &format!("{PLACEMENT} WHERE pl.participant_id = $1 ORDER BY pl.starts_on DESC, pl.id DESC"),
        participant.0,
    )
    .await
}

/// Adds a period and moves the placement's end to it, if the placement is still at `version`.
pub async fn extend(
    conn: &mut Conn,
    id: PlacementId,
    x: &NewExtension,
    version: i64,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE placements SET ends_on = $1, version = version + 1 WHERE id = $2 AND version = $3 AND result IS NULL")
        .bind(date(x.period.ends_on))
        .bind(id.0)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO placement_extensions (placement_id, starts_on, ends_on, reason, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.0)
        .bind(date(x.period.starts_on))
        .bind(date(x.period.ends_on))
        .bind(&x.reason)
        .bind(ts(at))
        .execute(conn)
        .await?;
    Ok(true)
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ExtensionRow {
        pub starts_on: NaiveDate,
        pub ends_on: NaiveDate,
        pub reason: String,
    }
}

pub async fn extensions(conn: &mut Conn, id: PlacementId) -> Result<Vec<ExtensionRow>, StoreError> {
    crate::row::all(conn, "SELECT starts_on, ends_on, reason FROM placement_extensions WHERE placement_id = $1 ORDER BY starts_on", id.0).await
}

/// Records how the placement ended, if it is still open and at `version`.
pub async fn end(
    conn: &mut Conn,
    id: PlacementId,
    e: &PlacementEnd,
    version: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE placements SET result = $1, ended_on = $2, end_reason = $3, version = version + 1 WHERE id = $4 AND version = $5 AND result IS NULL")
        .bind(e.result.as_str())
        .bind(date(e.ended_on))
        .bind(&e.reason)
        .bind(id.0)
        .bind(version)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Participating companies of a project: employers with at least one interaction recorded for
/// the project, or a placement of one of its participants, within the project's period.
pub async fn company_count(
    conn: &mut Conn,
    project: ProjectId,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM (SELECT i.employer_id FROM employer_interactions i WHERE i.project_id = $1 AND i.date >= $2 AND i.date <= $3 \
         UNION SELECT pl.employer_id FROM placements pl JOIN participants x ON x.id = pl.participant_id \
         WHERE x.project_id = $1 AND pl.starts_on <= $3 AND pl.ends_on >= $2) c";
    let row: (i64,) = crate::row::one_in_period(conn, sql, project.0, (from, to)).await?;
    Ok(row.0)
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct PlacementCount {
        pub kind: PlacementKind,
        pub result: Option<PlacementResult>,
        pub n: i64,
    }
}

/// The project's placements by kind and result (none while running): its participants', begun
/// within the project's period.
pub async fn summary(
    conn: &mut Conn,
    project: ProjectId,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<PlacementCount>, StoreError> {
    let sql = "SELECT pl.kind, pl.result, COUNT(*) AS n FROM placements pl JOIN participants x ON x.id = pl.participant_id \
         WHERE x.project_id = $1 AND pl.starts_on >= $2 AND pl.starts_on <= $3 GROUP BY pl.kind, pl.result ORDER BY pl.kind, pl.result";
    crate::row::in_period(conn, sql, project.0, (from, to)).await
}
