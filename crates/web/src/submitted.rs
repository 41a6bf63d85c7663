//! A submitted form as its type and as the pairs typed into it, so a form the use case refuses
//! can be shown again, in place, with what was typed.

use crate::error::AppError;
use axum::extract::{FromRequest, RawForm, Request};
use polku_domain::{DomainError, ErrorCode};
use serde::de::DeserializeOwned;

pub struct Submitted<T> {
    pub form: T,
    /// (field, value) as typed, in the order sent; a checkbox left empty is absent.
    pub typed: Vec<(String, String)>,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Submitted<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawForm(bytes) = RawForm::from_request(req, state)
            .await
            .map_err(|_| DomainError::field("form", ErrorCode::Required))?;
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| DomainError::field("form", ErrorCode::Required))?;
        let typed = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        Ok(Submitted { form, typed })
    }
}

/// The id a form's select or hidden field names; none when left empty or not a number (the
/// use case then says what is missing).
pub fn chosen_id(input: &str) -> Option<i64> {
    polku_domain::text::optional_int(input, 1, i64::MAX)
        .ok()
        .flatten()
}
