//! Staff accounts: an organisation admin sees and invites their own organisation's users; the
//! platform operator those of any organisation. Nobody sets another person's password.

use super::{form_errors, render, unprocessable};
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::invite::invite_user;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::authz::{Action, Role};
use polku_domain::ids::OrgId;
use polku_domain::ids::UserId;
use polku_store::orgs::{self, Org};
use polku_store::users::{self, UserRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(user_list).post(user_create))
        .route("/admin/users/{id}/unlock", post(user_unlock))
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
    fn org_name(&self, id: &OrgId) -> String {
        self.orgs
            .iter()
            .find(|o| o.id == *id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    }
}

crate::form!(struct UserForm { org_id, name, email, role, locale });

fn may_manage(ctx: &Ctx) -> Result<(), AppError> {
    ctx.authorize(Action::ManageUsers, Some(ctx.actor.org))
}

use polku_usecases::accounts::scope;

async fn user_page(st: &AppState, ctx: &Ctx, c: Chrome, f: UserForm) -> Result<Users, AppError> {
    let mut conn = st.db.acquire().await?;
    let scope = scope(&ctx.actor);
    let orgs = orgs::list(&mut conn)
        .await?
        .into_iter()
        .filter(|o| scope.is_none_or(|s| s == o.id))
        .collect();
    Ok(Users {
        c,
        users: users::list(&mut conn, scope).await?,
        orgs,
        roles: Role::ALL
            .iter()
            .filter(|r| **r != Role::Operator || ctx.actor.role == Role::Operator)
            .map(|r| r.as_str())
            .collect(),
        f,
    })
}

async fn user_list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<crate::export::FormatQuery>,
) -> Result<Response, AppError> {
    may_manage(&ctx)?;
    let form = UserForm {
        locale: "fi".into(),
        org_id: ctx.actor.org.0.to_string(),
        ..Default::default()
    };
    let page = user_page(&st, &ctx, ctx.c.clone(), form).await?;
    if let Some(format) = crate::export::Format::from_query(&q.format) {
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
                    c.choice("role", u.role).into(),
                    page.org_name(&u.org_id).into(),
                ]
            },
        );
        return crate::export::respond(&table, format, ctx.c.lang, "users");
    }
    render(&page)
}

fn form(f: &UserForm) -> polku_usecases::accounts::InvitationForm<'_> {
    polku_usecases::accounts::InvitationForm {
        org_id: &f.org_id,
        name: &f.name,
        email: &f.email,
        role: &f.role,
        locale: crate::i18n::Lang::parse(&f.locale)
            .unwrap_or(crate::i18n::Lang::Fi)
            .code(),
    }
}

async fn user_create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<UserForm>,
) -> Result<Response, AppError> {
    may_manage(&ctx)?;
    let result = match form(&f).parse(&ctx.actor) {
        Ok(inv) => invite_user(&st, Some(&ctx.actor), &inv).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => {
            let mut c = ctx.c.clone();
            c.notice = Some(c.t("user-invited"));
            let form = UserForm {
                locale: "fi".into(),
                org_id: ctx.actor.org.0.to_string(),
                ..Default::default()
            };
            render(&user_page(&st, &ctx, c, form).await?)
        }
        Err(e) => {
            let errors = form_errors(e)?;
            unprocessable(&user_page(&st, &ctx, ctx.with_errors(errors), f).await?)
        }
    }
}

async fn user_unlock(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    polku_usecases::accounts::unlock(&st, &ctx.actor, UserId(id)).await?;
    Ok(Redirect::to("/admin/users").into_response())
}
