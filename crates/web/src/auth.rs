//! Login, logout, first-admin setup, the language switch, and API bearer authentication.

use crate::ctx::{Chrome, PublicCtx, USER_KEY};
use crate::error::AppError;
use crate::i18n::{Lang, LANG_COOKIE};
use crate::{AppState, Config};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::authz::{Actor, Role};
use polku_domain::error::Errors;
use polku_domain::validated::Email;
use polku_domain::{text, ErrorCode};
use polku_store::audit::{self, AuditAction};
use polku_store::{orgs, settings, tokens, users};
use serde::Deserialize;
use std::sync::Arc;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;

pub const SETUP_TOKEN_KEY: &str = "setup_token_hash";

pub fn router(config: &Config) -> Router<AppState> {
    let login_limit = GovernorConfigBuilder::default()
        .per_second(6)
        .burst_size(config.login_burst.max(1))
        .finish()
        .map(Arc::new);
    let login_post = match login_limit {
        Some(conf) => post(login_submit).layer(GovernorLayer { config: conf }),
        None => post(login_submit),
    };
    Router::new()
        .route("/login", get(login_page).merge(login_post))
        .route("/logout", post(logout))
        .route("/setup/{token}", get(setup_page).post(setup_submit))
        .route("/lang", post(set_lang))
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Passwords: at least 12 characters; length beats composition rules (NIST SP 800-63B).
pub fn check_password(p: &str) -> Result<(), ErrorCode> {
    if p.chars().count() >= 12 {
        Ok(())
    } else {
        Err(ErrorCode::PasswordWeak)
    }
}

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
}

/// Only local paths, so the login form cannot redirect elsewhere.
fn safe_next(n: &str) -> String {
    if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') {
        n.to_string()
    } else {
        "/".to_string()
    }
}

async fn login_page(ctx: PublicCtx, Query(q): Query<NextQuery>) -> Result<Html<String>, AppError> {
    Ok(Html(
        LoginPage {
            c: ctx.c,
            email: String::new(),
            next: safe_next(&q.next),
        }
        .render()?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
}

async fn login_submit(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    let user = users::by_email(&mut tx, &f.email).await?;
    // Verify against a dummy hash when the user is unknown, so timing does not reveal accounts.
    let dummy = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
    let ok = verify_password(
        &f.password,
        user.as_ref().map_or(dummy, |u| &u.password_hash),
    );
    let actor = user
        .as_ref()
        .filter(|u| ok && u.active == 1)
        .and_then(|u| u.actor());
    let now = st.clock.now();
    match (actor, user) {
        (Some(actor), Some(user)) => {
            audit::record(
                &mut tx,
                now,
                Some(&actor),
                AuditAction::Login,
                "user",
                Some(actor.user.0),
                "",
            )
            .await?;
            tx.commit().await?;
            // A fresh session id at login prevents session fixation.
            ctx.session
                .cycle_id()
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            ctx.session
                .insert(USER_KEY, actor.user.0)
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
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
        _ => {
            audit::record(
                &mut tx,
                now,
                None,
                AuditAction::LoginFailed,
                "user",
                None,
                "",
            )
            .await?;
            tx.commit().await?;
            let mut c = ctx.c;
            c.errors = vec![polku_domain::error::FieldError {
                field: "login",
                code: ErrorCode::LoginFailed,
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
        let mut conn = st.db.begin().await?;
        let actor = users::get(&mut conn, polku_domain::ids::UserId(uid))
            .await
            .ok()
            .and_then(|u| u.actor());
        audit::record(
            &mut conn,
            st.clock.now(),
            actor.as_ref(),
            AuditAction::Logout,
            "user",
            Some(uid),
            "",
        )
        .await?;
        conn.commit().await?;
    }
    ctx.session
        .flush()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/login"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangForm {
    lang: String,
    back: String,
}

async fn set_lang(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Form(f): Form<LangForm>,
) -> Result<Response, AppError> {
    let lang = Lang::parse(&f.lang).unwrap_or(Lang::Fi);
    if let Ok(Some(uid)) = ctx.session.get::<i64>(USER_KEY).await {
        let mut tx = st.db.begin().await?;
        users::set_locale(&mut tx, polku_domain::ids::UserId(uid), lang.code()).await?;
        tx.commit().await?;
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

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SetupForm {
    org_name: String,
    business_id: String,
    name: String,
    email: String,
    password: String,
}

async fn setup_token_valid(st: &AppState, token: &str) -> Result<bool, AppError> {
    let mut conn = st.db.acquire().await?;
    let stored = settings::get(&mut conn, SETUP_TOKEN_KEY).await?;
    Ok(stored.is_some_and(|h| h == tokens::hash(token)) && users::count(&mut conn).await? == 0)
}

async fn setup_page(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Path(token): Path<String>,
) -> Result<Html<String>, AppError> {
    if !setup_token_valid(&st, &token).await? {
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
    if !setup_token_valid(&st, &token).await? {
        return Err(polku_domain::DomainError::NotFound.into());
    }
    let mut e = Errors::new();
    let org_name = e.take("org_name", text::required(&f.org_name, 200));
    let business_id = e
        .take(
            "business_id",
            polku_domain::text::optional(&f.business_id, 20).and_then(|b| {
                b.map(|b| polku_domain::validated::BusinessId::parse(&b))
                    .transpose()
            }),
        )
        .flatten();
    let name = e.take("name", text::required(&f.name, 200));
    let email = e.take("email", Email::parse(&f.email));
    e.take("password", check_password(&f.password));
    if let (true, Some(org_name), Some(name), Some(email)) = (e.is_empty(), org_name, name, email) {
        let hash = hash_password(&f.password)?;
        let now = st.clock.now();
        let mut tx = st.db.begin().await?;
        let org = orgs::create(
            &mut tx,
            &org_name,
            business_id.as_ref().map(|b| b.as_str()),
            "project_owner",
            now,
        )
        .await?;
        let uid = users::create(
            &mut tx,
            users::NewUser {
                org,
                email: &email,
                name: &name,
                password_hash: &hash,
                role: Role::Admin,
                locale: ctx.c.lang.code(),
            },
            now,
        )
        .await?;
        settings::delete(&mut tx, SETUP_TOKEN_KEY).await?;
        let actor = Actor {
            user: uid,
            org,
            role: Role::Admin,
        };
        audit::record(
            &mut tx,
            now,
            Some(&actor),
            AuditAction::Create,
            "user",
            Some(uid.0),
            "first admin",
        )
        .await?;
        tx.commit().await?;
        ctx.session
            .cycle_id()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        ctx.session
            .insert(USER_KEY, uid.0)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok(Redirect::to("/").into_response());
    }
    let mut c = ctx.c;
    c.errors = match e.into_result() {
        Err(polku_domain::DomainError::Invalid(v)) => v,
        _ => vec![],
    };
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
        Ok(ApiUser(user.actor().ok_or(AppError::Unauthenticated)?))
    }
}
