//! The annual calendar (vuosikello): programme sessions and duty shifts of an organisation,
//! and secret-address feed tokens for calendar subscriptions.

use crate::{date, ts, Conn, StoreError};
use chrono::NaiveDateTime;
use chrono::{DateTime, NaiveDate, Utc};
use polku_domain::ids::{OrgId, UserId};

crate::typed_row! {
    /// One calendar entry. `uid` is stable across exports so calendar apps update, not duplicate.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct EntryRow {
        pub uid: String,
        pub kind: String,
        pub title: String,
        pub starts_at: NaiveDateTime,
        pub ends_at: NaiveDateTime,
        pub place: Option<String>,
    }
}

/// Sessions of services the organisation organises or provides, and duty shifts at its drop-in
/// points or taken by it, between two dates. No personal data.
pub async fn entries(
    conn: &mut Conn,
    org: OrgId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<EntryRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT 'session-' || CAST(ss.id AS TEXT) AS uid, s.kind AS kind, s.name AS title, ss.starts_at, ss.ends_at, COALESCE(ss.place, s.place) AS place \
         FROM service_sessions ss JOIN services s ON s.id = ss.service_id \
         WHERE (s.org_id = $1 OR s.provider_org_id = $1) AND s.approval = 'approved' AND ss.starts_at >= $2 AND ss.starts_at < $3 \
         UNION ALL \
         SELECT 'shift-' || CAST(d.id AS TEXT), 'drop_in_duty', p.name || COALESCE(': ' || o.name, ''), d.starts_at, d.ends_at, p.address \
         FROM duty_shifts d JOIN dropin_points p ON p.id = d.point_id LEFT JOIN organisations o ON o.id = d.org_id \
         WHERE (p.org_id = $1 OR d.org_id = $1) AND d.starts_at >= $2 AND d.starts_at < $3 \
         ORDER BY 4, 1",
    )
    .bind(org.0)
    .bind(date(from))
    .bind(date(to))
    .fetch_all(conn)
    .await?)
}

pub async fn create_feed(
    conn: &mut Conn,
    user: UserId,
    token: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(user.0)
        .bind(crate::tokens::hash(token))
        .bind(ts(at))
        .execute(conn)
        .await?;
    Ok(())
}

/// The organisation whose calendar a feed token shows (the owner's, while the owner is active).
pub async fn feed_org(conn: &mut Conn, token: &str) -> Result<Option<OrgId>, StoreError> {
    let org: Option<i64> = sqlx::query_scalar("SELECT u.org_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.token_hash = $1 AND u.active = 1")
        .bind(crate::tokens::hash(token))
        .fetch_optional(conn)
        .await?;
    Ok(org.map(OrgId))
}
