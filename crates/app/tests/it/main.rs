//! The one integration-test binary. Every database test runs on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;
mod api;
mod auth;
mod browser;
mod coaches;
mod completeness;
mod dataprotection;
mod demo;
mod dropin;
mod employer_import;
mod employers;
mod esf;
mod exports;
mod fixtures;
mod forms;
mod import;
mod layering;
mod network;
mod oidc_provider;
mod outbox;
mod participants;
mod portal;
mod portal_messages;
mod portal_partner;
mod portal_routes;
mod portal_sms;
mod portal_strong;
mod reference;
mod referrals;
mod rights;
mod route_table;
mod routes;
mod scale;
mod schema;
mod scoping;
mod search;
mod security;
mod services;
mod surveys;
mod webhooks;
