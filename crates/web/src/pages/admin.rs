//! Organisations and the user's own API tokens (staff accounts: `users.rs`).

use super::{form_errors, render, unprocessable};
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::authz::Action;
use polku_domain::ids::ApiTokenId;
use polku_store::orgs::{self, Org};
use polku_store::tokens::{self, TokenRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/orgs", get(org_list).post(org_create))
        .route("/account/tokens", get(token_list).post(token_create))
        .route("/account/tokens/{id}/revoke", post(token_revoke))
}

#[derive(Template)]
#[template(path = "admin/orgs.html")]
struct Orgs {
    c: Chrome,
    orgs: Vec<Org>,
    f: OrgForm,
}

crate::form!(struct OrgForm { name, business_id, kind });

async fn org_list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<crate::export::FormatQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageOrganisations, None)?;
    let mut conn = st.db.acquire().await?;
    let orgs = orgs::list(&mut conn).await?;
    if let Some(format) = crate::export::Format::from_query(&q.format) {
        let c = &ctx.c;
        let table = crate::export::table(
            c,
            "nav-orgs",
            &["field-org-name", "field-business-id", "field-kind"],
            &orgs,
            |o| {
                vec![
                    o.name.as_str().into(),
                    o.business_id.clone().into(),
                    c.choice("org-kind", &o.kind).into(),
                ]
            },
        );
        return crate::export::respond(&table, format, ctx.c.lang, "organisations");
    }
    render(&Orgs {
        c: ctx.c,
        orgs,
        f: OrgForm::default(),
    })
}

async fn org_create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<OrgForm>,
) -> Result<Response, AppError> {
    let result =
        polku_usecases::accounts::create_org(&st, &ctx.actor, &f.name, &f.business_id, &f.kind)
            .await;
    match result {
        Ok(_) => Ok(Redirect::to("/admin/orgs").into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            let mut conn = st.db.acquire().await?;
            unprocessable(&Orgs {
                c: ctx.with_errors(errors),
                orgs: orgs::list(&mut conn).await?,
                f,
            })
        }
    }
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct Tokens {
    c: Chrome,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
}

async fn token_list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageOwnTokens, None)?;
    let mut conn = st.db.acquire().await?;
    render(&Tokens {
        c: ctx.c,
        tokens: tokens::list(&mut conn, ctx.actor.user).await?,
        new_token: None,
    })
}

crate::form!(struct TokenForm { name });

async fn token_create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<TokenForm>,
) -> Result<Response, AppError> {
    let (_, token) = polku_usecases::accounts::create_token(&st, &ctx.actor, &f.name).await?;
    let list = tokens::list(&mut *st.db.acquire().await?, ctx.actor.user).await?;
    // Shown once; only its hash is stored.
    render(&Tokens {
        c: ctx.c,
        tokens: list,
        new_token: Some(token),
    })
}

async fn token_revoke(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    polku_usecases::accounts::revoke_token(&st, &ctx.actor, ApiTokenId(id)).await?;
    Ok(Redirect::to("/account/tokens").into_response())
}
