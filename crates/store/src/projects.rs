use crate::{date, ts, Conn, StoreError};
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use polku_domain::eligibility::Rules;
use polku_domain::ids::{OrgId, ProjectId, TargetGroupId};
use polku_domain::project::ProjectDraft;

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ProjectRow {
        pub id: ProjectId,
        pub code: String,
        pub name: String,
        pub owner_org_id: OrgId,
        pub owner_name: String,
        pub funding_line: Option<String>,
        pub objective: Option<String>,
        pub start_date: NaiveDate,
        pub end_date: NaiveDate,
        pub authority: Option<String>,
        /// Comma-separated Statistics Finland municipality codes.
        pub municipalities: String,
        pub target_participants: Option<i64>,
        pub target_companies: Option<i64>,
        pub budget_public_cents: Option<i64>,
        pub budget_granted_cents: Option<i64>,
        pub budget_realised_cents: Option<i64>,
        pub final_payment_date: Option<NaiveDate>,
        pub retention_years: i64,
        pub version: i64,
        /// Participants registered so far (realised).
        pub participant_count: i64,
    }
}

const SELECT: &str = "SELECT p.id, p.code, p.name, p.owner_org_id, o.name AS owner_name, p.funding_line, p.objective, \
    p.start_date, p.end_date, p.authority, p.municipalities, p.target_participants, p.target_companies, \
    p.budget_public_cents, p.budget_granted_cents, p.budget_realised_cents, p.final_payment_date, p.retention_years, p.version, (SELECT COUNT(*) FROM participants x WHERE x.project_id = p.id) AS participant_count \
    FROM projects p JOIN organisations o ON o.id = p.owner_org_id";

fn munis(d: &ProjectDraft) -> String {
    d.municipalities
        .iter()
        .map(|m| m.code())
        .collect::<Vec<_>>()
        .join(",")
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Project columns in the order both INSERT and UPDATE bind them ($1..$15).
const COLUMNS: [&str; 15] = [
    "code",
    "name",
    "funding_line",
    "objective",
    "start_date",
    "end_date",
    "authority",
    "municipalities",
    "target_participants",
    "target_companies",
    "budget_public_cents",
    "budget_granted_cents",
    "budget_realised_cents",
    "final_payment_date",
    "retention_years",
];

fn bind_draft<'q>(q: AnyQuery<'q>, d: &ProjectDraft) -> AnyQuery<'q> {
    q.bind(d.code.clone())
        .bind(d.name.clone())
        .bind(d.funding_line.clone())
        .bind(d.objective.clone())
        .bind(date(d.start_date))
        .bind(date(d.end_date))
        .bind(d.authority.clone())
        .bind(munis(d))
        .bind(d.target_participants)
        .bind(d.target_companies)
        .bind(d.budget_public_cents)
        .bind(d.budget_granted_cents)
        .bind(d.budget_realised_cents)
        .bind(d.final_payment_date.map(date))
        .bind(d.retention_years)
}

pub async fn create(
    conn: &mut Conn,
    d: &ProjectDraft,
    owner: OrgId,
    at: DateTime<Utc>,
) -> Result<ProjectId, StoreError> {
    let placeholders: Vec<String> = (1..=COLUMNS.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "INSERT INTO projects ({}, owner_org_id, version, created_at, updated_at) VALUES ({}, $16, 1, $17, $17) RETURNING id",
        COLUMNS.join(", "),
        placeholders.join(", ")
    );
    let row = bind_draft(sqlx::query(&sql), d)
        .bind(owner.0)
        .bind(ts(at))
        .fetch_one(conn)
        .await
        .map_err(StoreError::unique("code"))?;
    Ok(ProjectId(sqlx::Row::try_get(&row, 0)?))
}

/// Saves an edit only if nobody saved since `version` was read.
pub async fn update(
    conn: &mut Conn,
    id: ProjectId,
    d: &ProjectDraft,
    version: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sets: Vec<String> = COLUMNS
        .iter()
        .enumerate()
        .map(|(n, c)| format!("{c} = ${}", n + 1))
        .collect();
    let sql = format!("UPDATE projects SET {}, version = version + 1, updated_at = $16 WHERE id = $17 AND version = $18", sets.join(", "));
    let r = bind_draft(sqlx::query(&sql), d)
        .bind(ts(at))
        .bind(id.0)
        .bind(version)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::unique("code"))?;
    if r.rows_affected() == 0 {
        get(conn, id).await?;
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub async fn get(conn: &mut Conn, id: ProjectId) -> Result<ProjectRow, StoreError> {
    crate::row::one(conn, &format!("{SELECT} WHERE p.id = $1"), id.0).await
}

pub async fn by_code(conn: &mut Conn, code: &str) -> Result<ProjectRow, StoreError> {
    sqlx::query_as(&format!("{SELECT} WHERE p.code = $1"))
        .bind(code.trim().to_uppercase())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(conn: &mut Conn) -> Result<Vec<ProjectRow>, StoreError> {
    Ok(
        sqlx::query_as(&format!("{SELECT} ORDER BY p.start_date DESC, p.code"))
            .fetch_all(conn)
            .await?,
    )
}

/// Projects whose participants an organisation may register: own or co-implemented.
pub async fn for_org(conn: &mut Conn, org: OrgId) -> Result<Vec<ProjectRow>, StoreError> {
    crate::row::all(conn, &format!(
        "{SELECT} WHERE p.owner_org_id = $1 OR p.id IN (SELECT project_id FROM project_partners WHERE org_id = $1) ORDER BY p.code"
    ), org.0).await
}

pub async fn add_partner(
    conn: &mut Conn,
    project: ProjectId,
    org: OrgId,
    role: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO project_partners (project_id, org_id, role) VALUES ($1, $2, $3) ON CONFLICT (project_id, org_id) DO UPDATE SET role = excluded.role")
        .bind(project.0)
        .bind(org.0)
        .bind(role)
        .execute(conn)
        .await?;
    Ok(())
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct PartnerRow {
        pub org_id: OrgId,
        pub name: String,
        pub role: String,
    }
}

pub async fn partners(conn: &mut Conn, project: ProjectId) -> Result<Vec<PartnerRow>, StoreError> {
    crate::row::all(conn, "SELECT pp.org_id, o.name, pp.role FROM project_partners pp JOIN organisations o ON o.id = pp.org_id WHERE pp.project_id = $1 ORDER BY o.name", project.0).await
}

pub async fn is_partner(
    conn: &mut Conn,
    project: ProjectId,
    org: OrgId,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM project_partners WHERE project_id = $1 AND org_id = $2",
    )
    .bind(project.0)
    .bind(org.0)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TargetGroup {
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub rules: Rules,
}

pub async fn add_target_group(
    conn: &mut Conn,
    project: ProjectId,
    name: &str,
    rules: &Rules,
) -> Result<TargetGroupId, StoreError> {
    let json =
        serde_json::to_string(rules).map_err(|e| StoreError::Corrupt(format!("rules: {e}")))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO target_groups (project_id, name, rules) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(project.0)
    .bind(name)
    .bind(json)
    .fetch_one(conn)
    .await?;
    Ok(TargetGroupId(id))
}

type GroupRow = (i64, i64, String, String);

fn to_group((id, project_id, name, rules): GroupRow) -> Result<TargetGroup, StoreError> {
    // Unreadable rules must not pass as "no requirements": that would make everyone eligible.
    let rules = serde_json::from_str(&rules)
        .map_err(|e| StoreError::Corrupt(format!("target group {id} rules: {e}")))?;
    Ok(TargetGroup {
        id,
        project_id,
        name,
        rules,
    })
}

pub async fn target_groups(
    conn: &mut Conn,
    project: ProjectId,
) -> Result<Vec<TargetGroup>, StoreError> {
    let rows: Vec<GroupRow> = sqlx::query_as(
        "SELECT id, project_id, name, rules FROM target_groups WHERE project_id = $1 ORDER BY id",
    )
    .bind(project.0)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(to_group).collect()
}

/// The target groups of every project an organisation runs or co-implements, in one query.
pub async fn target_groups_for_org(
    conn: &mut Conn,
    org: OrgId,
) -> Result<Vec<TargetGroup>, StoreError> {
    let rows: Vec<GroupRow> = sqlx::query_as(
        "SELECT g.id, g.project_id, g.name, g.rules FROM target_groups g JOIN projects p ON p.id = g.project_id \
         WHERE p.owner_org_id = $1 OR p.id IN (SELECT project_id FROM project_partners WHERE org_id = $1) ORDER BY p.code, g.id",
    )
    .bind(org.0)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(to_group).collect()
}
