//! The one integration-test binary. Every database test runs on SQLite and on PostgreSQL.

#[macro_use]
mod common;
mod api;
mod auth;
mod browser;
mod demo;
mod participants;
mod scoping;
