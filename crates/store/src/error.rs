use polku_domain::{DomainError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// Optimistic-lock failure: someone saved in between.
    #[error("edit conflict")]
    Conflict,
    /// A unique constraint; the field that collided, for the form.
    #[error("duplicate {0}")]
    Duplicate(&'static str),
    /// A business rule refused the write (capacity full, already enrolled, …).
    #[error("refused: {0:?}")]
    Rule(ErrorCode),
    /// Stored data that cannot be read back (never shown to users; logged).
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("crypto: {0}")]
    Crypto(&'static str),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Maps a unique violation on insert/update to `Duplicate(field)`.
    pub fn unique(field: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate(field),
            _ => StoreError::Db(e),
        }
    }
}

impl From<StoreError> for DomainError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => DomainError::NotFound,
            StoreError::Conflict => DomainError::Conflict,
            StoreError::Duplicate(f) => DomainError::field(f, ErrorCode::Duplicate),
            StoreError::Rule(code) => DomainError::field("rule", code),
            StoreError::Crypto(_)
            | StoreError::Corrupt(_)
            | StoreError::Db(_)
            | StoreError::Migrate(_) => DomainError::field("internal", ErrorCode::Internal),
        }
    }
}
