//! `Idempotency-Key` on the API's writes: a request sent again with the same key (after a
//! timeout, say) gets the first answer, marked `Idempotency-Replayed: true`, and creates
//! nothing. A key reused for a different request is refused (409); so is a retry while the
//! first is still being answered. Only a success is kept: a refused or failed request leaves
//! no trace, so its retry is checked (and refused, or run) again.

use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use polku_domain::{DomainError, ErrorCode};
use polku_store::idempotency::{self, Claim};

pub const HEADER: &str = "idempotency-key";
/// The largest JSON body the API takes.
const MAX_BODY: usize = 2 * 1024 * 1024;

fn refuse(field: &'static str, code: ErrorCode) -> Response {
    ApiError(DomainError::field(field, code).into()).into_response()
}

pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let Some(key) = req.headers().get(HEADER).cloned() else {
        return next.run(req).await;
    };
    if !matches!(*req.method(), Method::POST | Method::PUT) {
        return next.run(req).await;
    }
    let key = match key.to_str() {
        Ok(k) if !k.trim().is_empty() && k.len() <= 200 => k.trim().to_string(),
        _ => return refuse("idempotency_key", ErrorCode::ChoiceInvalid),
    };
    let (mut parts, body) = req.into_parts();
    // No user, no key: the handler answers 401 as it would without the header.
    let Ok(ApiUser(actor)) = ApiUser::from_request_parts(&mut parts, &st).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return refuse("body", ErrorCode::PayloadTooLarge);
    };
    let fingerprint = polku_store::tokens::hash(&format!(
        "{} {} {}",
        parts.method,
        parts.uri.path(),
        String::from_utf8_lossy(&bytes)
    ));
    match run(&st, actor.user, &key, &fingerprint, parts, bytes, next).await {
        Ok(r) => r,
        Err(e) => ApiError(e).into_response(),
    }
}

async fn run(
    st: &AppState,
    user: polku_domain::ids::UserId,
    key: &str,
    fingerprint: &str,
    parts: axum::http::request::Parts,
    bytes: axum::body::Bytes,
    next: Next,
) -> Result<Response, AppError> {
    let now = st.clock.now();
    let claim = {
        let mut conn = st.db.acquire().await?;
        idempotency::claim(&mut conn, user, key, fingerprint, now, &st.cipher).await?
    };
    match claim {
        Claim::Done(status, body) => {
            let mut r = Response::new(Body::from(body));
            *r.status_mut() = axum::http::StatusCode::from_u16(status)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let h = r.headers_mut();
            h.insert("content-type", HeaderValue::from_static("application/json"));
            h.insert("idempotency-replayed", HeaderValue::from_static("true"));
            return Ok(r);
        }
        Claim::InProgress => return Err(DomainError::Conflict.into()),
        Claim::Mismatch => return Err(DomainError::Conflict.into()),
        Claim::New => {}
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (rparts, rbody) = response.into_parts();
    let body = axum::body::to_bytes(rbody, usize::MAX)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut conn = st.db.acquire().await?;
    match std::str::from_utf8(&body) {
        Ok(text) if rparts.status.is_success() => {
            let status = rparts.status.as_u16();
            idempotency::complete(&mut conn, user, key, status, text, &st.cipher).await?;
        }
        _ => idempotency::release(&mut conn, user, key).await?,
    }
    Ok(Response::from_parts(rparts, Body::from(body)))
}
