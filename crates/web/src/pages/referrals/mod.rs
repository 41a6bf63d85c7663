//! Referrals between organisations: the inbox of those received and sent, one referral with
//! what its consent shares, the receiver's answer and the steps after it, and the report.
//! The operations are `polku_usecases::referrals`.

mod answer;
mod report;
mod send;

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
use polku_domain::ids::{GoalId, ReferralId};
use polku_domain::referral::{ProgressForm, ReferralStatus};
use polku_store::participants::StepRow;
use polku_store::referrals::ReferralRow;
use polku_usecases::referrals::{self as uc, ReferralView, Side};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/referrals", get(list))
        .route("/referrals/new", get(send::new))
        .route("/referrals/report", get(report::show))
        .route("/participants/{id}/referrals", post(send::send))
        .route("/referrals/{id}", get(show))
        .route(
            "/referrals/{id}/accept",
            get(answer::accept_page).post(answer::accept),
        )
        .route("/referrals/{id}/link", post(answer::link))
        .route("/referrals/{id}/progress", post(progress))
        .route("/referrals/{id}/withdraw-consent", post(withdraw))
}

#[derive(Template)]
#[template(path = "referrals/list.html")]
struct List {
    c: Chrome,
    received: Vec<ReferralRow>,
    sent: Vec<ReferralRow>,
}

impl List {
    /// (heading, rows, whether received): the inbox first.
    fn sections(&self) -> [(&'static str, &Vec<ReferralRow>, bool); 2] {
        [
            ("referrals-received", &self.received, true),
            ("referrals-sent", &self.sent, false),
        ]
    }
}

#[tracing::instrument(skip_all)]
async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (received, sent) = uc::inbox(&st, &ctx.actor).await?;
    crate::pages::render(&List {
        c: ctx.c,
        received,
        sent,
    })
}

#[derive(Template)]
#[template(path = "referrals/show.html")]
struct Show {
    c: Chrome,
    v: ReferralView,
    receiver: bool,
    /// The steps the receiver may record next (accepting has its own page).
    next: Vec<&'static str>,
    today: String,
    again: Reshown,
}

impl Show {
    fn steps_of(&self, goal: &GoalId) -> Vec<&StepRow> {
        self.v
            .shared
            .plan
            .as_ref()
            .map(|(_, steps)| steps.iter().filter(|s| s.goal_id == *goal).collect())
            .unwrap_or_default()
    }
}

fresh_page!(show => page);

async fn page(st: &AppState, ctx: Ctx, id: i64, again: Reshown) -> Result<Response, AppError> {
    let v = uc::show(st, &ctx.actor, ReferralId(id)).await?;
    let receiver = v.side == Side::Receiver;
    let now = v.r.status;
    let page = Show {
        c: again.chrome(&ctx),
        next: ReferralStatus::ALL
            .iter()
            .filter(|s| **s != ReferralStatus::Accepted && now.may_become(**s))
            .map(|s| s.as_str())
            .collect(),
        today: polku_domain::dates::format_fi(st.clock.today()),
        receiver,
        v,
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

/// Declined or returned with a reason; started, completed or interrupted on a day.
#[tracing::instrument(skip_all, fields(referral = id))]
async fn progress(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<ProgressForm>,
) -> Result<Response, AppError> {
    let r = uc::progress(&st, &ctx.actor, ReferralId(id), &s.form).await;
    let to = format!("/referrals/{id}");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("progress", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

#[tracing::instrument(skip_all, fields(referral = id))]
async fn withdraw(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = uc::withdraw_consent(&st, &ctx.actor, ReferralId(id)).await;
    let to = format!("/referrals/{id}");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("withdraw", vec![]),
        |a| page(&st, ctx, id, a),
    )
    .await
}
