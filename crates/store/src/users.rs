use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use polku_domain::authz::{Actor, Role};
use polku_domain::ids::{OrgId, UserId};
use polku_domain::validated::Email;

crate::typed_row! {
    #[derive(Clone)]
    pub struct UserRow {
        pub id: UserId,
        pub org_id: OrgId,
        pub email: String,
        pub name: String,
        pub password_hash: String,
        pub role: Role,
        pub locale: String,
        pub active: bool,
        pub failed_logins: i64,
        /// Set when the account was locked after repeated failed logins; an admin clears it.
        pub locked_at: Option<DateTime<Utc>>,
    }
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
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.id,
            org: self.org_id,
            role: self.role,
        }
    }
}

const COLS: &str =
    "id, org_id, email, name, password_hash, role, locale, active, failed_logins, locked_at";

pub struct NewUser<'a> {
    pub org: OrgId,
    pub email: &'a Email,
    pub name: &'a str,
    /// Empty for an invited user: no password verifies until they set one through their link.
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
    crate::row::one(
        conn,
        &format!("SELECT {COLS} FROM users WHERE id = $1"),
        id.0,
    )
    .await
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
    crate::row::all(conn, &format!(
        "SELECT {COLS} FROM users WHERE org_id = $1 AND active = 1 AND role IN ('counsellor', 'project_manager') ORDER BY name"
    ), org.0).await
}

pub async fn set_locale(conn: &mut Conn, id: UserId, locale: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Counts a failed login; locks the account when `lock_after` failures in a row are reached.
/// Returns whether the account is now locked.
pub async fn login_failed(
    conn: &mut Conn,
    id: UserId,
    lock_after: i64,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let locked: Option<String> = sqlx::query_scalar(
        "UPDATE users SET failed_logins = failed_logins + 1, \
         locked_at = CASE WHEN failed_logins + 1 >= $2 THEN COALESCE(locked_at, $3) ELSE locked_at END \
         WHERE id = $1 RETURNING locked_at",
    )
    .bind(id.0)
    .bind(lock_after)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(locked.is_some())
}

/// A successful login starts the count of failures again.
pub async fn login_succeeded(conn: &mut Conn, id: UserId) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET failed_logins = 0 WHERE id = $1 AND failed_logins <> 0")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Unlocks an account of `org`; NotFound for an account of another organisation.
pub async fn unlock(conn: &mut Conn, id: UserId, org: Option<OrgId>) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE users SET failed_logins = 0, locked_at = NULL WHERE id = $1 AND ($2 IS NULL OR org_id = $2)",
    )
    .bind(id.0)
    .bind(org.map(|o| o.0))
    .execute(conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

pub async fn set_password(conn: &mut Conn, id: UserId, hash: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, failed_logins = 0, locked_at = NULL WHERE id = $2",
    )
    .bind(hash)
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores a one-time link (its hash) with which `user` sets their own password.
pub async fn create_password_link(
    conn: &mut Conn,
    user: UserId,
    token: &str,
    at: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO password_links (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user.0)
    .bind(crate::tokens::hash(token))
    .bind(ts(at))
    .bind(ts(expires))
    .execute(conn)
    .await?;
    Ok(())
}

/// The user a still-usable link belongs to; with `consume`, the link is used up in the same
/// conditional statement, so of two concurrent submissions one wins.
pub async fn password_link_user(
    conn: &mut Conn,
    token: &str,
    now: DateTime<Utc>,
    consume: bool,
) -> Result<Option<UserId>, StoreError> {
    let sql = if consume {
        "UPDATE password_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id"
    } else {
        "SELECT user_id FROM password_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"
    };
    let id: Option<i64> = sqlx::query_scalar(sql)
        .bind(crate::tokens::hash(token))
        .bind(ts(now))
        .fetch_optional(conn)
        .await?;
    Ok(id.map(UserId))
}
