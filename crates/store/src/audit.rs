//! Append-only log of reads and writes of personal data. `detail` must never hold personal data.

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use polku_domain::authz::Actor;

#[derive(Debug, Clone, Copy)]
pub enum AuditAction {
    Read,
    Create,
    Update,
    Search,
    Export,
    Login,
    LoginFailed,
    Logout,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Read => "read",
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Search => "search",
            AuditAction::Export => "export",
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
        }
    }
}

pub async fn record(
    conn: &mut Conn,
    at: DateTime<Utc>,
    actor: Option<&Actor>,
    action: AuditAction,
    entity: &str,
    entity_id: Option<i64>,
    detail: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO audit_log (at, user_id, org_id, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(ts(at))
        .bind(actor.map(|a| a.user.0))
        .bind(actor.map(|a| a.org.0))
        .bind(action.as_str())
        .bind(entity)
        .bind(entity_id)
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub detail: String,
}

/// Filters for reading the log; every field optional. Dates are yyyy-mm-dd, `to` inclusive.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub org: Option<i64>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Newest first.
pub async fn list(conn: &mut Conn, f: &Filter, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
    // Timestamps are RFC 3339 text, so a day's end is the next day's start as a string bound.
    let to_excl =
        f.to.as_ref()
            .and_then(|d| crate::parse_date(d))
            .and_then(|d| d.succ_opt())
            .map(crate::date);
    Ok(sqlx::query_as(
        "SELECT a.id, a.at, a.user_id, u.name AS user_name, a.action, a.entity, a.entity_id, a.detail \
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
         WHERE ($1 IS NULL OR a.org_id = $1) AND ($2 IS NULL OR a.action = $2) AND ($3 IS NULL OR a.entity = $3) \
         AND ($4 IS NULL OR a.entity_id = $4) AND ($5 IS NULL OR a.at >= $5) AND ($6 IS NULL OR a.at < $6) \
         ORDER BY a.id DESC LIMIT $7",
    )
    .bind(f.org)
    .bind(&f.action)
    .bind(&f.entity)
    .bind(f.entity_id)
    .bind(&f.from)
    .bind(to_excl)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
