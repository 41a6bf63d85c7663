use crate::StoreError;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub type Tx = Transaction<'static, sqlx::Any>;
pub type Conn = AnyConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The one database handle. SQL is written once with `$1` placeholders, which both backends accept.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// A read replica for reports, when configured; everything else uses `pool`.
    read: Option<AnyPool>,
    backend: Backend,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects, creating a SQLite file if needed, and runs the backend's migrations.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Db(sqlx::Error::Configuration(
                "database URL must start with sqlite: or postgres:".into(),
            )));
        };
        let mut url = url.to_string();
        if backend == Backend::Sqlite && !url.contains(":memory:") {
            create_private_file(&url)?;
        }
        if backend == Backend::Sqlite && !url.contains("mode=") && !url.contains(":memory:") {
            url.push_str(if url.contains('?') {
                "&mode=rwc"
            } else {
                "?mode=rwc"
            });
        }
        let opts = AnyConnectOptions::from_str(&url)?;
        // SQLite serialises writers anyway; a small pool avoids lock contention between them.
        let max = if backend == Backend::Sqlite { 4 } else { 16 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
        } else {
            POSTGRES_MIGRATIONS.run(&pool).await?;
        }
        let db = Db {
            pool,
            read: None,
            backend,
        };
        // The one data migration SQL cannot do (stemming is Rust's); a no-op once done.
        crate::search::build_if_needed(&db).await?;
        crate::audit::chain_if_needed(&db).await?;
        Ok(db)
    }

    /// Sends report reads ([`Db::acquire_read`]) to a read replica of the same backend. The
    /// replica is only read, never migrated: it follows the primary.
    pub async fn with_read_replica(mut self, url: &str) -> Result<Db, StoreError> {
        let same = match self.backend {
            Backend::Postgres => url.starts_with("postgres:") || url.starts_with("postgresql:"),
            Backend::Sqlite => url.starts_with("sqlite:"),
        };
        if !same {
            return Err(StoreError::Db(sqlx::Error::Configuration(
                "the read replica must use the same database system as the primary".into(),
            )));
        }
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(AnyConnectOptions::from_str(url)?)
            .await?;
        self.read = Some(pool);
        Ok(self)
    }

    /// A connection for report reads that may lag the primary by a moment: the replica's when
    /// one is configured, else the primary's. Never for a page that shows what was just saved.
    pub async fn acquire_read(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, StoreError> {
        Ok(self.read.as_ref().unwrap_or(&self.pool).acquire().await?)
    }

    /// A pool without migrations, for administrative connections (creating test databases).
    pub async fn connect_raw(url: &str) -> Result<AnyPool, StoreError> {
        sqlx::any::install_default_drivers();
        Ok(AnyPoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await?)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Every write goes through a transaction. On SQLite it takes the write lock at once
    /// (BEGIN IMMEDIATE): a deferred transaction that reads and then writes can fail with
    /// SQLITE_BUSY when another writer commits in between, which waiting cannot resolve.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A read-only view of one moment, for reads in several statements (a streamed export):
    /// SQLite's deferred transaction reads one snapshot and takes no write lock; PostgreSQL's
    /// is REPEATABLE READ.
    pub async fn begin_snapshot(&self) -> Result<Tx, StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// A pooled connection for reads that need no transaction.
    pub async fn acquire(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The SQLite file holds personal data: created readable by its owner only (SQLite gives its
/// -wal and -shm files the same permissions).
fn create_private_file(url: &str) -> Result<(), StoreError> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or("");
    if path.is_empty() || std::path::Path::new(path).exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Db(sqlx::Error::Io(e))),
    }
}
