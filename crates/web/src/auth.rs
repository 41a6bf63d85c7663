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
use polku_store::audit::{Audit, AuditAction, Entity};
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

/// Failed logins in a row after which an account is locked until an admin unlocks it. Below the
/// per-address burst, so one address cannot try more passwords than this on one account.
pub const LOCK_AFTER: i64 = 8;

async fn login_submit(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let mut tx = st.db.begin().await?;
    // An address no account can have (a NUL byte, which PostgreSQL refuses in text) is unknown.
    let user = match text::check_chars(&f.email) {
        Ok(()) => users::by_email(&mut tx, &f.email).await?,
        Err(_) => None,
    };
    // Verify against a dummy hash when the user is unknown, so timing does not reveal accounts.
    let dummy = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
    let ok = verify_password(
        &f.password,
        user.as_ref().map_or(dummy, |u| &u.password_hash),
    );
    let now = st.clock.now();
    let locked = user.as_ref().is_some_and(|u| u.locked_at.is_some());
    let actor = user
        .as_ref()
        .filter(|u| ok && u.active == 1 && !locked)
        .and_then(|u| u.actor());
    match (actor, user) {
        (Some(actor), Some(user)) => {
            users::login_succeeded(&mut tx, actor.user).await?;
            Audit::by(&actor, now)
                .log(&mut tx, AuditAction::Login, Entity::User(actor.user.0), "")
                .await?;
            tx.commit().await?;
            sign_in(&ctx.session, actor.user).await?;
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
        (_, user) => {
            let mut code = ErrorCode::LoginFailed;
            if let Some(u) = &user {
                let uid = polku_domain::ids::UserId(u.id);
                let now_locked = users::login_failed(&mut tx, uid, LOCK_AFTER, now).await?;
                // Only someone who knows the password learns that the account is locked.
                if now_locked && ok {
                    code = ErrorCode::AccountLocked;
                }
            }
            Audit::new(None, now)
                .in_org(user.as_ref().map(|u| polku_domain::ids::OrgId(u.org_id)))
                .log(
                    &mut tx,
                    AuditAction::LoginFailed,
                    user.as_ref()
                        .map_or(Entity::UnknownUser, |u| Entity::User(u.id)),
                    if locked { "locked" } else { "" },
                )
                .await?;
            tx.commit().await?;
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
        let mut conn = st.db.begin().await?;
        let actor = users::get(&mut conn, polku_domain::ids::UserId(uid))
            .await
            .ok()
            .and_then(|u| u.actor());
        Audit::new(actor.as_ref(), st.clock.now())
            .log(&mut conn, AuditAction::Logout, Entity::User(uid), "")
            .await?;
        conn.commit().await?;
    }
    ctx.session
        .flush()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/login"))
}

crate::form!(pub struct LangForm { lang, back });

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

crate::form!(pub struct SetupForm { org_name, business_id, name, email, password });

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
        // Consumed first, in one conditional statement: a second submission of the same link,
        // even a concurrent one, finds it gone and creates nothing.
        if !settings::take(&mut tx, SETUP_TOKEN_KEY, &tokens::hash(&token)).await? {
            return Err(polku_domain::DomainError::NotFound.into());
        }
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
        let actor = Actor {
            user: uid,
            org,
            role: Role::Admin,
        };
        Audit::by(&actor, now)
            .create(&mut tx, Entity::User(uid.0), "first admin")
            .await?;
        tx.commit().await?;
        sign_in(&ctx.session, uid).await?;
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
