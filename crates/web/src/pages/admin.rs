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
use polku_domain::error::Errors;
use polku_domain::ids::ApiTokenId;
use polku_domain::text::{optional, required};
use polku_domain::validated::BusinessId;
use polku_store::audit::{Audit, Entity};
use polku_store::orgs::{self, Org};
use polku_store::tokens::{self, TokenRow};
use rand::RngCore;

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

const ORG_KINDS: &[&str] = &[
    "project_owner",
    "te_office",
    "municipality",
    "kela",
    "college",
    "ngo",
    "company",
    "funder",
];

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
    ctx.authorize(Action::ManageOrganisations, None)?;
    let result = async {
        let mut e = Errors::new();
        let name = e.take("org_name", required(&f.name, 200));
        let bid = e
            .take(
                "business_id",
                optional(&f.business_id, 20)
                    .and_then(|b| b.map(|b| BusinessId::parse(&b)).transpose()),
            )
            .flatten();
        let kind = e.take(
            "kind",
            if ORG_KINDS.contains(&f.kind.as_str()) {
                Ok(f.kind.clone())
            } else {
                Err(polku_domain::ErrorCode::ChoiceInvalid)
            },
        );
        e.into_result()?;
        let mut tx = st.db.begin().await?;
        let id = orgs::create(
            &mut tx,
            &name.unwrap_or_default(),
            bid.as_ref().map(|b| b.as_str()),
            &kind.unwrap_or_default(),
            st.clock.now(),
        )
        .await?;
        Audit::by(&ctx.actor, st.clock.now())
            .create(&mut tx, Entity::Organisation(id.0), "")
            .await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/orgs").into_response()),
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
    ctx.authorize(Action::ManageOwnTokens, None)?;
    let name = required(&f.name, 100).map_err(|c| polku_domain::DomainError::field("name", c))?;
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = format!("polku_{}", hex::encode(raw));
    let mut tx = st.db.begin().await?;
    let id = tokens::create(&mut tx, ctx.actor.user, &name, &token, st.clock.now()).await?;
    Audit::by(&ctx.actor, st.clock.now())
        .create(&mut tx, Entity::ApiToken(id.0), "")
        .await?;
    let list = tokens::list(&mut tx, ctx.actor.user).await?;
    tx.commit().await?;
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
    let mut tx = st.db.begin().await?;
    tokens::revoke(&mut tx, ctx.actor.user, ApiTokenId(id)).await?;
    Audit::by(&ctx.actor, st.clock.now())
        .update(&mut tx, Entity::ApiToken(id), "revoked")
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/account/tokens").into_response())
}
