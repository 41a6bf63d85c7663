//! Strong identification for the job seeker's sign-in (Suomi.fi e-Identification or another
//! provider of the Finnish Trust Network, over OpenID Connect), where one is configured. The
//! protocol is the provider's ([`StrongId`], built by the binary); these handlers hold the
//! round trip's secrets in the portal session and turn the person's henkilötunnus into a
//! sign-in through the same use case layer as the code sign-in.

use super::{remember, SignIn, PERSON_KEY};
use crate::ctx::{Chrome, PublicCtx};
use crate::error::AppError;
use crate::pages::unprocessable;
use crate::AppState;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use polku_domain::error::FieldError;
use polku_domain::validated::Hetu;
use polku_domain::ErrorCode;
use polku_usecases::portal as uc;

/// What the sign-in keeps between sending the person to the provider and their return: the
/// `state` the answer must carry, the `nonce` the ID token must hold and the PKCE verifier.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

/// Why a strong identification did not give a person; said in the log (never with personal
/// data), while the person is told only that it did not succeed.
#[derive(Debug)]
pub struct StrongError(pub String);

/// An OpenID Connect provider of strong identification.
#[async_trait::async_trait]
pub trait StrongId: Send + Sync {
    /// Where to send the person (the provider's authorisation request, signed), and what to
    /// keep until they come back.
    async fn begin(&self, lang: &str, now: DateTime<Utc>)
        -> Result<(String, Pending), StrongError>;
    /// The identified person's henkilötunnus, from the code the provider sent them back with:
    /// exchanged with a signed client assertion, the ID token decrypted and its signature,
    /// issuer, audience, time and nonce checked.
    async fn finish(
        &self,
        pending: &Pending,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<Hetu, StrongError>;
    /// The public keys the provider checks the requests with and encrypts the ID token to.
    fn jwks(&self) -> serde_json::Value;
}

const PENDING_KEY: &str = "portal_strong";

/// The configured provider; where none is, these pages do not exist.
pub(super) struct Configured(std::sync::Arc<dyn StrongId>);

impl FromRequestParts<AppState> for Configured {
    type Rejection = AppError;
    async fn from_request_parts(_: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        match &st.strong {
            Some(p) => Ok(Configured(p.clone())),
            None => Err(polku_domain::DomainError::NotFound.into()),
        }
    }
}

/// Sends the person to the provider; without one configured there is no such page.
#[tracing::instrument(skip_all)]
pub(super) async fn begin(
    State(st): State<AppState>,
    Configured(provider): Configured,
    ctx: PublicCtx,
) -> Result<Response, AppError> {
    match provider.begin(ctx.c.lang.code(), st.clock.now()).await {
        Ok((url, pending)) => {
            remember(&ctx.session, PENDING_KEY, pending).await?;
            Ok(Redirect::to(&url).into_response())
        }
        Err(e) => refused(&st, ctx, e),
    }
}

#[derive(serde::Deserialize)]
pub(super) struct Answer {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The person back from the provider: signed in if the answer is the one this session asked
/// for and names a participant; else the sign-in page says it did not succeed.
#[tracing::instrument(skip_all)]
pub(super) async fn done(
    State(st): State<AppState>,
    Configured(provider): Configured,
    ctx: PublicCtx,
    Query(a): Query<Answer>,
) -> Result<Response, AppError> {
    // One answer per request: a replayed or forged return finds nothing to finish.
    let pending = ctx
        .session
        .remove::<Pending>(PENDING_KEY)
        .await
        .ok()
        .flatten();
    let identified = match (pending, a.code, a.state, a.error) {
        (_, _, _, Some(error)) => {
            // The error code as the protocol spells them; nothing else a link carries reaches the log.
            let code: String = error
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(40)
                .collect();
            Err(StrongError(format!("provider answered {code}")))
        }
        (Some(p), Some(code), Some(state), None)
            if polku_domain::secret::same(p.state.as_bytes(), state.as_bytes()) =>
        {
            provider.finish(&p, &code, st.clock.now()).await
        }
        _ => Err(StrongError("no sign-in of this session to finish".into())),
    };
    let hetu = match identified {
        Ok(h) => h,
        Err(e) => return refused(&st, ctx, e),
    };
    match uc::sign_in_identified(&st, &hetu).await {
        Ok(who) => {
            ctx.session
                .cycle_id()
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            remember(&ctx.session, PERSON_KEY, (who.participant.0, who.org.0)).await?;
            Ok(Redirect::to("/my").into_response())
        }
        Err(e) => shown_again(&st, ctx, crate::pages::form_errors(e)?),
    }
}

/// The keys to publish, for the provider's registration of this service.
pub(super) async fn jwks(Configured(provider): Configured) -> Json<serde_json::Value> {
    Json(provider.jwks())
}

fn refused(st: &AppState, ctx: PublicCtx, e: StrongError) -> Result<Response, AppError> {
    tracing::warn!(cause = %e.0, "strong identification refused");
    let failed = FieldError {
        field: "strong",
        code: ErrorCode::StrongFailed,
    };
    shown_again(st, ctx, vec![failed])
}

fn shown_again(
    st: &AppState,
    ctx: PublicCtx,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    unprocessable(&SignIn {
        c: Chrome { errors, ..ctx.c },
        email: String::new(),
        sms: st.config.sms,
        strong: true,
    })
}
