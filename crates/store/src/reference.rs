//! Reference values loaded from a file (`polku reference import`): a kind replaced whole, in
//! one transaction.

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};

/// What a municipality code can be given by import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Eurostat's degree of urbanisation: 1 cities, 2 towns and suburbs, 3 rural areas.
    Degurba,
    /// The employment area (työllisyysalue) that runs public employment services there.
    EmploymentArea,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Degurba => "degurba",
            Kind::EmploymentArea => "employment_area",
        }
    }
}

/// Replaces every value of `kind` with `values` (municipality code, value).
pub async fn replace(
    conn: &mut Conn,
    kind: Kind,
    values: &[(String, String)],
    source: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM reference_values WHERE kind = $1")
        .bind(kind.as_str())
        .execute(&mut *conn)
        .await?;
    for (code, value) in values {
        sqlx::query(
            "INSERT INTO reference_values (kind, code, value, source, imported_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(kind.as_str())
        .bind(code)
        .bind(value)
        .bind(source)
        .bind(ts(at))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// How many values of `kind` are loaded, and from where.
pub async fn loaded(conn: &mut Conn, kind: Kind) -> Result<(i64, Option<String>), StoreError> {
    Ok(
        sqlx::query_as("SELECT COUNT(*), MAX(source) FROM reference_values WHERE kind = $1")
            .bind(kind.as_str())
            .fetch_one(conn)
            .await?,
    )
}
