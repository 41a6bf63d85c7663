//! Workplace coaches at employers, their training days and attendance, and the supervision
//! and follow-up meetings of placements.

use crate::{date, ts, Conn, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use polku_domain::coach::{MeetingKind, NewCoach, NewMeeting, NewTraining, TrainingStatus};
use polku_domain::ids::{
    CoachId, EmployerId, MeetingId, OrgId, PlacementId, ProjectId, TrainingId, UserId,
};
use polku_domain::import::employers::name_key;

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct CoachRow {
        pub id: CoachId,
        pub employer_id: EmployerId,
        pub name: String,
        pub role: Option<String>,
        pub phone: Option<String>,
        pub email: Option<String>,
        /// Training days attended.
        pub trained: i64,
        /// Placements supported.
        pub placements: i64,
    }
}

const COACH: &str = "SELECT c.id, c.employer_id, c.name, c.role, c.phone, c.email, \
    (SELECT COUNT(*) FROM coach_training_attendance a WHERE a.coach_id = c.id AND a.status = 'present') AS trained, \
    (SELECT COUNT(*) FROM placements pl WHERE pl.coach_id = c.id) AS placements \
    FROM workplace_coaches c";

/// Adds a coach at an employer; the same name there again is a duplicate.
pub async fn add(
    conn: &mut Conn,
    employer: EmployerId,
    c: &NewCoach,
    at: DateTime<Utc>,
) -> Result<CoachId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO workplace_coaches (employer_id, name, name_key, role, phone, email, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(employer.0)
    .bind(&c.name)
    .bind(name_key(&c.name))
    .bind(&c.role)
    .bind(&c.phone)
    .bind(c.email.as_ref().map(|e| e.as_str()))
    .bind(ts(at))
    .fetch_one(conn)
    .await
    .map_err(StoreError::unique("name"))?;
    Ok(CoachId(id))
}

/// The coach of this name at the employer, added if not there yet: a placement names its
/// coach by name, and the coach's record gathers the placements they supported.
pub async fn by_name_or_add(
    conn: &mut Conn,
    employer: EmployerId,
    name: &str,
    at: DateTime<Utc>,
) -> Result<CoachId, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM workplace_coaches WHERE employer_id = $1 AND name_key = $2",
    )
    .bind(employer.0)
    .bind(name_key(name))
    .fetch_optional(&mut *conn)
    .await?;
    match found {
        Some(id) => Ok(CoachId(id)),
        None => {
            let c = NewCoach {
                name: name.trim().to_string(),
                role: None,
                phone: None,
                email: None,
            };
            add(conn, employer, &c, at).await
        }
    }
}

pub async fn at_employer(
    conn: &mut Conn,
    employer: EmployerId,
) -> Result<Vec<CoachRow>, StoreError> {
    crate::row::all(
        conn,
        &format!("{COACH} WHERE c.employer_id = $1 ORDER BY c.name_key, c.id"),
        employer.0,
    )
    .await
}

/// The organisation's coaches by name with their employer's, for a training's invitation list.
pub async fn of_org(
    conn: &mut Conn,
    org: OrgId,
    limit: i64,
) -> Result<Vec<(CoachId, String, String)>, StoreError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT c.id, c.name, e.name FROM workplace_coaches c JOIN employers e ON e.id = c.employer_id \
         WHERE e.org_id = $1 ORDER BY c.name_key, c.id LIMIT $2",
    )
    .bind(org.0)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, employer)| (CoachId(id), name, employer))
        .collect())
}

/// How many of the coaches `ids` are at employers of `org`.
pub async fn count_of_org(conn: &mut Conn, org: OrgId, ids: &[i64]) -> Result<usize, StoreError> {
    crate::row::count_of_org(
        conn,
        "SELECT COUNT(*) FROM workplace_coaches c JOIN employers e ON e.id = c.employer_id \
         WHERE e.org_id = $1 AND c.id IN ({ids})",
        org,
        ids,
    )
    .await
}

/// Links a placement to the coach who supports it.
pub async fn set_placement_coach(
    conn: &mut Conn,
    placement: PlacementId,
    coach: CoachId,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE placements SET coach_id = $1 WHERE id = $2")
        .bind(coach.0)
        .bind(placement.0)
        .execute(conn)
        .await?;
    Ok(())
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct TrainingRow {
        pub id: TrainingId,
        pub org_id: OrgId,
        pub project_id: Option<ProjectId>,
        pub title: String,
        pub date: NaiveDate,
        pub hours: i64,
        pub place: Option<String>,
        pub invited: i64,
        pub present: i64,
    }
}

const TRAINING: &str = "SELECT t.id, t.org_id, t.project_id, t.title, t.date, t.hours, t.place, \
    (SELECT COUNT(*) FROM coach_training_attendance a WHERE a.training_id = t.id) AS invited, \
    (SELECT COUNT(*) FROM coach_training_attendance a WHERE a.training_id = t.id AND a.status = 'present') AS present \
    FROM coach_trainings t";

pub async fn add_training(
    conn: &mut Conn,
    org: OrgId,
    t: &NewTraining,
    at: DateTime<Utc>,
) -> Result<TrainingId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO coach_trainings (org_id, project_id, title, date, hours, place, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org.0)
    .bind(t.project_id)
    .bind(&t.title)
    .bind(date(t.date))
    .bind(t.hours)
    .bind(&t.place)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(TrainingId(id))
}

pub async fn training(conn: &mut Conn, id: TrainingId) -> Result<TrainingRow, StoreError> {
    crate::row::one(conn, &format!("{TRAINING} WHERE t.id = $1"), id.0).await
}

/// The organisation's training days, newest first.
pub async fn trainings(conn: &mut Conn, org: OrgId) -> Result<Vec<TrainingRow>, StoreError> {
    crate::row::all(
        conn,
        &format!("{TRAINING} WHERE t.org_id = $1 ORDER BY t.date DESC, t.id DESC LIMIT 500"),
        org.0,
    )
    .await
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct AttendeeRow {
        pub coach_id: CoachId,
        pub name: String,
        pub employer_id: EmployerId,
        pub employer_name: String,
        pub status: TrainingStatus,
    }
}

pub async fn attendees(
    conn: &mut Conn,
    training: TrainingId,
) -> Result<Vec<AttendeeRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT a.coach_id, c.name, c.employer_id, e.name AS employer_name, a.status \
         FROM coach_training_attendance a JOIN workplace_coaches c ON c.id = a.coach_id \
         JOIN employers e ON e.id = c.employer_id WHERE a.training_id = $1 ORDER BY c.name_key, c.id",
        training.0,
    )
    .await
}

/// A coach's place on a training day's list: invited, present or absent.
pub async fn set_attendance(
    conn: &mut Conn,
    training: TrainingId,
    coach: CoachId,
    status: TrainingStatus,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO coach_training_attendance (training_id, coach_id, status) VALUES ($1, $2, $3) \
         ON CONFLICT (training_id, coach_id) DO UPDATE SET status = excluded.status",
    )
    .bind(training.0)
    .bind(coach.0)
    .bind(status.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

/// Coaches trained for a project within its period — present on at least one of its training
/// days — and the workplaces (employers) they are at.
pub async fn trained(
    conn: &mut Conn,
    project: ProjectId,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<(i64, i64), StoreError> {
    let sql = "SELECT COUNT(DISTINCT c.id), COUNT(DISTINCT c.employer_id) FROM coach_training_attendance a \
         JOIN coach_trainings t ON t.id = a.training_id JOIN workplace_coaches c ON c.id = a.coach_id \
         WHERE t.project_id = $1 AND a.status = 'present' AND t.date >= $2 AND t.date <= $3";
    crate::row::one_in_period(conn, sql, project.0, (from, to)).await
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct MeetingRow {
        pub id: MeetingId,
        pub kind: MeetingKind,
        pub date: NaiveDate,
        pub notes: Option<String>,
        pub recorded_by_name: Option<String>,
    }
}

pub async fn add_meeting(
    conn: &mut Conn,
    placement: PlacementId,
    m: &NewMeeting,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<MeetingId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO placement_meetings (placement_id, kind, date, notes, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(placement.0)
    .bind(m.kind.as_str())
    .bind(date(m.date))
    .bind(&m.notes)
    .bind(by.0)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(MeetingId(id))
}

pub async fn meetings(
    conn: &mut Conn,
    placement: PlacementId,
) -> Result<Vec<MeetingRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT m.id, m.kind, m.date, m.notes, u.name AS recorded_by_name FROM placement_meetings m \
         LEFT JOIN users u ON u.id = m.recorded_by WHERE m.placement_id = $1 ORDER BY m.date, m.id",
        placement.0,
    )
    .await
}
