//! A net under the field checks: a NUL byte anywhere in a request's query or form or JSON body
//! is refused before any handler runs. PostgreSQL cannot store one in text and answered 500;
//! the fields' own parsers refuse the other control characters with a message in place.

use crate::error::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use polku_domain::{DomainError, ErrorCode};

/// The largest body this reads; larger ones are refused by the body limit anyway.
const MAX_BODY: usize = 2 * 1024 * 1024;

fn has_nul(bytes: &[u8], json: bool) -> bool {
    let lower = bytes.to_ascii_lowercase();
    bytes.contains(&0)
        || (!json && lower.windows(3).any(|w| w == b"%00"))
        || (json && lower.windows(6).any(|w| w == b"\\u0000"))
}

fn refuse(api: bool) -> Response {
    let e = AppError::Domain(DomainError::field("form", ErrorCode::CharactersInvalid));
    if api {
        crate::error::ApiError(e).into_response()
    } else {
        e.into_response()
    }
}

pub async fn reject_nul(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    if req
        .uri()
        .query()
        .is_some_and(|q| has_nul(q.as_bytes(), false))
    {
        return refuse(api);
    }
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let json = ct.starts_with("application/json");
    if !(json || ct.starts_with("application/x-www-form-urlencoded")) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if has_nul(&bytes, json) {
        return refuse(api);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::has_nul;

    #[test]
    fn finds_nul_however_written() {
        assert!(has_nul(b"note=a%00b", false));
        assert!(has_nul(b"note=a%00", false));
        assert!(has_nul(b"{\"a\":\"x\\u0000\"}", true));
        assert!(has_nul(b"{\"a\":\"x\\U0000\"}", true));
        assert!(has_nul(b"a\0b", false));
        assert!(!has_nul(b"note=100%25", false));
        assert!(!has_nul(b"{\"a\":\"100%00\"}", true), "in JSON %00 is text");
        assert!(!has_nul(b"{\"a\":\"\\u00e4\"}", true));
    }
}
