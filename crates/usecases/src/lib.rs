//! The application layer: one function per use case. Each authorises, validates, writes,
//! audits and commits in one transaction and returns typed results; pages, the API, the CLI,
//! the demo loader and the bench call the same functions, so a rule is written once.
//! Spans carry ids, never personal data.

pub mod accounts;
pub mod coaches;
pub mod dropin;
pub mod employers;
pub mod esf;
pub mod import;
pub mod messages;
pub mod participants;
pub mod placements;
pub mod portal;
pub mod projects;
pub mod referrals;
pub mod services;
pub mod surveys;
pub mod webhooks;

use polku_domain::clock::Clock;
use polku_domain::{DomainError, ErrorCode};
use polku_store::crypto::FieldCipher;
use polku_store::{Db, StoreError};
use std::sync::Arc;

/// What every use case needs: the database, the field cipher and the clock.
#[derive(Clone)]
pub struct Polku {
    pub db: Db,
    pub cipher: Arc<FieldCipher>,
    pub clock: Arc<dyn Clock>,
}

/// The application layer's one error type: a domain refusal the caller shows (translated by
/// its code), or an internal cause the caller logs and never shows.
#[derive(Debug)]
pub enum Error {
    Domain(DomainError),
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A refusal about one field.
    pub fn field(field: &'static str, code: ErrorCode) -> Error {
        Error::Domain(DomainError::field(field, code))
    }

    /// The code a user is told: the first field's, or the refusal's.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Domain(DomainError::Invalid(v)) => {
                v.first().map_or(ErrorCode::Internal, |f| f.code)
            }
            Error::Domain(DomainError::NotFound) => ErrorCode::NotFound,
            Error::Domain(DomainError::Forbidden) => ErrorCode::Forbidden,
            Error::Domain(DomainError::Conflict) => ErrorCode::Conflict,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Domain(e) => write!(f, "refused: {e}"),
            Error::Internal(cause) => write!(f, "internal: {cause}"),
        }
    }
}

/// So a command-line caller (the demo loader, imports) can carry it with `?`.
impl std::error::Error for Error {}

impl From<DomainError> for Error {
    fn from(e: DomainError) -> Self {
        Error::Domain(e)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Db(_)
            | StoreError::Migrate(_)
            | StoreError::Crypto(_)
            | StoreError::Corrupt(_) => Error::Internal(e.to_string()),
            other => Error::Domain(other.into()),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::from(StoreError::Db(e))
    }
}
