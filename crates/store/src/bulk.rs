//! Bulk loading for generated data: multi-row INSERTs in chunks, with ids chosen by the caller
//! so child rows can refer to parents without a round trip per row.

use crate::{Backend, Conn, Db, StoreError};

/// One value of a bulk row.
#[derive(Debug, Clone)]
pub enum Val {
    I(i64),
    T(String),
    /// A NULL in a text column. Typed, because PostgreSQL keeps a re-executed statement's
    /// parameter types: an untyped (integer) NULL fails there the second time.
    NullText,
    /// A NULL in an integer column.
    NullInt,
}

impl Val {
    pub fn opt_text(v: Option<String>) -> Val {
        v.map_or(Val::NullText, Val::T)
    }
    pub fn opt_int(v: Option<i64>) -> Val {
        v.map_or(Val::NullInt, Val::I)
    }
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds one value to a query.
pub fn bind<'q>(q: AnyQuery<'q>, v: &Val) -> AnyQuery<'q> {
    match v {
        Val::I(i) => q.bind(*i),
        Val::T(t) => q.bind(t.clone()),
        Val::NullText => q.bind(None::<String>),
        Val::NullInt => q.bind(None::<i64>),
    }
}

/// Both backends accept far more, but smaller statements keep memory flat.
const MAX_PARAMS: usize = 20_000;

pub async fn insert(
    conn: &mut Conn,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Val>],
) -> Result<(), StoreError> {
    if rows.is_empty() || columns.is_empty() {
        return Ok(());
    }
    let per_chunk = (MAX_PARAMS / columns.len()).max(1);
    for chunk in rows.chunks(per_chunk) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..columns.len() {
                n += 1;
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = bind(q, v);
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The next free id of a table (ids are chosen up front for bulk loads).
pub async fn next_id(conn: &mut Conn, table: &str) -> Result<i64, StoreError> {
    let max: Option<i64> = sqlx::query_scalar(&format!("SELECT MAX(id) FROM {table}"))
        .fetch_one(conn)
        .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// After explicit ids, PostgreSQL's identity sequences must move past them.
pub async fn fix_sequences(db: &Db, tables: &[&str]) -> Result<(), StoreError> {
    if db.backend() != Backend::Postgres {
        return Ok(());
    }
    for t in tables {
        sqlx::query(&format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"))
            .execute(db.pool())
            .await?;
    }
    Ok(())
}
