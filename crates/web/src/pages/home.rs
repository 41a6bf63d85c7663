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
    tasks: Vec<polku_store::follow_ups::TaskRow>,
}

async fn home(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let mut conn = st.db.acquire().await?;
    let projects = projects::for_org(&mut conn, ctx.actor.org).await?;
    // Follow-ups due within two weeks: the counsellor's own, or the organisation's for a manager.
    let tasks = if ctx
        .authorize(
            polku_domain::authz::Action::EditParticipant,
            Some(ctx.actor.org),
        )
        .is_ok()
    {
        let mine =
            (ctx.actor.role == polku_domain::authz::Role::Counsellor).then_some(ctx.actor.user);
        polku_store::follow_ups::due(
            &mut conn,
            ctx.actor.org,
            mine,
            st.clock.today() + chrono::Duration::days(14),
        )
        .await?
    } else {
        vec![]
    };
    super::render(&Home {
        c: ctx.c,
        name: ctx.name,
        projects,
        tasks,
    })
}
