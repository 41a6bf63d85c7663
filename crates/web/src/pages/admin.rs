//! Organisations, staff accounts and the user's own API tokens.

use super::{form_errors, render, unprocessable};
use crate::auth::{check_password, hash_password};
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::authz::{Action, Role};
use polku_domain::error::Errors;
use polku_domain::ids::{ApiTokenId, OrgId};
use polku_domain::text::{optional, optional_int, required};
use polku_domain::validated::{BusinessId, Email};
use polku_store::audit::{self, AuditAction};
use polku_store::orgs::{self, Org};
use polku_store::tokens::{self, TokenRow};
use polku_store::users::{self, UserRow};
use rand::RngCore;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/orgs", get(org_list).post(org_create))
        .route("/admin/users", get(user_list).post(user_create))
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

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
struct OrgForm {
    name: String,
    business_id: String,
    kind: String,
}

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
        audit::record(
            &mut tx,
            st.clock.now(),
            Some(&ctx.actor),
            AuditAction::Create,
            "organisation",
            Some(id.0),
            "",
        )
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
#[template(path = "admin/users.html")]
struct Users {
    c: Chrome,
    users: Vec<UserRow>,
    orgs: Vec<Org>,
    roles: Vec<&'static str>,
    f: UserForm,
}

impl Users {
    fn org_name(&self, id: &i64) -> String {
        self.orgs
            .iter()
            .find(|o| o.id == *id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    }
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
struct UserForm {
    org_id: String,
    name: String,
    email: String,
    role: String,
    locale: String,
    password: String,
}

async fn user_page(st: &AppState, c: Chrome, f: UserForm) -> Result<Users, AppError> {
    let mut conn = st.db.acquire().await?;
    Ok(Users {
        c,
        users: users::list(&mut conn, None).await?,
        orgs: orgs::list(&mut conn).await?,
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        f,
    })
}

async fn user_list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<crate::export::FormatQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageUsers, None)?;
    if let Some(format) = crate::export::Format::from_query(&q.format) {
        let page = user_page(&st, ctx.c.clone(), UserForm::default()).await?;
        let c = &ctx.c;
        let table = crate::export::table(
            c,
            "nav-users",
            &["field-name", "field-email", "field-role", "field-org-id"],
            &page.users,
            |u| {
                vec![
                    u.name.as_str().into(),
                    u.email.as_str().into(),
                    c.choice("role", &u.role).into(),
                    page.org_name(&u.org_id).into(),
                ]
            },
        );
        return crate::export::respond(&table, format, ctx.c.lang, "users");
    }
    render(
        &user_page(
            &st,
            ctx.c.clone(),
            UserForm {
                locale: "fi".into(),
                ..Default::default()
            },
        )
        .await?,
    )
}

async fn user_create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<UserForm>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageUsers, None)?;
    let result = async {
        let mut e = Errors::new();
        let org = e.take(
            "org_id",
            optional_int(&f.org_id, 1, i64::MAX)
                .and_then(|v| v.ok_or(polku_domain::ErrorCode::Required)),
        );
        let name = e.take("name", required(&f.name, 200));
        let email = e.take("email", Email::parse(&f.email));
        let role = e.take("role", Role::parse(&f.role));
        let locale = crate::i18n::Lang::parse(&f.locale).unwrap_or(crate::i18n::Lang::Fi);
        e.take("password", check_password(&f.password));
        e.into_result()?;
        let (Some(org), Some(name), Some(email), Some(role)) = (org, name, email, role) else {
            return Err(AppError::Internal("validated form incomplete".into()));
        };
        let hash = hash_password(&f.password)?;
        let mut tx = st.db.begin().await?;
        orgs::get(&mut tx, OrgId(org)).await.map_err(|_| {
            polku_domain::DomainError::field("org_id", polku_domain::ErrorCode::ChoiceInvalid)
        })?;
        let uid = users::create(
            &mut tx,
            users::NewUser {
                org: OrgId(org),
                email: &email,
                name: &name,
                password_hash: &hash,
                role,
                locale: locale.code(),
            },
            st.clock.now(),
        )
        .await?;
        audit::record(
            &mut tx,
            st.clock.now(),
            Some(&ctx.actor),
            AuditAction::Create,
            "user",
            Some(uid.0),
            role.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/users").into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            unprocessable(
                &user_page(
                    &st,
                    ctx.with_errors(errors),
                    UserForm {
                        password: String::new(),
                        ..f
                    },
                )
                .await?,
            )
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

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    name: String,
}

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
    audit::record(
        &mut tx,
        st.clock.now(),
        Some(&ctx.actor),
        AuditAction::Create,
        "api_token",
        Some(id.0),
        "",
    )
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
    audit::record(
        &mut tx,
        st.clock.now(),
        Some(&ctx.actor),
        AuditAction::Update,
        "api_token",
        Some(id),
        "revoked",
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/account/tokens").into_response())
}
