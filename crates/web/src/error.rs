//! One error type for the web layer, turned into a response in one place ([`render`]):
//! a translated HTML page, or JSON for the API. Internal causes are logged, never shown.

use crate::i18n::Lang;
use askama::Template;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use polku_domain::error::FieldError;
use polku_domain::{DomainError, ErrorCode};
use polku_store::StoreError;

#[derive(Debug)]
pub enum AppError {
    Domain(DomainError),
    Unauthenticated,
    Csrf,
    Internal(String),
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError::Domain(e)
    }
}

impl From<StoreError> for AppError {
    /// As the application layer sorts it: a refusal to show, or an internal cause to log.
    fn from(e: StoreError) -> Self {
        polku_usecases::Error::from(e).into()
    }
}

impl From<polku_usecases::Error> for AppError {
    fn from(e: polku_usecases::Error) -> Self {
        match e {
            polku_usecases::Error::Domain(d) => AppError::Domain(d),
            polku_usecases::Error::Internal(cause) => AppError::Internal(cause),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::from(StoreError::Db(e))
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// What [`render`] needs to build the final response.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub fields: Vec<FieldError>,
    pub json: bool,
}

impl AppError {
    fn info(&self) -> (StatusCode, ErrorCode, Vec<FieldError>) {
        match self {
            AppError::Domain(DomainError::Invalid(f)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                f.first().map_or(ErrorCode::Required, |e| e.code),
                f.clone(),
            ),
            AppError::Domain(DomainError::NotFound) => {
                (StatusCode::NOT_FOUND, ErrorCode::NotFound, vec![])
            }
            AppError::Domain(DomainError::Forbidden) => {
                (StatusCode::FORBIDDEN, ErrorCode::Forbidden, vec![])
            }
            AppError::Domain(DomainError::Conflict) => {
                (StatusCode::CONFLICT, ErrorCode::Conflict, vec![])
            }
            AppError::Unauthenticated => {
                (StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, vec![])
            }
            AppError::Csrf => (StatusCode::FORBIDDEN, ErrorCode::CsrfFailed, vec![]),
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    vec![],
                )
            }
        }
    }

    fn respond(&self, json: bool) -> Response {
        let (status, code, fields) = self.info();
        let mut r = status.into_response();
        r.extensions_mut().insert(ErrorInfo {
            status,
            code,
            fields,
            json,
        });
        r
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.respond(false)
    }
}

/// API handlers return this so errors come out as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.respond(true)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: crate::ctx::Chrome,
    message: String,
    status: u16,
}

/// Turns [`ErrorInfo`] (and bare 429s from the rate limiter) into the user's language.
pub async fn render(req: Request, next: Next) -> Response {
    let lang = Lang::from_headers(req.headers());
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    let api = path.starts_with("/api/");
    let info = match response.extensions().get::<ErrorInfo>() {
        Some(i) => i.clone(),
        None if response.status() == StatusCode::TOO_MANY_REQUESTS => ErrorInfo {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: ErrorCode::RateLimited,
            fields: vec![],
            json: api,
        },
        // axum's own rejections (malformed JSON, wrong content type, a body over the limit, a
        // path that does not parse, no such route) are plain text: the API answers them in its
        // documented JSON shape too.
        None if (response.status().is_client_error() || response.status().is_server_error())
            && plain_or_empty(&response) =>
        {
            let status = response.status();
            let code = match status {
                StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
                StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => ErrorCode::NotFound,
                StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
                StatusCode::FORBIDDEN => ErrorCode::Forbidden,
                s if s.is_server_error() => ErrorCode::Internal,
                _ => ErrorCode::BadRequest,
            };
            // A rejection's status stays (a malformed body is 400, an unreadable field 422).
            if !api
                && matches!(
                    status,
                    StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
                )
            {
                return response;
            }
            ErrorInfo {
                status,
                code,
                fields: vec![],
                json: api,
            }
        }
        None => return response,
    };
    if info.json {
        let fields: Vec<_> = info
            .fields
            .iter()
            .map(|f| serde_json::json!({ "field": f.field, "code": f.code.code(), "message": lang.error(f.code) }))
            .collect();
        let body = serde_json::json!({ "error": info.code.code(), "message": lang.error(info.code), "fields": fields });
        return (info.status, Json(body)).into_response();
    }
    if info.status == StatusCode::UNAUTHORIZED {
        let next = urlencode(&path);
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let mut message = lang.error(info.code);
    for f in info
        .fields
        .iter()
        .filter(|f| !matches!(f.field, "rule" | "form"))
    {
        message.push_str(&format!(
            " {}: {}",
            lang.t(&format!("field-{}", f.field.replace('_', "-"))),
            lang.error(f.code)
        ));
    }
    let page = ErrorPage {
        c: crate::ctx::Chrome::anonymous(lang),
        message,
        status: info.status.as_u16(),
    };
    match page.render() {
        Ok(html) => (
            info.status,
            [(header::CACHE_CONTROL, "no-store")],
            Html(html),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            info.status.into_response()
        }
    }
}

/// A response nobody rendered: axum's plain-text rejections, or a bare status.
fn plain_or_empty(r: &Response) -> bool {
    r.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"))
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
