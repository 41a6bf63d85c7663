//! HTTP: one `router()` per feature, pages and API side by side; errors become responses in one place.

/// A form's fields as typed: every field a string and a missing one empty, so a form with
/// errors can be shown again with exactly what was typed. (No Debug: forms hold personal data.)
#[macro_export]
macro_rules! form {
    ($(#[$m:meta])* $vis:vis struct $name:ident { $($fvis:vis $field:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(serde::Deserialize, Default, Clone)]
        #[serde(default)]
        $vis struct $name { $($fvis $field: String),* }
    };
}

/// The GET handler of a page whose small forms come back in place when refused: the page with
/// nothing refused.
macro_rules! fresh_page {
    ($vis:vis $name:ident => $page:path) => {
        $vis async fn $name(
            axum::extract::State(st): axum::extract::State<crate::AppState>,
            ctx: crate::ctx::Ctx,
            axum::extract::Path(id): axum::extract::Path<i64>,
        ) -> Result<axum::response::Response, crate::error::AppError> {
            $page(&st, ctx, id, crate::reshown::Reshown::default()).await
        }
    };
}

pub mod api;
pub mod auth;
pub mod bare;
pub mod csrf;
pub mod ctx;
pub mod error;
pub mod export;
pub mod guard;
pub mod i18n;
pub mod import;
pub mod invite;
pub mod names;
pub mod pages;
pub mod portal;
pub mod reshown;
pub mod submitted;

use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::{middleware, Router};
use polku_domain::clock::Clock;
use polku_store::crypto::FieldCipher;
use polku_store::sessions::DbSessionStore;
use polku_store::Db;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use error::AppError;
pub use polku_usecases::Polku;

impl AppState {
    pub fn new(db: Db, cipher: Arc<FieldCipher>, clock: Arc<dyn Clock>, config: Config) -> Self {
        AppState {
            core: Polku { db, cipher, clock },
            config: Arc::new(config),
            imports: Default::default(),
            mail_waiting: Default::default(),
            strong: None,
        }
    }

    /// Job seekers may sign in with strong identification through `provider` too.
    pub fn with_strong(self, provider: Arc<dyn portal::strong::StrongId>) -> Self {
        AppState {
            strong: Some(provider),
            ..self
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Polku;
    fn deref(&self) -> &Polku {
        &self.core
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Cookies get the Secure flag when served over HTTPS.
    pub secure_cookies: bool,
    /// Login attempts allowed in a burst per client address before throttling.
    pub login_burst: u32,
    /// The address users reach Polku at, for links in messages (never taken from a request's
    /// Host header, which a client chooses).
    pub public_url: String,
    /// Sign-in codes may go by text message (a gateway is configured): the job seeker's
    /// sign-in takes a mobile number too.
    pub sms: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            login_burst: 10,
            public_url: "http://127.0.0.1:8080".into(),
            sms: false,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    /// The application layer every handler calls; `st.db`, `st.clock` and `st.cipher` reach
    /// through to it for reads.
    pub core: Polku,
    pub config: Arc<Config>,
    /// Imports running on this node, by file id, for their progress bars.
    pub imports: import::Running,
    /// Told when a message waits in the outbox that someone is waiting for (a sign-in code),
    /// so the mail loop sends it now rather than on its next round.
    pub mail_waiting: Arc<tokio::sync::Notify>,
    /// Strong identification for job seekers, where a provider is configured.
    pub strong: Option<Arc<dyn portal::strong::StrongId>>,
}

const HTMX: &str = include_str!("../static/htmx.min.js");
const CSS: &str = include_str!("../static/polku.css");

/// Sessions in the database under the cookie `name`, ended after `idle` without use: staff
/// and job seekers each have their own.
pub(crate) fn session_layer(
    state: &AppState,
    name: &'static str,
    idle: time::Duration,
) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(name)
        .with_secure(state.config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(idle))
}

pub fn router(state: AppState) -> Router {
    let sessions = session_layer(&state, "polku_session", time::Duration::hours(8));

    let pages = Router::new()
        .merge(auth::router(&state.config))
        .merge(pages::home::router())
        .merge(pages::projects::router())
        .merge(pages::participants::router())
        .merge(pages::privacy::router())
        .merge(pages::import::router())
        .merge(pages::coaches::router())
        .merge(pages::services::router())
        .merge(pages::dropin::router())
        .merge(pages::employers::router())
        .merge(pages::openings::router())
        .merge(pages::placements::router())
        .merge(pages::referrals::router())
        .merge(pages::surveys::router())
        .merge(pages::surveys::link_router())
        .merge(pages::calendar::router())
        .merge(pages::esf::router())
        .merge(pages::admin::router())
        .merge(pages::users::router())
        .merge(pages::webhooks::router())
        .merge(invite::router())
        .merge(pages::audit::router())
        .layer(middleware::from_fn(csrf::verify))
        .layer(sessions);

    let secure = state.config.secure_cookies;
    let app = Router::new()
        .merge(pages)
        .merge(portal::router(&state))
        .merge(api::router(state.clone()))
        .route("/static/htmx.min.js", get(|| async { ([(header::CONTENT_TYPE, "text/javascript"), (header::CACHE_CONTROL, "public, max-age=86400")], HTMX) }))
        .route("/static/polku.css", get(|| async { ([(header::CONTENT_TYPE, "text/css"), (header::CACHE_CONTROL, "public, max-age=3600")], CSS) }))
        .route("/health", get(|| async { "ok" }))
        .layer(middleware::from_fn(guard::reject_nul))
        .layer(middleware::from_fn(error::render))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        // Pages and API answers hold personal data: no browser or proxy keeps a copy. The static
        // files set their own public caching first.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(TraceLayer::new_for_http())
        // The largest body anywhere: a spreadsheet upload. Every other body is held to 2 MB by
        // the CSRF layer (pages), the input guard and axum's extractors (forms, JSON).
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            import::MAX_BYTES + 1024 * 1024,
        ))
        .with_state(state);
    // Only when served over HTTPS, which is what secure cookies mean.
    if secure {
        app.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
    } else {
        app
    }
}
