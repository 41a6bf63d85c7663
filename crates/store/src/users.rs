use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use polku_domain::authz::{Actor, Role};
use polku_domain::ids::{OrgId, UserId};
use polku_domain::validated::Email;

#[derive(Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub org_id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub locale: String,
    pub active: i64,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "UserRow {{ id: {}, org_id: {}, role: {} }}",
            self.id, self.org_id, self.role
        )
    }
}

impl UserRow {
    /// `None` if the stored role is unknown (a newer schema) — such a user cannot act.
    pub fn actor(&self) -> Option<Actor> {
        Role::parse(&self.role).ok().map(|role| Actor {
            user: UserId(self.id),
            org: OrgId(self.org_id),
            role,
        })
    }
}

const COLS: &str = "id, org_id, email, name, password_hash, role, locale, active";

pub struct NewUser<'a> {
    pub org: OrgId,
    pub email: &'a Email,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub locale: &'a str,
}

pub async fn create(
    conn: &mut Conn,
    u: NewUser<'_>,
    at: DateTime<Utc>,
) -> Result<UserId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (org_id, email, name, password_hash, role, locale, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id",
    )
    .bind(u.org.0)
    .bind(u.email.as_str())
    .bind(u.name)
    .bind(u.password_hash)
    .bind(u.role.as_str())
    .bind(u.locale)
    .bind(ts(at))
    .fetch_one(conn)
    .await
    .map_err(StoreError::unique("email"))?;
    Ok(UserId(id))
}

pub async fn count(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(conn)
        .await?)
}

pub async fn by_email(conn: &mut Conn, email: &str) -> Result<Option<UserRow>, StoreError> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLS} FROM users WHERE email = $1"))
            .bind(email.trim().to_lowercase())
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn get(conn: &mut Conn, id: UserId) -> Result<UserRow, StoreError> {
    sqlx::query_as(&format!("SELECT {COLS} FROM users WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(conn: &mut Conn, org: Option<OrgId>) -> Result<Vec<UserRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM users WHERE ($1 IS NULL OR org_id = $1) ORDER BY name"
    ))
    .bind(org.map(|o| o.0))
    .fetch_all(conn)
    .await?)
}

/// Users who can be assigned as counsellors in an organisation.
pub async fn counsellors(conn: &mut Conn, org: OrgId) -> Result<Vec<UserRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM users WHERE org_id = $1 AND active = 1 AND role IN ('counsellor', 'project_manager') ORDER BY name"
    ))
    .bind(org.0)
    .fetch_all(conn)
    .await?)
}

pub async fn set_locale(conn: &mut Conn, id: UserId, locale: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}
