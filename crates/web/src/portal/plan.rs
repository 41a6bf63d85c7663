//! The job seeker's plan: goals and steps, steps of their own, steps done.

use super::*;

#[derive(Template)]
#[template(path = "portal/plan.html")]
struct PlanPage {
    c: Chrome,
    plan: MyPlan,
    /// The staff's messages not yet read.
    unread: i64,
    again: Reshown,
}

impl PlanPage {
    fn steps_of(&self, goal: &GoalId) -> Vec<&StepRow> {
        self.plan
            .steps
            .iter()
            .filter(|s| s.goal_id == *goal)
            .collect()
    }
}

pub(super) async fn plan_page(
    State(st): State<AppState>,
    ctx: PortalCtx,
) -> Result<Response, AppError> {
    plan(&st, ctx, Reshown::default()).await
}

pub(super) async fn plan(
    st: &AppState,
    ctx: PortalCtx,
    again: Reshown,
) -> Result<Response, AppError> {
    // One no longer theirs to reach never gets here: PortalCtx signed them out.
    let plan = uc::my_plan(st, &ctx.person).await?;
    let unread = uc::unread(st, &ctx.person).await?;
    let c = again.chrome_from(&ctx.c);
    let page = PlanPage {
        c,
        plan,
        unread,
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

#[tracing::instrument(skip_all, fields(goal = g))]
pub(super) async fn add_step(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(g): Path<i64>,
    s: Submitted<StepForm>,
) -> Result<Response, AppError> {
    let r = uc::add_step(&st, &ctx.person, GoalId(g), &s.form).await;
    let form = format!("step-{g}");
    let session = ctx.session.clone();
    saved_or_again(
        r,
        (move |_| format!("/my#g{g}"), &session),
        (&form, s.typed),
        |a| plan(&st, ctx, a),
    )
    .await
}

crate::form!(pub(super) struct DoneForm { done });

#[tracing::instrument(skip_all, fields(step = s))]
pub(super) async fn step_done(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(s): Path<i64>,
    Form(f): Form<DoneForm>,
) -> Result<Response, AppError> {
    uc::set_step_done(&st, &ctx.person, StepId(s), f.done == "yes").await?;
    crate::ctx::flash(&ctx.session, "saved").await?;
    Ok(Redirect::to("/my#plan").into_response())
}
