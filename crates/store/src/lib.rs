//! Persistence: one [`Db`] over SQLite and PostgreSQL, repositories per aggregate,
//! migrations per backend embedded in the binary.

pub mod assessments;
pub mod audit;
pub mod bulk;
pub mod calendar;
pub mod coaches;
pub mod crypto;
pub mod db;
pub mod dropin;
pub mod employer_shares;
pub mod employers;
pub mod encrypted;
pub mod erasure;
pub mod error;
pub mod esf;
pub mod follow_ups;
pub mod idempotency;
pub mod imports;
pub mod messages;
pub mod orgs;
pub mod outbox;
pub mod participants;
pub mod placements;
pub mod portal;
pub mod projects;
pub mod reference;
pub mod referrals;
pub mod row;
pub mod search;
pub mod services;
pub mod sessions;
pub mod settings;
pub mod surveys;
pub mod tokens;
pub mod users;
pub mod webhooks;

pub use db::{Backend, Conn, Db, Tx};
pub use error::StoreError;

use chrono::{DateTime, NaiveDate, Utc};

/// Timestamps are stored as RFC 3339 UTC text so both backends sort and compare them alike.
pub fn ts(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
