//! A small form the use case refused, shown again in place on its page: which form, what was
//! typed and why. Pages hold one (empty when nothing was refused) and their templates ask it
//! for each field's value and error.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::pages::form_errors;
use axum::response::{IntoResponse, Redirect, Response};
use polku_domain::error::FieldError;
use std::future::Future;
use tower_sessions::Session;

#[derive(Default, Clone)]
pub struct Reshown {
    /// The form's name on its page, also the prefix of its fields' ids (`contact-date`).
    pub form: String,
    pub typed: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
}

impl Reshown {
    pub fn is_refused(&self) -> bool {
        !self.errors.is_empty()
    }
    /// What was typed into `field` of the refused `form`, else `default`.
    pub fn typed(&self, form: impl AsRef<str>, field: &str, default: impl AsRef<str>) -> String {
        if self.form != form.as_ref() {
            return default.as_ref().to_string();
        }
        self.typed
            .iter()
            .find(|(f, _)| f == field)
            .map_or(String::new(), |(_, v)| v.clone())
    }
    /// Whether `value` was among those ticked or chosen for a many-valued `field` of `form`.
    pub fn ticked(&self, form: impl AsRef<str>, field: &str, value: impl AsRef<str>) -> bool {
        self.form == form.as_ref()
            && self
                .typed
                .iter()
                .any(|(f, v)| f == field && v == value.as_ref())
    }
    /// Whether `value` was chosen for `field` in the refused `form`.
    pub fn chosen(&self, form: impl AsRef<str>, field: &str, value: impl AsRef<str>) -> bool {
        self.form == form.as_ref() && self.typed(&self.form, field, "") == value.as_ref()
    }
    /// Whether `field` of `form` was refused.
    pub fn refused(&self, form: impl AsRef<str>, field: &str) -> bool {
        self.form == form.as_ref() && self.errors.iter().any(|e| e.field == field)
    }
    /// The page's frame: with the errors, its summary linking to this form's fields.
    pub fn chrome(&self, ctx: &Ctx) -> Chrome {
        self.chrome_from(&ctx.c)
    }
    /// [`Reshown::chrome`] from a frame of any kind of page (the job seeker's too).
    pub fn chrome_from(&self, c: &Chrome) -> Chrome {
        if !self.is_refused() {
            return c.clone();
        }
        Chrome {
            error_anchor: format!("{}-", self.form),
            errors: self.errors.clone(),
            ..c.clone()
        }
    }
}

/// After a save, to the address `to` makes of the result, where the page says it saved; when
/// the use case refused `form`, its page again via `page`, with what was typed and why (any
/// other error goes on to the error page).
pub async fn saved_or_again<T, Fut>(
    result: polku_usecases::Result<T>,
    (to, session): (impl FnOnce(&T) -> String, &Session),
    (form, typed): (&str, Vec<(String, String)>),
    page: impl FnOnce(Reshown) -> Fut,
) -> Result<Response, AppError>
where
    Fut: Future<Output = Result<Response, AppError>>,
{
    said_or_again("saved", result, (to, session), (form, typed), page).await
}

/// [`saved_or_again`] where the page then says `said` (a message key), not "saved".
pub async fn said_or_again<T, Fut>(
    said: &'static str,
    result: polku_usecases::Result<T>,
    (to, session): (impl FnOnce(&T) -> String, &Session),
    (form, typed): (&str, Vec<(String, String)>),
    page: impl FnOnce(Reshown) -> Fut,
) -> Result<Response, AppError>
where
    Fut: Future<Output = Result<Response, AppError>>,
{
    match result {
        Ok(saved) => {
            crate::ctx::flash(session, said).await?;
            Ok(Redirect::to(&to(&saved)).into_response())
        }
        Err(e) => {
            let errors = form_errors(e)?;
            let form = form.to_string();
            page(Reshown {
                form,
                typed,
                errors,
            })
            .await
        }
    }
}
