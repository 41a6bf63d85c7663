//! New staff accounts get no password from whoever creates them: the new user sets it through a
//! one-time link sent to them. So neither an organisation admin nor the platform operator can
//! sign in as someone they created.

use crate::ctx::{Chrome, PublicCtx};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use polku_domain::authz::Actor;
use polku_domain::ids::UserId;
use polku_domain::DomainError;
use polku_usecases::accounts;

pub use polku_usecases::accounts::{Invitation, LINK_HOURS};

pub fn router() -> Router<AppState> {
    Router::new().route("/password/{token}", get(page).post(submit))
}

/// Invites a staff member: the account, the one-time link and the message that carries it, in
/// the invitee's language. `actor` is `None` for the command line. Returns the id and the link.
pub async fn invite_user(
    st: &AppState,
    actor: Option<&Actor>,
    inv: &Invitation,
) -> Result<(UserId, String), AppError> {
    let lang = Lang::parse(inv.locale).unwrap_or(Lang::Fi);
    let text = |org: &str, hours: i64, link: &str| {
        let args = [
            ("org", org.to_string()),
            ("hours", hours.to_string()),
            ("link", link.to_string()),
        ];
        (
            lang.t("user-invite-subject"),
            lang.t_args("user-invite-body", &args),
        )
    };
    Ok(accounts::invite(st, actor, inv, &st.config.public_url, &text).await?)
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
    if !accounts::password_link_valid(&st, &token).await? {
        return Err(DomainError::NotFound.into());
    }
    Ok(Html(PasswordPage { c: ctx.c, token }.render()?))
}

crate::form!(struct PasswordForm { password });

async fn submit(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Path(token): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    match accounts::set_password_by_link(&st, &token, &f.password).await {
        Ok(_) => Ok(Redirect::to("/login?set=1").into_response()),
        Err(e) => {
            let mut c = ctx.c;
            c.errors = crate::pages::form_errors(e)?;
            crate::pages::unprocessable(&PasswordPage { c, token })
        }
    }
}
