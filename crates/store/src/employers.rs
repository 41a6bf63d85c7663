//! The employer register: employers, their contact persons and the timeline of interactions.

use crate::{date, ts, Conn, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use polku_domain::employer::{
    AttendeeKind, Attendees, Industry, InteractionKind, NewContactPerson, NewEmployer,
    NewInteraction, SizeClass,
};
use polku_domain::ids::{EmployerId, InteractionId, OrgId, ProjectId, UserId};
use std::collections::HashSet;

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct EmployerRow {
        pub id: EmployerId,
        pub org_id: OrgId,
        pub business_id: String,
        pub name: String,
        pub industry: Option<Industry>,
        pub size_class: Option<SizeClass>,
        pub municipality: Option<String>,
        pub address: Option<String>,
        pub contact_consent: bool,
        pub owner_id: Option<UserId>,
        pub owner_name: Option<String>,
        pub notes: Option<String>,
        pub version: i64,
    }
}

const SELECT: &str = "SELECT e.id, e.org_id, e.business_id, e.name, e.industry, e.size_class, e.municipality, e.address, \
    e.contact_consent, e.owner_id, u.name AS owner_name, e.notes, e.version FROM employers e LEFT JOIN users u ON u.id = e.owner_id";

use polku_domain::import::employers::name_key;

pub async fn create(
    conn: &mut Conn,
    org: OrgId,
    e: &NewEmployer,
    at: DateTime<Utc>,
) -> Result<EmployerId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO employers (org_id, business_id, name, name_key, industry, size_class, municipality, address, contact_consent, owner_id, notes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(org.0)
    .bind(e.business_id.as_str())
    .bind(&e.name)
    .bind(name_key(&e.name))
    .bind(e.industry.map(|i| i.as_str()))
    .bind(e.size_class.map(|s| s.as_str()))
    .bind(e.municipality.map(|m| m.code()))
    .bind(&e.address)
    .bind(i64::from(e.contact_consent))
    .bind(e.owner_id)
    .bind(&e.notes)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(EmployerId(id))
}

/// Changes an employer if it is still at `version`; false when someone else changed it first.
pub async fn update(
    conn: &mut Conn,
    id: EmployerId,
    e: &NewEmployer,
    version: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE employers SET business_id = $1, name = $2, name_key = $3, industry = $4, size_class = $5, municipality = $6, \
         address = $7, contact_consent = $8, owner_id = $9, notes = $10, version = version + 1 WHERE id = $11 AND version = $12",
    )
    .bind(e.business_id.as_str())
    .bind(&e.name)
    .bind(name_key(&e.name))
    .bind(e.industry.map(|i| i.as_str()))
    .bind(e.size_class.map(|s| s.as_str()))
    .bind(e.municipality.map(|m| m.code()))
    .bind(&e.address)
    .bind(i64::from(e.contact_consent))
    .bind(e.owner_id)
    .bind(&e.notes)
    .bind(id.0)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn get(conn: &mut Conn, id: EmployerId) -> Result<EmployerRow, StoreError> {
    crate::row::one(conn, &format!("{SELECT} WHERE e.id = $1"), id.0).await
}

/// The organisation's first employer whose `column` holds `value`.
async fn first_with(
    conn: &mut Conn,
    org: OrgId,
    column: &str,
    value: &str,
) -> Result<Option<EmployerRow>, StoreError> {
    let sql = format!("{SELECT} WHERE e.org_id = $1 AND e.{column} = $2 ORDER BY e.id LIMIT 1");
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(value)
        .fetch_optional(conn)
        .await?)
}

/// The organisation's employer with this Y-tunnus, if any.
pub async fn by_business_id(
    conn: &mut Conn,
    org: OrgId,
    business_id: &str,
) -> Result<Option<EmployerRow>, StoreError> {
    first_with(conn, org, "business_id", business_id).await
}

/// An employer of the organisation with this name (in any case), if any.
pub async fn by_name(
    conn: &mut Conn,
    org: OrgId,
    name: &str,
) -> Result<Option<EmployerRow>, StoreError> {
    first_with(conn, org, "name_key", &name_key(name)).await
}

/// The organisation's employers whose name or Y-tunnus contains `q`, by name; `after` is the
/// last employer of the previous page (keyset paging by name, then id), and at most `limit` are
/// returned.
pub async fn search(
    conn: &mut Conn,
    org: OrgId,
    q: &str,
    after: Option<EmployerId>,
    limit: i64,
) -> Result<Vec<EmployerRow>, StoreError> {
    // The register's own employers and those partners shared with it, each read along its
    // index in (name, id) order and merged: one query with OR reads the whole table (24 ms
    // against 2 ms at 50 000 employers).
    let pattern = format!("%{}%", name_key(q).replace(['%', '_'], ""));
    let mut rows = vec![];
    for whose in [
        "e.org_id = $1",
        "e.id IN (SELECT employer_id FROM employer_shares WHERE org_id = $1)",
    ] {
        let page: Vec<EmployerRow> = sqlx::query_as(&format!(
            "{SELECT} WHERE {whose} AND (e.name_key LIKE $2 OR e.business_id LIKE $2) \
             AND ($3 IS NULL OR e.name_key > (SELECT name_key FROM employers WHERE id = $3) \
                  OR (e.name_key = (SELECT name_key FROM employers WHERE id = $3) AND e.id > $3)) \
             ORDER BY e.name_key, e.id LIMIT $4"
        ))
        .bind(org.0)
        .bind(&pattern)
        .bind(after.map(|a| a.0))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        rows.extend(page);
    }
    rows.sort_by_cached_key(|e| (name_key(&e.name), e.id));
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(rows)
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ContactPersonRow {
        pub id: i64,
        pub name: String,
        pub role: Option<String>,
        pub phone: Option<String>,
        pub email: Option<String>,
    }
}

pub async fn add_contact(
    conn: &mut Conn,
    employer: EmployerId,
    c: &NewContactPerson,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("INSERT INTO employer_contacts (employer_id, name, role, phone, email, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(employer.0)
        .bind(&c.name)
        .bind(&c.role)
        .bind(&c.phone)
        .bind(c.email.as_ref().map(|e| e.as_str()))
        .bind(ts(at))
        .fetch_one(conn)
        .await?)
}

pub async fn contacts(
    conn: &mut Conn,
    employer: EmployerId,
) -> Result<Vec<ContactPersonRow>, StoreError> {
    crate::row::all(conn, "SELECT id, name, role, phone, email FROM employer_contacts WHERE employer_id = $1 ORDER BY name, id", employer.0).await
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct InteractionRow {
        pub id: InteractionId,
        pub employer_id: EmployerId,
        pub project_id: Option<ProjectId>,
        pub kind: InteractionKind,
        pub date: NaiveDate,
        pub summary: String,
        pub needs: Option<String>,
        pub others_count: i64,
        pub follow_up_date: Option<NaiveDate>,
        pub follow_up_task: Option<String>,
        pub recorded_by_name: Option<String>,
    }
}

pub async fn add_interaction(
    conn: &mut Conn,
    employer: EmployerId,
    i: &NewInteraction,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<InteractionId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO employer_interactions (employer_id, project_id, kind, date, summary, needs, others_count, follow_up_date, follow_up_task, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(employer.0)
    .bind(i.project_id)
    .bind(i.kind.as_str())
    .bind(date(i.date))
    .bind(&i.summary)
    .bind(&i.needs)
    .bind(i.others_count)
    .bind(i.follow_up.as_ref().map(|(d, _)| date(*d)))
    .bind(i.follow_up.as_ref().map(|(_, t)| t.as_str()))
    .bind(by.0)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(InteractionId(id))
}

/// The employer's timeline, newest first.
pub async fn interactions(
    conn: &mut Conn,
    employer: EmployerId,
) -> Result<Vec<InteractionRow>, StoreError> {
    crate::row::all(conn, "SELECT i.id, i.employer_id, i.project_id, i.kind, i.date, i.summary, i.needs, i.others_count, i.follow_up_date, i.follow_up_task, \
         u.name AS recorded_by_name FROM employer_interactions i LEFT JOIN users u ON u.id = i.recorded_by WHERE i.employer_id = $1 ORDER BY i.date DESC, i.id DESC", employer.0).await
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct EmployerTaskRow {
        pub employer_id: EmployerId,
        pub employer_name: String,
        pub follow_up_date: NaiveDate,
        pub follow_up_task: String,
    }
}

/// Open follow-up tasks due by `until`, for the coordinator's front page: their own
/// employers', or (for `None`) the organisation's.
pub async fn tasks_due(
    conn: &mut Conn,
    org: OrgId,
    owner: Option<UserId>,
    until: NaiveDate,
) -> Result<Vec<EmployerTaskRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT e.id AS employer_id, e.name AS employer_name, i.follow_up_date, i.follow_up_task FROM employer_interactions i \
         JOIN employers e ON e.id = i.employer_id WHERE e.org_id = $1 AND ($2 IS NULL OR e.owner_id = $2) \
         AND i.follow_up_done = 0 AND i.follow_up_date IS NOT NULL AND i.follow_up_date <= $3 ORDER BY i.follow_up_date, e.name_key LIMIT 200",
    )
    .bind(org.0)
    .bind(owner.map(|u| u.0))
    .bind(date(until))
    .fetch_all(conn)
    .await?)
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct IndustryCount {
        pub industry: Option<Industry>,
        pub employers: i64,
        pub with_needs: i64,
    }
}

/// Employers with an interaction for the project in its period, by industry: how many, and
/// how many of them told their skill or recruitment needs.
pub async fn by_industry(
    conn: &mut Conn,
    project: ProjectId,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<IndustryCount>, StoreError> {
    let sql = "SELECT e.industry, COUNT(*) AS employers, SUM(CASE WHEN w.needs > 0 THEN 1 ELSE 0 END) AS with_needs FROM employers e JOIN \
         (SELECT employer_id, SUM(CASE WHEN needs IS NULL THEN 0 ELSE 1 END) AS needs FROM employer_interactions \
          WHERE project_id = $1 AND date >= $2 AND date <= $3 GROUP BY employer_id) w ON w.employer_id = e.id \
         GROUP BY e.industry ORDER BY e.industry";
    crate::row::in_period(conn, sql, project.0, (from, to)).await
}

/// The register's Y-tunnukset and names (as [`name_key`] compares them), for the import's
/// duplicate check.
pub async fn register_keys(
    conn: &mut Conn,
    org: OrgId,
) -> Result<(HashSet<String>, HashSet<String>), StoreError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT business_id, name_key FROM employers WHERE org_id = $1")
            .bind(org.0)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().unzip())
}

/// Records who took part in an interaction.
pub async fn add_attendees(
    conn: &mut Conn,
    interaction: InteractionId,
    who: &Attendees,
) -> Result<(), StoreError> {
    for (kind, id) in &who.0 {
        sqlx::query(
            "INSERT INTO interaction_attendees (interaction_id, kind, ref_id) VALUES ($1, $2, $3)",
        )
        .bind(interaction.0)
        .bind(kind.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct AttendeeNameRow {
        pub interaction_id: InteractionId,
        pub kind: AttendeeKind,
        pub ref_id: i64,
        pub name: String,
    }
}

/// Who took part in the employer's interactions, by name, in the order of kinds and names.
pub async fn attendees(
    conn: &mut Conn,
    employer: EmployerId,
) -> Result<Vec<AttendeeNameRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT a.interaction_id, a.kind, a.ref_id, COALESCE(u.name, c.name, p.last_name || ', ' || p.first_name, '') AS name \
         FROM interaction_attendees a JOIN employer_interactions i ON i.id = a.interaction_id \
         LEFT JOIN users u ON a.kind = 'staff' AND u.id = a.ref_id \
         LEFT JOIN employer_contacts c ON a.kind = 'contact' AND c.id = a.ref_id \
         LEFT JOIN participants p ON a.kind = 'participant' AND p.id = a.ref_id \
         WHERE i.employer_id = $1 ORDER BY a.interaction_id, CASE a.kind WHEN 'staff' THEN 0 WHEN 'contact' THEN 1 ELSE 2 END, name",
        employer.0,
    )
    .await
}

/// Removes a contact person of the employer (their personal data goes, and with them their
/// place among an interaction's attendees); `false` when the employer has no such contact.
pub async fn remove_contact(
    conn: &mut Conn,
    employer: EmployerId,
    contact: i64,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM employer_contacts WHERE id = $1 AND employer_id = $2",
    )
    .bind(contact)
    .bind(employer.0)
    .fetch_one(&mut *conn)
    .await?;
    if n == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM interaction_attendees WHERE kind = 'contact' AND ref_id = $1")
        .bind(contact)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM employer_contacts WHERE id = $1")
        .bind(contact)
        .execute(conn)
        .await?;
    Ok(true)
}
