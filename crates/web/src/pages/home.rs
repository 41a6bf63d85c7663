use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use polku_store::projects::{self, ProjectRow};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    c: Chrome,
    name: String,
    projects: Vec<ProjectRow>,
}

async fn home(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let mut conn = st.db.acquire().await?;
    let projects = projects::for_org(&mut conn, ctx.actor.org).await?;
    super::render(&Home { c: ctx.c, name: ctx.name, projects })
}
