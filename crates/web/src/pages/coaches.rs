//! Workplace coaches: added on their employer's page, and the training days held for them
//! with who was invited and who attended.

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
use polku_domain::authz::Action;
use polku_domain::coach::{CoachForm, TrainingForm, TrainingStatus};
use polku_domain::ids::{CoachId, EmployerId, TrainingId};
use polku_domain::ErrorCode;
use polku_store::coaches::TrainingRow;
use polku_store::projects::ProjectRow;
use polku_usecases::coaches::{self as uc, TrainingView};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employers/{e}/coaches", post(add_coach))
        .route("/coach-trainings", get(list).post(add_training))
        .route("/coach-trainings/{t}", get(show))
        .route("/coach-trainings/{t}/attendance", post(mark))
}

async fn add_coach(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<CoachForm>,
) -> Result<Response, AppError> {
    let r = uc::add(&st, &ctx.actor, EmployerId(id), &s.form).await;
    let to = format!("/employers/{id}#coaches");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("coach", s.typed),
        |a| super::employers::page(&st, ctx, id, a),
    )
    .await
}

#[derive(Template)]
#[template(path = "employers/trainings.html")]
struct List {
    c: Chrome,
    trainings: Vec<TrainingRow>,
    projects: Vec<ProjectRow>,
    can_manage: bool,
    again: Reshown,
}

async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    list_page(&st, ctx, Reshown::default()).await
}

async fn list_page(st: &AppState, ctx: Ctx, again: Reshown) -> Result<Response, AppError> {
    let trainings = uc::trainings(st, &ctx.actor).await?;
    let projects =
        polku_store::projects::for_org(&mut *st.db.acquire().await?, ctx.actor.org).await?;
    let page = List {
        c: again.chrome(&ctx),
        can_manage: ctx
            .authorize(Action::ManageEmployers, Some(ctx.actor.org))
            .is_ok(),
        trainings,
        projects,
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

async fn add_training(
    State(st): State<AppState>,
    ctx: Ctx,
    s: Submitted<TrainingForm>,
) -> Result<Response, AppError> {
    let r = uc::add_training(&st, &ctx.actor, &s.form).await;
    again(
        r,
        (
            |t: &TrainingId| format!("/coach-trainings/{t}"),
            &ctx.session.clone(),
        ),
        ("training", s.typed),
        |a| list_page(&st, ctx, a),
    )
    .await
}

#[derive(Template)]
#[template(path = "employers/training.html")]
struct Show {
    c: Chrome,
    v: TrainingView,
    statuses: Vec<&'static str>,
    can_manage: bool,
    again: Reshown,
}

impl Show {
    /// The status a coach's choice shows: as sent when the list was refused, else as stored.
    fn status_of(&self, a: &polku_store::coaches::AttendeeRow) -> String {
        let sent = self
            .again
            .typed("invite", &format!("status_{}", a.coach_id), "");
        if sent.is_empty() {
            a.status.as_str().to_string()
        } else {
            sent
        }
    }
}

fresh_page!(show => page);

async fn page(st: &AppState, ctx: Ctx, id: i64, again: Reshown) -> Result<Response, AppError> {
    let v = uc::training(st, &ctx.actor, TrainingId(id)).await?;
    let page = Show {
        c: again.chrome(&ctx),
        can_manage: ctx
            .authorize(Action::ManageEmployers, Some(v.t.org_id))
            .is_ok(),
        v,
        statuses: TrainingStatus::ALL.iter().map(|s| s.as_str()).collect(),
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

/// Invites a coach (`coach_id`), or saves the list's marks (`status_<coach>`).
async fn mark(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let marks: Result<Vec<(CoachId, TrainingStatus)>, ErrorCode> = match s.form.get("coach_id") {
        Some(coach) => coach
            .parse()
            .map(|c| vec![(CoachId(c), TrainingStatus::Invited)])
            .map_err(|_| ErrorCode::Required),
        None => s
            .form
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("status_")?.parse().ok()?, v)))
            .map(|(c, v)| TrainingStatus::parse(v).map(|st| (CoachId(c), st)))
            .collect(),
    };
    let r = match marks {
        Ok(marks) => uc::mark(&st, &ctx.actor, TrainingId(id), &marks).await,
        Err(code) => Err(polku_usecases::Error::field("coach_id", code)),
    };
    let to = format!("/coach-trainings/{id}");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("invite", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}
