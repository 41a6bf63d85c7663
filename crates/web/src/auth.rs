//! Login, logout, first-admin setup, the language switch, and API bearer authentication.

use crate::ctx::{Chrome, PublicCtx, USER_KEY};
use crate::error::AppError;
use crate::i18n::{Lang, LANG_COOKIE};
use crate::{AppState, Config};
use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::authz::Actor;
use polku_domain::ids::UserId;
use polku_store::{tokens, users};
use polku_usecases::accounts;
use serde::Deserialize;
use std::sync::Arc;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;

/// `m` limited per client address as logins are: a burst of `login_burst`, then six a second.
/// Signing in with a code (the job seeker's channel) uses the same limit.
pub(crate) fn login_limited(
    m: axum::routing::MethodRouter<AppState>,
    config: &Config,
) -> axum::routing::MethodRouter<AppState> {
    match GovernorConfigBuilder::default()
        .per_second(6)
        .burst_size(config.login_burst.max(1))
        .finish()
    {
        Some(conf) => m.layer(GovernorLayer {
            config: Arc::new(conf),
        }),
        None => m,
    }
}

pub fn router(config: &Config) -> Router<AppState> {
    Router::new()
        .route(
            "/login",
            get(login_page).merge(login_limited(post(login_submit), config)),
        )
        .route("/logout", post(logout))
        .route("/setup/{token}", get(setup_page).post(setup_submit))
        .route("/lang", post(set_lang))
}

pub use polku_usecases::accounts::{check_password, hash_password, LOCK_AFTER, SETUP_TOKEN_KEY};

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    c: Chrome,
    email: String,
    next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: String,
    /// `1` after a password was set through a one-time link.
    set: String,
}

/// Only a same-origin absolute path, so the login form cannot redirect elsewhere. Browsers drop
/// tabs and newlines from a URL and read `\` as `/`, so `/\t/evil.example` would become
/// `//evil.example`: any control character, white space or backslash makes the target `/`.
pub fn safe_next(n: &str) -> String {
    let local = n.starts_with('/')
        && !n.starts_with("//")
        && !n
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if local {
        n.to_string()
    } else {
        "/".to_string()
    }
}

async fn login_page(ctx: PublicCtx, Query(q): Query<NextQuery>) -> Result<Html<String>, AppError> {
    let mut c = ctx.c;
    if q.set == "1" {
        c.notice = Some(c.t("password-set-done"));
    }
    Ok(Html(
        LoginPage {
            c,
            email: String::new(),
            next: safe_next(&q.next),
        }
        .render()?,
    ))
}

crate::form!(pub struct LoginForm { email, password, next });

/// Binds the session to `user` under a fresh id, which prevents session fixation.
async fn sign_in(
    session: &tower_sessions::Session,
    user: polku_domain::ids::UserId,
) -> Result<(), AppError> {
    session
        .cycle_id()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    session
        .insert(USER_KEY, user.0)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

async fn login_submit(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    match accounts::login(&st, &f.email, &f.password).await? {
        accounts::Login::SignedIn(user) => {
            sign_in(&ctx.session, user.id).await?;
            let cookie = format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                user.locale
            );
            Ok((
                [(header::SET_COOKIE, cookie)],
                Redirect::to(&safe_next(&f.next)),
            )
                .into_response())
        }
        accounts::Login::Refused(code) => {
            let mut c = ctx.c;
            c.errors = vec![polku_domain::error::FieldError {
                field: "login",
                code,
            }];
            let page = LoginPage {
                c,
                email: f.email,
                next: safe_next(&f.next),
            };
            Ok((StatusCode::UNAUTHORIZED, Html(page.render()?)).into_response())
        }
    }
}

async fn logout(State(st): State<AppState>, ctx: PublicCtx) -> Result<Redirect, AppError> {
    if let Ok(Some(uid)) = ctx.session.get::<i64>(USER_KEY).await {
        accounts::logout(&st, UserId(uid)).await?;
    }
    ctx.session
        .flush()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/login"))
}

crate::form!(pub struct LangForm { lang, back });

pub(crate) async fn set_lang(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Form(f): Form<LangForm>,
) -> Result<Response, AppError> {
    let lang = Lang::parse(&f.lang).unwrap_or(Lang::Fi);
    if let Ok(Some(uid)) = ctx.session.get::<i64>(USER_KEY).await {
        accounts::set_locale(&st, UserId(uid), lang.code()).await?;
    }
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&safe_next(&f.back)),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
struct SetupPage {
    c: Chrome,
    token: String,
    f: SetupForm,
}

crate::form!(pub struct SetupForm { org_name, business_id, name, email, password });

async fn setup_page(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Path(token): Path<String>,
) -> Result<Html<String>, AppError> {
    if !accounts::setup_token_valid(&st, &token).await? {
        return Err(polku_domain::DomainError::NotFound.into());
    }
    Ok(Html(
        SetupPage {
            c: ctx.c,
            token,
            f: SetupForm::default(),
        }
        .render()?,
    ))
}

async fn setup_submit(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Path(token): Path<String>,
    Form(f): Form<SetupForm>,
) -> Result<Response, AppError> {
    let setup = accounts::Setup {
        org_name: &f.org_name,
        business_id: &f.business_id,
        name: &f.name,
        email: &f.email,
        password: &f.password,
        locale: ctx.c.lang.code(),
    };
    let e = match accounts::setup(&st, &token, setup).await {
        Ok(uid) => {
            sign_in(&ctx.session, uid).await?;
            return Ok(Redirect::to("/").into_response());
        }
        Err(e) => e,
    };
    let mut c = ctx.c;
    c.errors = crate::pages::form_errors(e)?;
    let page = SetupPage {
        c,
        token,
        f: SetupForm {
            password: String::new(),
            ..f
        },
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// A caller of the JSON API, authenticated by `Authorization: Bearer <token>`.
#[derive(Debug, Clone, Copy)]
pub struct ApiUser(pub Actor);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = crate::error::ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError::Unauthenticated)?;
        let mut conn = st.db.acquire().await?;
        let uid = tokens::user_for(&mut conn, token)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let user = users::get(&mut conn, uid).await?;
        Ok(ApiUser(user.actor()))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_accepts_only_local_paths() {
        for ok in ["/", "/participants?q=a&b=1", "/services/3#s", "/%2F%2Fx"] {
            assert_eq!(super::safe_next(ok), ok);
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            " //evil.example",
            "/ /evil.example",
            "/\u{0}/x",
            "https://evil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(super::safe_next(bad), "/", "{bad:?}");
        }
    }
}
