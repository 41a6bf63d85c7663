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
use tower_sessions::Session;

mod conversation;
mod own_data;
mod plan;
mod services;
pub mod strong;
mod surveys;

pub(crate) use conversation::file_download;
use conversation::*;
use own_data::*;
use plan::*;
use services::*;
use surveys::*;

const PERSON_KEY: &str = "portal_person";
/// A message's form with its largest file.
pub(crate) const ATTACHMENT_BODY: usize = polku_domain::portal::MAX_ATTACHMENT_BYTES + 64 * 1024;
/// The address a code was asked for, until it is used.
const EMAIL_KEY: &str = "portal_email";

pub fn router(state: &AppState) -> Router<AppState> {
    let sessions = crate::session_layer(state, "polku_portal", time::Duration::hours(2));
    // Codes are asked for and tried per client address no faster than logins.
    let limited = |m| crate::auth::login_limited(m, &state.config);
    Router::new()
        .route("/my", get(plan_page))
        .route(
            "/my/sign-in",
            get(sign_in_page).merge(limited(post(ask_code))),
        )
        .route("/my/sign-in/strong", get(strong::begin))
        // Each return asks the provider twice (token, keys): no faster than logins either.
        .route("/my/sign-in/strong/done", limited(get(strong::done)))
        .route("/my/sign-in/strong/jwks.json", get(strong::jwks))
        .route("/my/code", get(code_page).merge(limited(post(enter_code))))
        .route("/my/sign-out", post(sign_out))
        .route("/my/lang", post(crate::auth::set_lang))
        .route("/my/goals/{g}/steps", post(add_step))
        .route("/my/steps/{s}/done", post(step_done))
        .route("/my/services", get(services_page))
        .route("/my/services/{s}/sign-up", post(sign_up))
        .route("/my/services/{s}/cancel", post(cancel))
        .route("/my/services/propose", post(propose))
        .route(
            "/my/messages",
            get(messages_page)
                .post(write)
                .layer(axum::extract::DefaultBodyLimit::max(ATTACHMENT_BODY)),
        )
        .route(
            "/my/messages/with/{p}",
            get(thread_page)
                .post(write_to)
                .layer(axum::extract::DefaultBodyLimit::max(ATTACHMENT_BODY)),
        )
        .route("/my/messages/files/{a}", get(file))
        .route("/my/assessment", get(assessment_page).post(assess))
        .route("/my/surveys", get(surveys_page))
        .route("/my/surveys/{v}", get(survey_page).post(answer))
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
    /// A mobile number is taken too.
    sms: bool,
    /// Strong identification is offered beside the code.
    strong: bool,
}

async fn sign_in_page(State(st): State<AppState>, ctx: PublicCtx) -> Result<Response, AppError> {
    render(&SignIn {
        c: ctx.c,
        email: String::new(),
        sms: st.config.sms,
        strong: st.strong.is_some(),
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
    match uc::request_code(&st, (&f, st.config.sms), compose).await {
        Ok(()) => {
            st.mail_waiting.notify_one();
            remember(&ctx.session, EMAIL_KEY, f.email.trim().to_string()).await?;
            let sent = match st.config.sms {
                true => "portal-code-sent-sms",
                false => "portal-code-sent",
            };
            crate::ctx::flash(&ctx.session, sent).await?;
            Ok(Redirect::to("/my/code").into_response())
        }
        Err(e) => unprocessable(&SignIn {
            c: Chrome {
                errors: form_errors(e)?,
                ..ctx.c
            },
            email: f.email,
            sms: st.config.sms,
            strong: st.strong.is_some(),
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
    match uc::sign_in(&st, (&SignInForm { email }, st.config.sms), &f.code).await {
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
