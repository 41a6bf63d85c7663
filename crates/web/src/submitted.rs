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

/// A form that may carry one file (`multipart/form-data`, the file in the field `file`), or a
/// plain form without one: the form, what was typed, and the file's name and bytes if one was
/// chosen.
pub struct WithFile<T> {
    pub form: T,
    pub typed: Vec<(String, String)>,
    pub file: Option<(String, Vec<u8>)>,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for WithFile<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("multipart/form-data"));
        if !multipart {
            let Submitted { form, typed } = Submitted::from_request(req, state).await?;
            return Ok(WithFile {
                form,
                typed,
                file: None,
            });
        }
        // A body that does not read as a form with a file: said as for a file not taken.
        let unreadable = || DomainError::field("file", ErrorCode::AttachmentUnfit);
        let mut parts = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|_| unreadable())?;
        let (mut typed, mut file) = (vec![], None);
        while let Some(field) = parts.next_field().await.map_err(|_| unreadable())? {
            let name = field.name().unwrap_or_default().to_string();
            if name == "file" {
                let file_name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(|_| unreadable())?.to_vec();
                // A form sent without choosing a file has an empty part.
                if !file_name.is_empty() || !bytes.is_empty() {
                    file = Some((file_name, bytes));
                }
            } else {
                typed.push((name, field.text().await.map_err(|_| unreadable())?));
            }
        }
        let encoded = serde_urlencoded::to_string(&typed)
            .map_err(|_| DomainError::field("form", ErrorCode::Required))?;
        let form = serde_urlencoded::from_str(&encoded)
            .map_err(|_| DomainError::field("form", ErrorCode::Required))?;
        Ok(WithFile { form, typed, file })
    }
}

/// A chosen file read as a message's attachment (none when no file was chosen).
pub fn attachment(
    file: Option<(String, Vec<u8>)>,
) -> Result<Option<polku_domain::portal::Attachment>, DomainError> {
    file.map(|(name, bytes)| polku_domain::portal::Attachment::parse(&name, bytes))
        .transpose()
}
