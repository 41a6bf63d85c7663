use super::render;
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use polku_domain::authz::{Action, Role};
use polku_store::audit::{self, AuditRow};

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct List {
    c: Chrome,
    rows: Vec<AuditRow>,
}

async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewAuditLog, Some(ctx.actor.org))?;
    // Admins see the whole log; a project manager sees their own organisation's.
    let org = if ctx.actor.role == Role::Admin { None } else { Some(ctx.actor.org.0) };
    let mut conn = st.db.acquire().await?;
    render(&List { c: ctx.c, rows: audit::list(&mut conn, org, None, 500).await? })
}
