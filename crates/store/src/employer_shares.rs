//! Employers shared by their organisation with a partner organisation of one of its projects.

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use polku_domain::ids::{EmployerId, OrgId, UserId};

/// The organisations `org` works with in a project — the partners of the projects it owns or
/// is a partner in, and those projects' owners — whom it may share an employer with.
pub async fn share_candidates(
    conn: &mut Conn,
    org: OrgId,
) -> Result<Vec<(OrgId, String)>, StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT o.id, o.name FROM organisations o WHERE o.id <> $1 AND o.id IN ( \
           SELECT pp.org_id FROM project_partners pp JOIN projects p ON p.id = pp.project_id \
             WHERE p.owner_org_id = $1 OR p.id IN (SELECT project_id FROM project_partners WHERE org_id = $1) \
           UNION SELECT p.owner_org_id FROM projects p JOIN project_partners pp ON pp.project_id = p.id WHERE pp.org_id = $1) \
         ORDER BY o.name",
    )
    .bind(org.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id, n)| (OrgId(id), n)).collect())
}

pub async fn share(
    conn: &mut Conn,
    employer: EmployerId,
    with: OrgId,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO employer_shares (employer_id, org_id, shared_by, shared_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (employer_id, org_id) DO NOTHING",
    )
    .bind(employer.0)
    .bind(with.0)
    .bind(by.0)
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the employer is shared with `org`.
pub async fn is_shared_with(
    conn: &mut Conn,
    employer: EmployerId,
    org: OrgId,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM employer_shares WHERE employer_id = $1 AND org_id = $2",
    )
    .bind(employer.0)
    .bind(org.0)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The organisations the employer is shared with, by name.
pub async fn shared_with(conn: &mut Conn, employer: EmployerId) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT o.name FROM employer_shares s JOIN organisations o ON o.id = s.org_id WHERE s.employer_id = $1 ORDER BY o.name",
    )
    .bind(employer.0)
    .fetch_all(conn)
    .await?)
}
