//! Service catalogue, sessions, enrolment (capacity and waiting list), attendance, guidance contacts.

use crate::{date, ts, Conn, StoreError};
use chrono::NaiveDate;
use chrono::{DateTime, NaiveDateTime, Utc};
use polku_domain::authz::Actor;
use polku_domain::ids::{ContactId, ProjectId, ServiceId, SessionId};
use polku_domain::ids::{OrgId, ParticipantId};
use polku_domain::services::{
    Approval, Attendance, EnrolmentStatus, NewContact, ServiceDraft, SessionDraft,
};
use polku_domain::services::{Channel, ContactKind, OfferedBy, ServiceKind};
use polku_domain::ErrorCode;

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ServiceRow {
        pub id: ServiceId,
        pub org_id: OrgId,
        pub org_name: String,
        pub provider_org_id: OrgId,
        pub provider_name: String,
        pub project_id: Option<ProjectId>,
        pub project_code: Option<String>,
        pub kind: ServiceKind,
        pub name: String,
        pub description: Option<String>,
        pub channel: Channel,
        pub place: Option<String>,
        pub town: Option<String>,
        pub capacity: Option<i64>,
        pub languages: String,
        pub offered_by: OfferedBy,
        pub proposed_by_participant_id: Option<ParticipantId>,
        pub approval: Approval,
        pub starts_on: Option<NaiveDate>,
        pub ends_on: Option<NaiveDate>,
        pub enrolled_count: i64,
        pub waiting_count: i64,
        pub session_count: i64,
        pub version: i64,
    }
}

const SELECT: &str = "SELECT s.id, s.org_id, o.name AS org_name, s.provider_org_id, po.name AS provider_name, s.project_id, p.code AS project_code, \
    s.kind, s.name, s.description, s.channel, s.place, s.town, s.capacity, s.languages, s.offered_by, s.proposed_by_participant_id, \
    s.approval, s.starts_on, s.ends_on, s.enrolled_count, \
    (SELECT COUNT(*) FROM enrolments e WHERE e.service_id = s.id AND e.status = 'waiting') AS waiting_count, \
    (SELECT COUNT(*) FROM service_sessions ss WHERE ss.service_id = s.id) AS session_count, s.version \
    FROM services s JOIN organisations o ON o.id = s.org_id JOIN organisations po ON po.id = s.provider_org_id \
    LEFT JOIN projects p ON p.id = s.project_id";

pub async fn create(
    conn: &mut Conn,
    org: OrgId,
    provider: OrgId,
    d: &ServiceDraft,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO services (org_id, provider_org_id, project_id, kind, name, description, channel, place, town, capacity, languages, \
         offered_by, proposed_by_participant_id, approval, starts_on, ends_on, enrolled_count, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 0, 1, $17, $17) RETURNING id",
    )
    .bind(org.0)
    .bind(provider.0)
    .bind(d.project_id)
    .bind(d.kind.as_str())
    .bind(&d.name)
    .bind(&d.description)
    .bind(d.channel.as_str())
    .bind(&d.place)
    .bind(&d.town)
    .bind(d.capacity)
    .bind(d.languages.join(","))
    .bind(d.offered_by.as_str())
    .bind(d.proposed_by_participant_id)
    .bind(d.initial_approval().as_str())
    .bind(d.starts_on.map(date))
    .bind(d.ends_on.map(date))
    .bind(ts(at))
    .fetch_one(conn)
    .await?)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<ServiceRow, StoreError> {
    crate::row::one(conn, &format!("{SELECT} WHERE s.id = $1"), id).await
}

/// Filters for the catalogue; every field optional.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub kind: Option<String>,
    pub project_id: Option<i64>,
    pub town: Option<String>,
    pub text: Option<String>,
    pub channel: Option<String>,
    /// A language code the service is given in (`fi`, `sv`, `en`).
    pub language: Option<String>,
    /// The organising organisation.
    pub org_id: Option<i64>,
    /// Only those with a free place (or no limit).
    pub free_only: bool,
}

/// The catalogue is shared by the partner network: every organisation sees every approved service,
/// and its own pending proposals.
pub async fn list(
    conn: &mut Conn,
    viewer: OrgId,
    f: &Filter,
) -> Result<Vec<ServiceRow>, StoreError> {
    let text = f.text.as_ref().map(|t| {
        format!(
            "%{}%",
            t.to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    });
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE (s.approval = 'approved' OR s.org_id = $1) AND ($2 IS NULL OR s.kind = $2) AND ($3 IS NULL OR s.project_id = $3) \
         AND ($4 IS NULL OR LOWER(s.town) = LOWER($4)) AND ($5 IS NULL OR LOWER(s.name) LIKE $5 ESCAPE '\\') \
         AND ($6 IS NULL OR s.channel = $6) AND ($7 IS NULL OR LOWER(s.languages) LIKE $7) AND ($8 IS NULL OR s.org_id = $8) \
         AND ($9 = 0 OR s.capacity IS NULL OR s.enrolled_count < s.capacity) \
         ORDER BY s.starts_on DESC, s.name LIMIT 1000"
    ))
    .bind(viewer.0)
    .bind(&f.kind)
    .bind(f.project_id)
    .bind(&f.town)
    .bind(text)
    .bind(&f.channel)
    .bind(f.language.as_ref().map(|l| format!("%{}%", l.to_lowercase().replace('%', ""))))
    .bind(f.org_id)
    .bind(i64::from(f.free_only))
    .fetch_all(conn)
    .await?)
}

/// The approved services of the person's organisation open to them (no target groups named,
/// or theirs among them) and not yet over on `today`, soonest first: what they may sign up for.
pub async fn open_to(
    conn: &mut Conn,
    person: ParticipantId,
    today: NaiveDate,
) -> Result<Vec<ServiceRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} JOIN participants x ON x.id = $1 WHERE s.org_id = x.org_id AND s.approval = 'approved' \
         AND (s.ends_on IS NULL OR s.ends_on >= $2) \
         AND (NOT EXISTS (SELECT 1 FROM service_target_groups g WHERE g.service_id = s.id) \
              OR EXISTS (SELECT 1 FROM service_target_groups g WHERE g.service_id = s.id AND g.target_group_id = x.target_group_id)) \
         ORDER BY s.starts_on, s.name LIMIT 200"
    ))
    .bind(person.0)
    .bind(date(today))
    .fetch_all(conn)
    .await?)
}

/// The modules the participant proposed, newest first.
pub async fn proposed_by(
    conn: &mut Conn,
    person: ParticipantId,
) -> Result<Vec<ServiceRow>, StoreError> {
    crate::row::all(
        conn,
        &format!("{SELECT} WHERE s.proposed_by_participant_id = $1 ORDER BY s.id DESC"),
        person.0,
    )
    .await
}

/// Who may join each approved service: (service, target group name), by service.
pub async fn target_group_names(conn: &mut Conn) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT stg.service_id, tg.name FROM service_target_groups stg \
         JOIN target_groups tg ON tg.id = stg.target_group_id \
         JOIN services s ON s.id = stg.service_id WHERE s.approval = 'approved' \
         ORDER BY stg.service_id, tg.name",
    )
    .fetch_all(conn)
    .await?)
}

pub async fn set_approval(
    conn: &mut Conn,
    id: i64,
    approval: Approval,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE services SET approval = $1, version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(approval.as_str())
    .bind(ts(at))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct SessionRow {
        pub id: SessionId,
        pub service_id: ServiceId,
        pub starts_at: NaiveDateTime,
        pub ends_at: NaiveDateTime,
        pub place: Option<String>,
        pub facilitators: Option<String>,
        /// How many attendance marks the session has: none means it is still to be marked.
        pub marked: i64,
    }
}

const SESSION_COLUMNS: &str = "id, service_id, starts_at, ends_at, place, facilitators, \
     (SELECT COUNT(*) FROM attendance a WHERE a.session_id = service_sessions.id) AS marked";

fn local(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

pub async fn add_session(
    conn: &mut Conn,
    service: i64,
    s: &SessionDraft,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("INSERT INTO service_sessions (service_id, starts_at, ends_at, place, facilitators) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(service)
        .bind(local(s.starts_at))
        .bind(local(s.ends_at))
        .bind(&s.place)
        .bind(&s.facilitators)
        .fetch_one(conn)
        .await?)
}

pub async fn sessions(conn: &mut Conn, service: i64) -> Result<Vec<SessionRow>, StoreError> {
    crate::row::all(conn, &format!("SELECT {SESSION_COLUMNS} FROM service_sessions WHERE service_id = $1 ORDER BY starts_at, id"), service).await
}

pub async fn session(conn: &mut Conn, id: i64) -> Result<SessionRow, StoreError> {
    crate::row::one(
        conn,
        &format!("SELECT {SESSION_COLUMNS} FROM service_sessions WHERE id = $1"),
        id,
    )
    .await
}

/// Takes one seat if one is free. The condition and the increment are one statement, so two
/// counsellors enrolling at the same moment cannot both get the last seat.
async fn take_seat(conn: &mut Conn, service: i64) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE services SET enrolled_count = enrolled_count + 1 WHERE id = $1 AND (capacity IS NULL OR enrolled_count < capacity)")
        .bind(service)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

async fn set_status(
    conn: &mut Conn,
    service: i64,
    participant: i64,
    status: EnrolmentStatus,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO enrolments (service_id, participant_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (service_id, participant_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
    )
    .bind(service)
    .bind(participant)
    .bind(status.as_str())
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn enrolment(
    conn: &mut Conn,
    service: i64,
    participant: i64,
) -> Result<Option<EnrolmentStatus>, StoreError> {
    let s: Option<String> = sqlx::query_scalar(
        "SELECT status FROM enrolments WHERE service_id = $1 AND participant_id = $2",
    )
    .bind(service)
    .bind(participant)
    .fetch_optional(conn)
    .await?;
    Ok(s.and_then(|s| EnrolmentStatus::parse(&s).ok()))
}

/// Enrols, or with `waitlist` queues when full. Without it a full programme is refused, and so
/// is a participant outside the service's target groups (when it names any).
pub async fn enrol(
    conn: &mut Conn,
    service: i64,
    participant: ParticipantId,
    waitlist: bool,
    at: DateTime<Utc>,
) -> Result<EnrolmentStatus, StoreError> {
    let groups = target_groups(conn, service).await?;
    if !groups.is_empty() {
        let tg: Option<i64> =
            sqlx::query_scalar("SELECT target_group_id FROM participants WHERE id = $1")
                .bind(participant.0)
                .fetch_one(&mut *conn)
                .await?;
        if !tg.is_some_and(|t| groups.iter().any(|(g, _)| *g == t)) {
            return Err(StoreError::Rule(ErrorCode::NotInTargetGroup));
        }
    }
    if let Some(EnrolmentStatus::Enrolled | EnrolmentStatus::Waiting) =
        enrolment(conn, service, participant.0).await?
    {
        return Err(StoreError::Rule(ErrorCode::AlreadyEnrolled));
    }
    let status = if take_seat(conn, service).await? {
        EnrolmentStatus::Enrolled
    } else if waitlist {
        EnrolmentStatus::Waiting
    } else {
        return Err(StoreError::Rule(ErrorCode::CapacityFull));
    };
    set_status(conn, service, participant.0, status, at).await?;
    Ok(status)
}

/// Cancels; a freed seat goes to the first on the waiting list. Returns who was promoted.
pub async fn cancel(
    conn: &mut Conn,
    service: i64,
    participant: ParticipantId,
    at: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    let was = enrolment(conn, service, participant.0).await?;
    if !matches!(
        was,
        Some(EnrolmentStatus::Enrolled | EnrolmentStatus::Waiting)
    ) {
        return Err(StoreError::NotFound);
    }
    set_status(conn, service, participant.0, EnrolmentStatus::Cancelled, at).await?;
    if was != Some(EnrolmentStatus::Enrolled) {
        return Ok(None);
    }
    sqlx::query("UPDATE services SET enrolled_count = enrolled_count - 1 WHERE id = $1")
        .bind(service)
        .execute(&mut *conn)
        .await?;
    let next: Option<i64> = sqlx::query_scalar("SELECT participant_id FROM enrolments WHERE service_id = $1 AND status = 'waiting' ORDER BY updated_at, id LIMIT 1")
        .bind(service)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(p) = next {
        if take_seat(conn, service).await? {
            set_status(conn, service, p, EnrolmentStatus::Enrolled, at).await?;
            return Ok(Some(p));
        }
    }
    Ok(None)
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct RosterRow {
        pub participant_id: ParticipantId,
        pub first_name: String,
        pub last_name: String,
        /// To tell apart two people of the same name.
        pub birth_date: NaiveDate,
        pub status: String,
    }
}

/// Enrolled and waiting participants, waiting list in queue order.
pub async fn roster(conn: &mut Conn, service: i64) -> Result<Vec<RosterRow>, StoreError> {
    crate::row::all(conn, "SELECT e.participant_id, p.first_name, p.last_name, p.birth_date, e.status FROM enrolments e JOIN participants p ON p.id = e.participant_id \
         WHERE e.service_id = $1 AND e.status <> 'cancelled' ORDER BY e.status, CASE WHEN e.status = 'waiting' THEN e.updated_at END, p.last_name, p.first_name", service).await
}

pub async fn record_attendance(
    conn: &mut Conn,
    session: i64,
    participant: i64,
    status: Attendance,
    by: &Actor,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO attendance (session_id, participant_id, status, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (session_id, participant_id) DO UPDATE SET status = excluded.status, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
    )
    .bind(session)
    .bind(participant)
    .bind(status.as_str())
    .bind(by.user.0)
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(())
}

crate::typed_row! {
    /// One attendance mark.
    #[derive(Debug, Clone)]
    pub struct MarkRow {
        pub session_id: SessionId,
        pub participant_id: ParticipantId,
        pub status: Attendance,
    }
}

/// Every attendance mark in a service.
pub async fn attendance(conn: &mut Conn, service: i64) -> Result<Vec<MarkRow>, StoreError> {
    crate::row::all(conn, "SELECT a.session_id, a.participant_id, a.status FROM attendance a JOIN service_sessions s ON s.id = a.session_id WHERE s.service_id = $1", service).await
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ParticipantServiceRow {
        pub service_id: ServiceId,
        pub name: String,
        pub kind: ServiceKind,
        pub status: EnrolmentStatus,
        pub starts_on: Option<NaiveDate>,
        pub present: i64,
        pub recorded: i64,
    }
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct NextSessionRow {
        pub service_id: ServiceId,
        pub name: String,
        pub starts_at: NaiveDateTime,
        pub ends_at: NaiveDateTime,
    }
}

/// The participant's next session in a group they are enrolled in, from `from` (local time) on.
pub async fn next_session_for(
    conn: &mut Conn,
    participant: ParticipantId,
    from: NaiveDateTime,
) -> Result<Option<NextSessionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.id AS service_id, s.name, ss.starts_at, ss.ends_at FROM enrolments e \
         JOIN services s ON s.id = e.service_id JOIN service_sessions ss ON ss.service_id = s.id \
         WHERE e.participant_id = $1 AND e.status = 'enrolled' AND ss.starts_at >= $2 ORDER BY ss.starts_at LIMIT 1",
    )
    .bind(participant.0)
    .bind(local(from))
    .fetch_optional(conn)
    .await?)
}

/// A participant's programmes with their own attendance counts.
pub async fn for_participant(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<Vec<ParticipantServiceRow>, StoreError> {
    crate::row::all(conn, "SELECT s.id AS service_id, s.name, s.kind, e.status, s.starts_on, \
         (SELECT COUNT(*) FROM attendance a JOIN service_sessions ss ON ss.id = a.session_id WHERE ss.service_id = s.id AND a.participant_id = e.participant_id AND a.status = 'present') AS present, \
         (SELECT COUNT(*) FROM attendance a JOIN service_sessions ss ON ss.id = a.session_id WHERE ss.service_id = s.id AND a.participant_id = e.participant_id) AS recorded \
         FROM enrolments e JOIN services s ON s.id = e.service_id WHERE e.participant_id = $1 ORDER BY s.starts_on, s.name", participant.0).await
}

pub async fn add_contact(
    conn: &mut Conn,
    participant: ParticipantId,
    by: &Actor,
    c: &NewContact,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar("INSERT INTO contacts (participant_id, counsellor_id, kind, date, duration_min, summary, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(participant.0)
        .bind(by.user.0)
        .bind(c.kind.as_str())
        .bind(date(c.date))
        .bind(c.duration_min)
        .bind(&c.summary)
        .bind(ts(at))
        .fetch_one(&mut *conn)
        .await?;
    crate::search::index_text(conn, participant, by.user, &c.summary).await?;
    Ok(id)
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ContactRow {
        pub id: ContactId,
        pub counsellor_name: String,
        pub kind: ContactKind,
        pub date: NaiveDate,
        pub duration_min: i64,
        pub summary: String,
    }
}

pub async fn contacts(
    conn: &mut Conn,
    participant: ParticipantId,
) -> Result<Vec<ContactRow>, StoreError> {
    crate::row::all(conn, "SELECT c.id, u.name AS counsellor_name, c.kind, c.date, c.duration_min, c.summary FROM contacts c JOIN users u ON u.id = c.counsellor_id \
         WHERE c.participant_id = $1 ORDER BY c.date DESC, c.id DESC", participant.0).await
}

pub async fn set_target_groups(
    conn: &mut Conn,
    service: i64,
    groups: &[i64],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM service_target_groups WHERE service_id = $1")
        .bind(service)
        .execute(&mut *conn)
        .await?;
    for g in groups {
        sqlx::query(
            "INSERT INTO service_target_groups (service_id, target_group_id) VALUES ($1, $2)",
        )
        .bind(service)
        .bind(g)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// (id, name) of the target groups a service is for.
pub async fn target_groups(
    conn: &mut Conn,
    service: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    crate::row::all(conn, "SELECT g.id, g.name FROM service_target_groups s JOIN target_groups g ON g.id = s.target_group_id WHERE s.service_id = $1 ORDER BY g.name", service).await
}

/// Recomputes every service's enrolled count from its enrolments (after bulk loads).
pub async fn recount_enrolled(db: &crate::Db) -> Result<(), StoreError> {
    sqlx::query("UPDATE services SET enrolled_count = (SELECT COUNT(*) FROM enrolments e WHERE e.service_id = services.id AND e.status = 'enrolled')")
        .execute(db.pool())
        .await?;
    Ok(())
}
