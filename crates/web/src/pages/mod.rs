//! HTML pages, one module and one `router()` per feature.

pub mod admin;
pub mod audit;
pub mod calendar;
pub mod coaches;
pub mod dropin;
pub mod employers;
pub mod esf;
pub mod home;
pub mod import;
pub mod openings;
pub mod participant_list;
pub mod participants;
pub mod placements;
pub mod privacy;
pub mod projects;
pub mod referrals;
pub mod services;
pub mod surveys;
pub mod timeline;
pub mod users;
pub mod webhooks;

use crate::error::AppError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use polku_domain::error::FieldError;
use polku_domain::DomainError;

pub fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// Re-renders a form with its errors (status 422); any other error propagates.
pub fn form_errors(e: impl Into<AppError>) -> Result<Vec<FieldError>, AppError> {
    match e.into() {
        AppError::Domain(DomainError::Invalid(v)) => Ok(v),
        other => Err(other),
    }
}

/// A page with small forms: as it is (200), or with the refused one shown again (422).
pub fn shown<T: Template>(t: &T, refused: bool) -> Result<Response, AppError> {
    if refused {
        unprocessable(t)
    } else {
        render(t)
    }
}

pub fn unprocessable<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(t.render()?)).into_response())
}
