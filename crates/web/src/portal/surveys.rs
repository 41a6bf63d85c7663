//! The surveys the person was asked to answer, and answering one.

use super::*;
use polku_domain::ids::SurveyId;
use polku_store::surveys::InvitedRow;
use polku_usecases::surveys::{self as suc, Asked};

#[derive(Template)]
#[template(path = "portal/surveys.html")]
struct ListPage {
    c: Chrome,
    surveys: Vec<InvitedRow>,
}

pub(super) async fn surveys_page(
    State(st): State<AppState>,
    ctx: PortalCtx,
) -> Result<Response, AppError> {
    let surveys = suc::my_surveys(&st, &ctx.person).await?;
    render(&ListPage { c: ctx.c, surveys })
}

/// The questions as a form in the job seeker's frame (an employer's link has its own).
#[derive(Template)]
#[template(path = "portal/survey.html")]
struct AnswerPage {
    c: Chrome,
    a: Asked,
    action: String,
    again: Reshown,
}

pub(super) async fn survey_page(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    shown(&st, ctx, id, Reshown::default()).await
}

async fn shown(
    st: &AppState,
    ctx: PortalCtx,
    id: i64,
    again: Reshown,
) -> Result<Response, AppError> {
    let a = suc::asked_of(st, &ctx.person, SurveyId(id)).await?;
    let page = AnswerPage {
        c: again.chrome_from(&ctx.c),
        a,
        action: format!("/my/surveys/{id}"),
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

pub(super) async fn answer(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(id): Path<i64>,
    s: Submitted<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let r = suc::answer_mine(&st, &ctx.person, SurveyId(id), &s.typed).await;
    let session = ctx.session.clone();
    crate::reshown::said_or_again(
        "survey-thanks",
        r,
        (|_| "/my/surveys".to_string(), &session),
        ("answer", s.typed),
        |a| shown(&st, ctx, id, a),
    )
    .await
}
