//! New staff accounts get no password from whoever creates them: the new user sets it through a
//! one-time link sent to them. So neither an organisation admin nor the platform operator can
//! sign in as someone they created.

use crate::auth::{check_password, hash_password};
use crate::ctx::{Chrome, PublicCtx};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::Duration;
use polku_domain::authz::{authorize, Action, Actor, Role};
use polku_domain::ids::{OrgId, UserId};
use polku_domain::validated::Email;
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::{orgs, outbox, users, Conn};
use rand::RngCore;

/// How long a link to set one's password stays usable.
pub const LINK_HOURS: i64 = 72;

pub fn router() -> Router<AppState> {
    Router::new().route("/password/{token}", get(page).post(submit))
}

/// A validated invitation.
pub struct Invitation {
    pub org: OrgId,
    pub name: String,
    pub email: Email,
    pub role: Role,
    pub lang: Lang,
}

/// Creates the account without a password, stores a one-time link and queues the message that
/// carries it, all in the caller's transaction; audited in the actor's organisation and, when
/// the account is in another one, in that organisation too. `actor` is `None` for the command
/// line, whose user runs the platform. Returns the new id and the link (for the command line).
pub async fn invite_user(
    st: &AppState,
    tx: &mut Conn,
    actor: Option<&Actor>,
    inv: &Invitation,
) -> Result<(UserId, String), AppError> {
    if let Some(a) = actor {
        authorize(a, Action::ManageUsers, Some(inv.org))?;
        // Only the operator makes operators; an organisation admin cannot raise anyone above itself.
        if inv.role == Role::Operator && a.role != Role::Operator {
            return Err(DomainError::field("role", ErrorCode::ChoiceInvalid).into());
        }
    }
    let org = orgs::get(tx, inv.org)
        .await
        .map_err(|_| DomainError::field("org_id", ErrorCode::ChoiceInvalid))?;
    let now = st.clock.now();
    let uid = users::create(
        tx,
        users::NewUser {
            org: inv.org,
            email: &inv.email,
            name: &inv.name,
            password_hash: "",
            role: inv.role,
            locale: inv.lang.code(),
        },
        now,
    )
    .await?;
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = hex::encode(raw);
    users::create_password_link(tx, uid, &token, now, now + Duration::hours(LINK_HOURS)).await?;
    let link = format!(
        "{}/password/{token}",
        st.config.public_url.trim_end_matches('/')
    );
    let body = inv.lang.t_args(
        "user-invite-body",
        &[
            ("org", org.name.clone()),
            ("hours", LINK_HOURS.to_string()),
            ("link", link.clone()),
        ],
    );
    outbox::queue(
        tx,
        inv.email.as_str(),
        &inv.lang.t("user-invite-subject"),
        &body,
        now,
    )
    .await?;
    let detail = inv.role.as_str();
    let actor_org = actor.map(|a| a.org);
    Audit::new(actor, now)
        .in_org(actor_org.or(Some(inv.org)))
        .create(tx, Entity::User(uid.0), detail)
        .await?;
    if actor_org.is_some_and(|o| o != inv.org) {
        Audit::new(actor, now)
            .in_org(Some(inv.org))
            .create(tx, Entity::User(uid.0), detail)
            .await?;
    }
    Ok((uid, link))
}

#[derive(Template)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    c: Chrome,
    token: String,
}

async fn page(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Path(token): Path<String>,
) -> Result<Html<String>, AppError> {
    let mut conn = st.db.acquire().await?;
    users::password_link_user(&mut conn, &token, st.clock.now(), false)
        .await?
        .ok_or(DomainError::NotFound)?;
    Ok(Html(PasswordPage { c: ctx.c, token }.render()?))
}

crate::form!(struct PasswordForm { password });

async fn submit(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Path(token): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    if let Err(code) = check_password(&f.password) {
        let mut conn = st.db.acquire().await?;
        users::password_link_user(&mut conn, &token, st.clock.now(), false)
            .await?
            .ok_or(DomainError::NotFound)?;
        let mut c = ctx.c;
        c.errors = vec![polku_domain::error::FieldError {
            field: "password",
            code,
        }];
        return crate::pages::unprocessable(&PasswordPage { c, token });
    }
    let hash = hash_password(&f.password)?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let uid = users::password_link_user(&mut tx, &token, now, true)
        .await?
        .ok_or(DomainError::NotFound)?;
    users::set_password(&mut tx, uid, &hash).await?;
    let actor = users::get(&mut tx, uid).await?.actor();
    Audit::new(actor.as_ref(), now)
        .update(&mut tx, Entity::User(uid.0), "password set by link")
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/login?set=1").into_response())
}
