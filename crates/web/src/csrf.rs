//! Synchronizer-token CSRF protection for cookie-authenticated pages. The token lives in the
//! session and comes back in a hidden form field `csrf` or, from htmx, the `X-CSRF-Token` header.
//! The JSON API uses bearer tokens, not cookies, and is not behind this layer.

use crate::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use tower_sessions::Session;

const KEY: &str = "csrf";

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = session
        .get::<String>(KEY)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    {
        return Ok(t);
    }
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    let t = hex::encode(b);
    session
        .insert(KEY, &t)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(t)
}

pub async fn verify(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return AppError::Internal("csrf layer without session".into()).into_response();
    };
    let expected = match session.get::<String>(KEY).await {
        Ok(Some(t)) => t,
        _ => return AppError::Csrf.into_response(),
    };
    let header_token = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let boundary = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.strip_prefix("multipart/form-data; boundary="))
        .map(|b| b.trim_matches('"').to_string());
    // An upload may be large; every other form is small.
    let limit = match boundary {
        Some(_) => crate::import::MAX_BYTES + 1024 * 1024,
        None => 2 * 1024 * 1024,
    };
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        // Too large (an upload past the import's limit): say so, not "the form expired".
        Err(_) => {
            let e =
                polku_domain::DomainError::field("file", polku_domain::ErrorCode::PayloadTooLarge);
            return AppError::Domain(e).into_response();
        }
    };
    let provided = header_token.or_else(|| match &boundary {
        Some(b) => multipart_field(&bytes, b, KEY),
        None => form_urlencoded_field(&bytes, KEY),
    });
    match provided {
        Some(p) if polku_domain::secret::same(p.as_bytes(), expected.as_bytes()) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => AppError::Csrf.into_response(),
    }
}

/// A small text field of a multipart body: the part headed `name="…"`, up to its boundary.
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let head = format!("name=\"{name}\"");
    let start = find(body, head.as_bytes())? + head.len();
    let value_at = start + find(&body[start..], b"\r\n\r\n")? + 4;
    let end = value_at + find(&body[value_at..], format!("\r\n--{boundary}").as_bytes())?;
    String::from_utf8(body[value_at..end].to_vec()).ok()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}
