use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use polku_domain::ids::OrgId;

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct Org {
        pub id: OrgId,
        pub name: String,
        pub business_id: Option<String>,
        pub kind: String,
    }
}

pub async fn create(
    conn: &mut Conn,
    name: &str,
    business_id: Option<&str>,
    kind: &str,
    at: DateTime<Utc>,
) -> Result<OrgId, StoreError> {
    let id: i64 = sqlx::query_scalar("INSERT INTO organisations (name, business_id, kind, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(name)
        .bind(business_id)
        .bind(kind)
        .bind(ts(at))
        .fetch_one(conn)
        .await
        .map_err(StoreError::unique("name"))?;
    Ok(OrgId(id))
}

pub async fn list(conn: &mut Conn) -> Result<Vec<Org>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, name, business_id, kind FROM organisations ORDER BY name")
            .fetch_all(conn)
            .await?,
    )
}

pub async fn get(conn: &mut Conn, id: OrgId) -> Result<Org, StoreError> {
    crate::row::one(
        conn,
        "SELECT id, name, business_id, kind FROM organisations WHERE id = $1",
        id.0,
    )
    .await
}

pub async fn find_by_name(conn: &mut Conn, name: &str) -> Result<Option<Org>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, name, business_id, kind FROM organisations WHERE name = $1")
            .bind(name)
            .fetch_optional(conn)
            .await?,
    )
}
