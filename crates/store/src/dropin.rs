//! Drop-in points: opening hours, duty shifts, visits.

use crate::{date, ts, Conn, StoreError};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use polku_domain::authz::Actor;
use polku_domain::dropin::{Hours, NewPoint, NewShift, NewVisit, Visitor};
use polku_domain::ids::OrgId;
use polku_domain::ids::{ParticipantId, PointId, ProjectId, ShiftId, VisitId};

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct PointRow {
        pub id: PointId,
        pub org_id: OrgId,
        pub org_name: String,
        pub project_id: Option<ProjectId>,
        pub name: String,
        pub address: Option<String>,
        pub town: Option<String>,
    }
}

const SELECT: &str = "SELECT d.id, d.org_id, o.name AS org_name, d.project_id, d.name, d.address, d.town FROM dropin_points d JOIN organisations o ON o.id = d.org_id";

pub async fn create(
    conn: &mut Conn,
    org: OrgId,
    p: &NewPoint,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("INSERT INTO dropin_points (org_id, project_id, name, address, town, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(org.0)
        .bind(p.project_id)
        .bind(&p.name)
        .bind(&p.address)
        .bind(&p.town)
        .bind(ts(at))
        .fetch_one(conn)
        .await?)
}

pub async fn list(conn: &mut Conn) -> Result<Vec<PointRow>, StoreError> {
    Ok(sqlx::query_as(&format!("{SELECT} ORDER BY d.name"))
        .fetch_all(conn)
        .await?)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<PointRow, StoreError> {
    crate::row::one(conn, &format!("{SELECT} WHERE d.id = $1"), id).await
}

pub async fn set_hours(conn: &mut Conn, point: i64, h: &Hours) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO opening_hours (point_id, weekday, opens, closes) VALUES ($1, $2, $3, $4) ON CONFLICT (point_id, weekday) DO UPDATE SET opens = excluded.opens, closes = excluded.closes")
        .bind(point)
        .bind(i64::from(h.weekday))
        .bind(h.opens.format("%H:%M").to_string())
        .bind(h.closes.format("%H:%M").to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn clear_hours(conn: &mut Conn, point: i64, weekday: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM opening_hours WHERE point_id = $1 AND weekday = $2")
        .bind(point)
        .bind(weekday)
        .execute(conn)
        .await?;
    Ok(())
}

/// (weekday, opens, closes), Monday first.
pub async fn hours(conn: &mut Conn, point: i64) -> Result<Vec<(i64, String, String)>, StoreError> {
    crate::row::all(
        conn,
        "SELECT weekday, opens, closes FROM opening_hours WHERE point_id = $1 ORDER BY weekday",
        point,
    )
    .await
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ShiftRow {
        pub id: ShiftId,
        pub point_id: PointId,
        pub point_name: String,
        pub org_id: Option<OrgId>,
        pub org_name: Option<String>,
        pub starts_at: NaiveDateTime,
        pub ends_at: NaiveDateTime,
        pub topic: Option<String>,
        pub version: i64,
    }
}

const SHIFTS: &str = "SELECT s.id, s.point_id, d.name AS point_name, s.org_id, o.name AS org_name, s.starts_at, s.ends_at, s.topic, s.version \
    FROM duty_shifts s JOIN dropin_points d ON d.id = s.point_id LEFT JOIN organisations o ON o.id = s.org_id";

fn local(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

pub async fn add_shift(conn: &mut Conn, point: i64, s: &NewShift) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("INSERT INTO duty_shifts (point_id, org_id, starts_at, ends_at, topic, version) VALUES ($1, $2, $3, $4, $5, 1) RETURNING id")
        .bind(point)
        .bind(s.org_id)
        .bind(local(s.starts_at))
        .bind(local(s.ends_at))
        .bind(&s.topic)
        .fetch_one(conn)
        .await?)
}

pub async fn shift(conn: &mut Conn, id: i64) -> Result<ShiftRow, StoreError> {
    crate::row::one(conn, &format!("{SHIFTS} WHERE s.id = $1"), id).await
}

/// Shifts of a point from `from` (inclusive) to `to` (exclusive).
pub async fn shifts(
    conn: &mut Conn,
    point: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ShiftRow>, StoreError> {
    Ok(sqlx::query_as(&format!("{SHIFTS} WHERE s.point_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 ORDER BY s.starts_at, s.id"))
        .bind(point)
        .bind(date(from))
        .bind(date(to))
        .fetch_all(conn)
        .await?)
}

/// Takes an open shift for `org`. Only an open slot can be taken, so two partners clicking
/// at once cannot both get it.
pub async fn take_shift(conn: &mut Conn, id: i64, org: OrgId) -> Result<(), StoreError> {
    let r = sqlx::query("UPDATE duty_shifts SET org_id = $1, version = version + 1 WHERE id = $2 AND org_id IS NULL").bind(org.0).bind(id).execute(conn).await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Gives a shift back as an open slot; only the organisation holding it can.
pub async fn release_shift(conn: &mut Conn, id: i64, org: OrgId) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE duty_shifts SET org_id = NULL, version = version + 1 WHERE id = $1 AND org_id = $2",
    )
    .bind(id)
    .bind(org.0)
    .execute(conn)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub async fn add_visit(
    conn: &mut Conn,
    point: i64,
    v: &NewVisit,
    by: &Actor,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let (participant, anonymous) = match v.visitor {
        Visitor::Participant(p) => (Some(p), 0),
        Visitor::Anonymous(n) => (None, n),
    };
    Ok(sqlx::query_scalar("INSERT INTO visits (point_id, date, participant_id, anonymous_count, topic, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(point)
        .bind(date(v.date))
        .bind(participant)
        .bind(anonymous)
        .bind(&v.topic)
        .bind(by.user.0)
        .bind(ts(at))
        .fetch_one(conn)
        .await?)
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct VisitRow {
        pub id: VisitId,
        pub date: NaiveDate,
        pub participant_id: Option<ParticipantId>,
        pub participant_name: Option<String>,
        pub anonymous_count: i64,
        pub topic: Option<String>,
    }
}

pub async fn visits(
    conn: &mut Conn,
    point: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<VisitRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT v.id, v.date, v.participant_id, CASE WHEN p.id IS NULL THEN NULL ELSE p.last_name || ', ' || p.first_name END AS participant_name, \
         v.anonymous_count, v.topic FROM visits v LEFT JOIN participants p ON p.id = v.participant_id \
         WHERE v.point_id = $1 AND v.date >= $2 AND v.date < $3 ORDER BY v.date DESC, v.id DESC",
    )
    .bind(point)
    .bind(date(from))
    .bind(date(to))
    .fetch_all(conn)
    .await?)
}

crate::typed_row! {
    /// Visits on one day: registered participants' visits and anonymous visitors.
    #[derive(Debug, Clone)]
    pub struct DayCount {
        pub date: NaiveDate,
        pub registered: i64,
        pub anonymous: i64,
    }
}

/// Visit counts per day in the range.
pub async fn daily_counts(
    conn: &mut Conn,
    point: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DayCount>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT date, CAST(SUM(CASE WHEN participant_id IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS registered, CAST(SUM(anonymous_count) AS BIGINT) AS anonymous \
         FROM visits WHERE point_id = $1 AND date >= $2 AND date < $3 GROUP BY date ORDER BY date",
    )
    .bind(point)
    .bind(date(from))
    .bind(date(to))
    .fetch_all(conn)
    .await?)
}

crate::typed_row! {
    /// One of a participant's visits to a drop-in point.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct OwnVisit {
        pub date: NaiveDate,
        pub point_name: String,
        pub topic: Option<String>,
    }
}

/// A participant's visits, for the timeline.
pub async fn participant_visits(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<Vec<OwnVisit>, StoreError> {
    crate::row::all(conn, "SELECT v.date, d.name AS point_name, v.topic FROM visits v JOIN dropin_points d ON d.id = v.point_id WHERE v.participant_id = $1 ORDER BY v.date", participant.0).await
}
