//! The job seeker's own channel under `/my`: signing in with a code sent by e-mail, and their
//! plan. Its session is its own (cookie `polku_portal`): a staff session opens nothing here and
//! a participant's opens nothing of the staff pages. The operations are
//! `polku_usecases::portal`.

use crate::ctx::{Chrome, PublicCtx};
use crate::error::AppError;
use crate::pages::{form_errors, render, unprocessable};
use crate::reshown::{saved_or_again, Reshown};
use crate::submitted::Submitted;
use crate::AppState;
use askama::Template;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::ids::{GoalId, OrgId, ParticipantId, StepId};
use polku_domain::participant::StepForm;
use polku_domain::portal::SignInForm;
use polku_domain::services::EnrolmentStatus;
use polku_store::participants::StepRow;
use polku_usecases::portal::{self as uc, MyPlan, Person};
use std::sync::Arc;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

const PERSON_KEY: &str = "portal_person";
/// The address a code was asked for, until it is used.
const EMAIL_KEY: &str = "portal_email";

pub fn router(state: &AppState) -> Router<AppState> {
    let sessions =
        SessionManagerLayer::new(polku_store::sessions::DbSessionStore::new(state.db.clone()))
            .with_name("polku_portal")
            .with_secure(state.config.secure_cookies)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_expiry(Expiry::OnInactivity(time::Duration::hours(2)));
    // Codes are asked for and tried per client address no faster than logins.
    let limited = |m: axum::routing::MethodRouter<AppState>| match GovernorConfigBuilder::default()
        .per_second(6)
        .burst_size(state.config.login_burst.max(1))
        .finish()
    {
        Some(conf) => m.layer(GovernorLayer {
            config: Arc::new(conf),
        }),
        None => m,
    };
    Router::new()
        .route("/my", get(plan_page))
        .route(
            "/my/sign-in",
            get(sign_in_page).merge(limited(post(ask_code))),
        )
        .route("/my/code", get(code_page).merge(limited(post(enter_code))))
        .route("/my/sign-out", post(sign_out))
        .route("/my/lang", post(crate::auth::set_lang))
        .route("/my/goals/{g}/steps", post(add_step))
        .route("/my/steps/{s}/done", post(step_done))
        .route("/my/services", get(services_page))
        .route("/my/services/{s}/sign-up", post(sign_up))
        .route("/my/services/{s}/cancel", post(cancel))
        .route("/my/services/propose", post(propose))
        .route("/my/messages", get(messages_page).post(write))
        .route("/my/assessment", get(assessment_page).post(assess))
        .route("/my/data", get(data_page))
        .route("/my/data/download", get(download))
        .route("/my/data/request", post(ask))
        .layer(axum::middleware::from_fn(crate::csrf::verify))
        .layer(sessions)
}

/// A signed-in job seeker on a page; without a sign-in, the sign-in page.
pub struct PortalCtx {
    pub person: Person,
    pub session: Session,
    pub c: Chrome,
}

impl FromRequestParts<AppState> for PortalCtx {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let PublicCtx { session, c } = PublicCtx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let to_sign_in = || Redirect::to("/my/sign-in").into_response();
        let Ok(Some((p, o))) = session.get::<(i64, i64)>(PERSON_KEY).await else {
            return Err(to_sign_in());
        };
        let person = Person {
            participant: ParticipantId(p),
            org: OrgId(o),
        };
        // Erased, or consent to processing withdrawn: the session ends.
        match uc::first_name(state, &person).await {
            Ok(name) => Ok(PortalCtx {
                person,
                session,
                c: Chrome {
                    user_name: Some(name),
                    ..c
                },
            }),
            Err(polku_usecases::Error::Domain(polku_domain::DomainError::Forbidden)) => {
                let _ = session.flush().await;
                Err(to_sign_in())
            }
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

#[derive(Template)]
#[template(path = "portal/sign_in.html")]
struct SignIn {
    c: Chrome,
    email: String,
}

async fn sign_in_page(ctx: PublicCtx) -> Result<Response, AppError> {
    render(&SignIn {
        c: ctx.c,
        email: String::new(),
    })
}

#[tracing::instrument(skip_all)]
async fn ask_code(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Form(f): Form<SignInForm>,
) -> Result<Response, AppError> {
    let c = &ctx.c;
    let compose = |code: &str| {
        (
            c.t("portal-mail-subject"),
            c.t1("portal-mail-body", "code", code),
        )
    };
    match uc::request_code(&st, &f, compose).await {
        Ok(()) => {
            st.mail_waiting.notify_one();
            remember(&ctx.session, EMAIL_KEY, f.email.trim().to_string()).await?;
            crate::ctx::flash(&ctx.session, "portal-code-sent").await?;
            Ok(Redirect::to("/my/code").into_response())
        }
        Err(e) => unprocessable(&SignIn {
            c: Chrome {
                errors: form_errors(e)?,
                ..ctx.c
            },
            email: f.email,
        }),
    }
}

async fn remember(
    session: &Session,
    key: &str,
    value: impl serde::Serialize,
) -> Result<(), AppError> {
    session
        .insert(key, value)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

#[derive(Template)]
#[template(path = "portal/code.html")]
struct CodePage {
    c: Chrome,
    code: String,
}

async fn code_page(ctx: PublicCtx) -> Result<Response, AppError> {
    render(&CodePage {
        c: ctx.c,
        code: String::new(),
    })
}

crate::form!(struct CodeForm { code });

#[tracing::instrument(skip_all)]
async fn enter_code(
    State(st): State<AppState>,
    ctx: PublicCtx,
    Form(f): Form<CodeForm>,
) -> Result<Response, AppError> {
    let Ok(Some(email)) = ctx.session.get::<String>(EMAIL_KEY).await else {
        return Ok(Redirect::to("/my/sign-in").into_response());
    };
    match uc::sign_in(&st, &SignInForm { email }, &f.code).await {
        Ok(who) => {
            // A fresh session id at sign-in, so a planted one is worth nothing.
            ctx.session
                .cycle_id()
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let _ = ctx.session.remove::<String>(EMAIL_KEY).await;
            remember(&ctx.session, PERSON_KEY, (who.participant.0, who.org.0)).await?;
            Ok(Redirect::to("/my").into_response())
        }
        Err(e) => unprocessable(&CodePage {
            c: Chrome {
                errors: form_errors(e)?,
                ..ctx.c
            },
            code: f.code,
        }),
    }
}

async fn sign_out(ctx: PublicCtx) -> Result<Response, AppError> {
    ctx.session
        .flush()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/my/sign-in").into_response())
}

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

async fn plan_page(State(st): State<AppState>, ctx: PortalCtx) -> Result<Response, AppError> {
    plan(&st, ctx, Reshown::default()).await
}

async fn plan(st: &AppState, ctx: PortalCtx, again: Reshown) -> Result<Response, AppError> {
    let plan = match uc::my_plan(st, &ctx.person).await {
        Ok(p) => p,
        // No longer theirs to reach (erased, consent withdrawn): signed out.
        Err(polku_usecases::Error::Domain(polku_domain::DomainError::Forbidden)) => {
            return sign_out(PublicCtx {
                session: ctx.session,
                c: ctx.c,
            })
            .await;
        }
        Err(e) => return Err(e.into()),
    };
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
async fn add_step(
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

crate::form!(struct DoneForm { done });

#[tracing::instrument(skip_all, fields(step = s))]
async fn step_done(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(s): Path<i64>,
    Form(f): Form<DoneForm>,
) -> Result<Response, AppError> {
    uc::set_step_done(&st, &ctx.person, StepId(s), f.done == "yes").await?;
    crate::ctx::flash(&ctx.session, "saved").await?;
    Ok(Redirect::to("/my#plan").into_response())
}

#[derive(Template)]
#[template(path = "portal/services.html")]
struct ServicesPage {
    c: Chrome,
    o: uc::Offered,
    again: Reshown,
}

impl ServicesPage {
    /// Where the person stands in the service, if signed up and not cancelled.
    fn my_status(&self, s: &polku_store::services::ServiceRow) -> Option<EnrolmentStatus> {
        self.o
            .mine
            .iter()
            .find(|m| m.service_id == s.id)
            .map(|m| m.status)
            .filter(|st| *st != EnrolmentStatus::Cancelled)
    }
    /// Free places, or that the group is full and how many wait.
    fn places(&self, s: &polku_store::services::ServiceRow) -> String {
        match s.capacity {
            None => self.c.t("portal-places-open"),
            Some(cap) if s.enrolled_count < cap => self.c.t1(
                "portal-places-free",
                "count",
                (cap - s.enrolled_count).to_string(),
            ),
            Some(_) => self
                .c
                .t1("portal-places-full", "count", s.waiting_count.to_string()),
        }
    }
}

async fn services_page(State(st): State<AppState>, ctx: PortalCtx) -> Result<Response, AppError> {
    services(&st, ctx, Reshown::default()).await
}

async fn services(st: &AppState, ctx: PortalCtx, again: Reshown) -> Result<Response, AppError> {
    let o = uc::offered(st, &ctx.person).await?;
    let c = again.chrome_from(&ctx.c);
    let page = ServicesPage { c, o, again };
    crate::pages::shown(&page, page.again.is_refused())
}

#[tracing::instrument(skip_all, fields(service = s))]
async fn sign_up(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(s): Path<i64>,
) -> Result<Response, AppError> {
    let said = match uc::sign_up(&st, &ctx.person, s).await {
        Ok(EnrolmentStatus::Waiting) => "portal-signed-up-waiting",
        Ok(_) => "portal-signed-up",
        Err(e) => {
            let errors = form_errors(e)?;
            let again = Reshown {
                form: format!("service-{s}"),
                typed: vec![],
                errors,
            };
            return services(&st, ctx, again).await;
        }
    };
    crate::ctx::flash(&ctx.session, said).await?;
    Ok(Redirect::to(&format!("/my/services#service-{s}")).into_response())
}

#[tracing::instrument(skip_all, fields(service = s))]
async fn cancel(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(s): Path<i64>,
) -> Result<Response, AppError> {
    uc::cancel(&st, &ctx.person, s).await?;
    crate::ctx::flash(&ctx.session, "portal-cancelled").await?;
    Ok(Redirect::to(&format!("/my/services#service-{s}")).into_response())
}

async fn propose(
    State(st): State<AppState>,
    ctx: PortalCtx,
    s: Submitted<polku_domain::services::ServiceForm>,
) -> Result<Response, AppError> {
    let r = uc::propose(&st, &ctx.person, &s.form).await;
    let session = ctx.session.clone();
    saved_or_again(
        r,
        (|_| "/my/services#propose".to_string(), &session),
        ("propose", s.typed),
        |a| services(&st, ctx, a),
    )
    .await
}

#[derive(Template)]
#[template(path = "portal/messages.html")]
struct MessagesPage {
    c: Chrome,
    conv: uc::Conversation,
    again: Reshown,
}

async fn messages_page(State(st): State<AppState>, ctx: PortalCtx) -> Result<Response, AppError> {
    messages(&st, ctx, Reshown::default()).await
}

async fn messages(st: &AppState, ctx: PortalCtx, again: Reshown) -> Result<Response, AppError> {
    let conv = uc::messages(st, &ctx.person).await?;
    let c = again.chrome_from(&ctx.c);
    let page = MessagesPage { c, conv, again };
    crate::pages::shown(&page, page.again.is_refused())
}

async fn write(
    State(st): State<AppState>,
    ctx: PortalCtx,
    s: Submitted<polku_domain::portal::MessageForm>,
) -> Result<Response, AppError> {
    let r = uc::write(&st, &ctx.person, &s.form).await;
    let session = ctx.session.clone();
    saved_or_again(
        r,
        (|_| "/my/messages".to_string(), &session),
        ("message", s.typed),
        |a| messages(&st, ctx, a),
    )
    .await
}

#[derive(Template)]
#[template(path = "portal/data.html")]
struct DataPage {
    c: Chrome,
    again: Reshown,
}

async fn data_page(ctx: PortalCtx) -> Result<Response, AppError> {
    render(&DataPage {
        c: ctx.c,
        again: Reshown::default(),
    })
}

crate::form!(struct DownloadQuery { format });

/// Everything they may download about themself, as JSON or a PDF in their language.
async fn download(
    State(st): State<AppState>,
    ctx: PortalCtx,
    axum::extract::Query(q): axum::extract::Query<DownloadQuery>,
) -> Result<Response, AppError> {
    let (d, log) = uc::my_data(&st, &ctx.person).await?;
    let a = polku_usecases::participants::Access { d, log };
    let (bytes, mime, ext) = match q.format.as_str() {
        "pdf" => (
            crate::pages::privacy::access_pdf(&a, &ctx.c, st.clock.today())?,
            "application/pdf",
            "pdf",
        ),
        _ => (
            serde_json::to_vec_pretty(&crate::pages::privacy::access_json(&a))
                .map_err(|e| AppError::Internal(e.to_string()))?,
            "application/json",
            "json",
        ),
    };
    let disposition = format!("attachment; filename=\"my-data.{ext}\"");
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, mime.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

async fn ask(
    State(st): State<AppState>,
    ctx: PortalCtx,
    s: Submitted<polku_domain::portal::DataRequestForm>,
) -> Result<Response, AppError> {
    let r = uc::request(&st, &ctx.person, &s.form).await;
    let session = ctx.session.clone();
    saved_or_again(
        r,
        (|_| "/my/data".to_string(), &session),
        ("request", s.typed),
        |again| async move {
            let c = again.chrome_from(&ctx.c);
            let page = DataPage { c, again };
            crate::pages::shown(&page, true)
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "portal/assessment.html")]
struct AssessmentPage {
    c: Chrome,
    rows: Vec<polku_store::assessments::ScoreRow>,
    phase: polku_domain::assessment::Phase,
    items: &'static [polku_domain::assessment::AssessmentItem],
    again: Reshown,
}

impl AssessmentPage {
    /// Which assessment the form asks now.
    fn heading(&self) -> String {
        self.c
            .t(format!("portal-assessment-{}", self.phase.as_str()))
    }
    fn score(&self, item: &polku_domain::assessment::AssessmentItem, phase: &str) -> String {
        self.rows
            .iter()
            .find(|r| r.item == *item && r.phase.as_str() == phase)
            .map_or("—".into(), |r| r.score.to_string())
    }
    /// The score ticked: as sent when refused, else as answered before in this phase.
    fn ticked(&self, field: &str, n: &str) -> bool {
        if self.again.is_refused() {
            return self.again.chosen("assessment", field, n);
        }
        self.rows
            .iter()
            .any(|r| r.phase == self.phase && r.item.field() == field && r.score.to_string() == n)
    }
}

async fn assessment_page(State(st): State<AppState>, ctx: PortalCtx) -> Result<Response, AppError> {
    assessment(&st, ctx, Reshown::default()).await
}

async fn assessment(st: &AppState, ctx: PortalCtx, again: Reshown) -> Result<Response, AppError> {
    let (rows, phase) = uc::my_assessment(st, &ctx.person).await?;
    let page = AssessmentPage {
        c: again.chrome_from(&ctx.c),
        rows,
        phase,
        items: polku_domain::assessment::AssessmentItem::ALL,
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

async fn assess(
    State(st): State<AppState>,
    ctx: PortalCtx,
    s: Submitted<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let r = uc::assess(&st, &ctx.person, &s.typed).await;
    let session = ctx.session.clone();
    saved_or_again(
        r,
        (|_| "/my/assessment".to_string(), &session),
        ("assessment", s.typed),
        |a| assessment(&st, ctx, a),
    )
    .await
}
