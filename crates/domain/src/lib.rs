//! Polku's domain: types parsed at the edge, business rules and authorisation.
//! No web or database crates here, so every rule can be tested on its own.

pub mod assessment;
pub mod authz;
pub mod clock;
pub mod coach;
pub mod dates;
pub mod dropin;
pub mod eligibility;
pub mod employer;
pub mod error;
pub mod esf;
mod fuzz;
pub mod ids;
pub mod import;
pub mod participant;
pub mod placement;
pub mod portal;
pub mod project;
pub mod reference;
pub mod referral;
pub mod search;
pub mod secret;
pub mod services;
pub mod share;
pub mod special;
pub mod suppression;
pub mod survey;
pub mod text;
pub mod validated;
pub mod webhook;

pub use error::{DomainError, ErrorCode};
