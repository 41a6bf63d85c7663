//! The page an employer's survey link opens: no sign-in, the token in the link is the key.
//! An unknown link is not found; an answered one says thanks and takes no second answer.

use crate::ctx::{Chrome, PublicCtx};
use crate::error::AppError;
use crate::reshown::Reshown;
use crate::submitted::Submitted;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use polku_usecases::surveys::{self as uc, Asked};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/survey/{token}", get(page).post(answer))
}

/// The questions as a form, shared with the job seeker's page.
#[derive(Template)]
#[template(path = "surveys/answer.html")]
struct AnswerPage {
    c: Chrome,
    a: Asked,
    action: String,
    again: Reshown,
}

async fn page(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    shown(&st, ctx.c, &token, Reshown::default()).await
}

async fn shown(
    st: &AppState,
    c: Chrome,
    token: &str,
    again: Reshown,
) -> Result<Response, AppError> {
    let a = uc::asked_by_link(st, token).await?;
    let page = AnswerPage {
        c: again.chrome_from(&c),
        a,
        action: format!("/survey/{token}"),
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

#[tracing::instrument(skip_all)]
async fn answer(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Path(token): Path<String>,
    s: Submitted<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let r = uc::answer_by_link(&st, &token, &s.typed).await;
    let to = format!("/survey/{token}");
    crate::reshown::said_or_again(
        "survey-thanks",
        r,
        (move |_| to, &ctx.session.clone()),
        ("answer", s.typed),
        |a| shown(&st, ctx.c, &token, a),
    )
    .await
}
