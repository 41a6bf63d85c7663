//! Surveys: the organisation's list with a new one's form, one survey with its questions
//! (changed while a draft) and where to send it, its results, and the page an employer's link
//! opens. The operations are `polku_usecases::surveys`.

mod link;
mod results;

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::reshown::{saved_or_again as again, Reshown};
use crate::submitted::Submitted;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use polku_domain::ids::{QuestionId, SurveyId};
use polku_domain::survey::{
    Audience, QuestionForm, QuestionKind, SendForm, SurveyForm, SurveyStatus,
};
use polku_store::projects::ProjectRow;
use polku_store::surveys::SurveyRow;
use polku_usecases::surveys::{self as uc, SurveyView};

pub use link::router as link_router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list).post(create))
        .route("/surveys/{id}", get(show))
        .route("/surveys/{id}/questions", post(add_question))
        .route("/surveys/{id}/questions/{q}/remove", post(remove_question))
        .route("/surveys/{id}/send", post(send))
        .route("/surveys/{id}/close", post(close))
        .route("/surveys/{id}/results", get(results::show))
}

#[derive(Template)]
#[template(path = "surveys/list.html")]
struct List {
    c: Chrome,
    surveys: Vec<SurveyRow>,
    projects: Vec<ProjectRow>,
    again: Reshown,
}

#[tracing::instrument(skip_all)]
async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    list_page(&st, ctx, Reshown::default()).await
}

async fn list_page(st: &AppState, ctx: Ctx, again: Reshown) -> Result<Response, AppError> {
    let page = List {
        c: again.chrome(&ctx),
        surveys: uc::list(st, &ctx.actor).await?,
        projects: uc::projects(st, &ctx.actor).await?,
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

#[tracing::instrument(skip_all)]
async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    s: Submitted<SurveyForm>,
) -> Result<Response, AppError> {
    let r = uc::create(&st, &ctx.actor, &s.form).await;
    again(
        r,
        (
            |id: &SurveyId| format!("/surveys/{id}"),
            &ctx.session.clone(),
        ),
        ("survey", s.typed),
        |a| list_page(&st, ctx, a),
    )
    .await
}

#[derive(Template)]
#[template(path = "surveys/show.html")]
struct Show {
    c: Chrome,
    v: SurveyView,
    kinds: Vec<&'static str>,
    again: Reshown,
}

impl Show {
    fn draft(&self) -> bool {
        self.v.s.status == SurveyStatus::Draft
    }
    fn closed(&self) -> bool {
        self.v.s.status == SurveyStatus::Closed
    }
    fn close_action(&self) -> String {
        format!("/surveys/{}/close", self.v.s.id)
    }
    fn is_choice(&self, k: &QuestionKind) -> bool {
        *k == QuestionKind::Choice
    }
    /// Where the send form points: as sent when refused, else the survey's project.
    fn send_to(&self) -> String {
        let default = if self.v.s.project_id.is_some() {
            "project"
        } else {
            ""
        };
        self.again.typed("send", "to", default)
    }
    fn project_chosen(&self, p: &ProjectRow) -> bool {
        let mine = self
            .v
            .s
            .project_id
            .map(|x| x.to_string())
            .unwrap_or_default();
        self.again.typed("send", "project_id", mine) == p.id.to_string()
    }
}

fresh_page!(show => page);

async fn page(st: &AppState, ctx: Ctx, id: i64, again: Reshown) -> Result<Response, AppError> {
    let v = uc::show(st, &ctx.actor, SurveyId(id)).await?;
    let page = Show {
        c: again.chrome(&ctx),
        v,
        kinds: QuestionKind::ALL.iter().map(|k| k.as_str()).collect(),
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

#[tracing::instrument(skip_all, fields(survey = id))]
async fn add_question(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<QuestionForm>,
) -> Result<Response, AppError> {
    let r = uc::add_question(&st, &ctx.actor, SurveyId(id), &s.form).await;
    let to = format!("/surveys/{id}#questions");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("question", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

#[tracing::instrument(skip_all, fields(survey = id, question = q))]
async fn remove_question(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, q)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let r = uc::remove_question(&st, &ctx.actor, SurveyId(id), QuestionId(q)).await;
    let to = format!("/surveys/{id}#questions");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("question", vec![]),
        |a| page(&st, ctx, id, a),
    )
    .await
}

#[tracing::instrument(skip_all, fields(survey = id))]
async fn send(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<SendForm>,
) -> Result<Response, AppError> {
    let c = ctx.c.clone();
    let text = move |to: Audience, link: &str| {
        (
            c.t("survey-mail-subject"),
            c.t1(&format!("survey-mail-{}", to.as_str()), "link", link),
        )
    };
    let r = uc::send(
        &st,
        &ctx.actor,
        SurveyId(id),
        &s.form,
        &st.config.public_url,
        &text,
    )
    .await;
    if r.is_ok() {
        st.mail_waiting.notify_one();
    }
    let to = format!("/surveys/{id}");
    crate::reshown::said_or_again(
        "survey-sent",
        r,
        (move |_| to, &ctx.session.clone()),
        ("send", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

#[tracing::instrument(skip_all, fields(survey = id))]
async fn close(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = uc::close(&st, &ctx.actor, SurveyId(id)).await;
    let to = format!("/surveys/{id}/results");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("close", vec![]),
        |a| page(&st, ctx, id, a),
    )
    .await
}
