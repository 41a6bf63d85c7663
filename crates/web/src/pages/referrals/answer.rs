//! Accepting a referral: the intake form filled in with what the consent shares, which makes
//! the receiver's own record of the person, or a record the receiver already has.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::pages::participants::{intake_page, AcceptPart, IntakeAnswers};
use crate::pages::{form_errors, render, unprocessable};
use crate::submitted::{chosen_id, Submitted};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use polku_domain::authz::Action;
use polku_domain::error::FieldError;
use polku_domain::ids::{ParticipantId, ReferralId};
use polku_domain::participant::IntakeForm;
use polku_domain::DomainError;
use polku_usecases::participants::Search;
use polku_usecases::referrals::{self as uc, Accepted};

/// The accepting page: with `errors`, what was typed shown again with them.
async fn accept_view(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    typed: Option<IntakeForm>,
    errors: Vec<FieldError>,
) -> Result<crate::pages::participants::IntakePage, AppError> {
    let (referral, prefilled) = uc::intake_form_for(st, &ctx.actor, ReferralId(id)).await?;
    // Only staff who see their organisation's people may link to one of them.
    let candidates = if ctx
        .authorize(Action::ViewParticipant, Some(ctx.actor.org))
        .is_ok()
    {
        let search = Search {
            text: &referral.last_name,
            limit: Some(20),
            via: "referral accept ",
            ..Default::default()
        };
        polku_usecases::participants::search(st, &ctx.actor, search)
            .await?
            .into_iter()
            .filter(|p| p.exit_date.is_none())
            .collect()
    } else {
        vec![]
    };
    let version = referral.version;
    let c = if errors.is_empty() {
        ctx.c.clone()
    } else {
        ctx.with_errors(errors)
    };
    let f = typed.unwrap_or(prefilled);
    let mut page = intake_page(st, ctx, c, f, None, version).await?;
    page.accept = Some(AcceptPart {
        referral,
        candidates,
    });
    Ok(page)
}

#[tracing::instrument(skip_all, fields(referral = id))]
pub(super) async fn accept_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&accept_view(&st, &ctx, id, None, vec![]).await?)
}

fn version_of(v: &str) -> i64 {
    polku_domain::text::optional_int(v, 0, i64::MAX)
        .ok()
        .flatten()
        .unwrap_or(0)
}

/// After accepting, the referral's page says whether the person got a place.
async fn accepted(ctx: &Ctx, id: i64, a: &Accepted) -> Result<Response, AppError> {
    let note = match a.enrolment {
        Some(polku_domain::services::EnrolmentStatus::Waiting) => "referral-accepted-waiting",
        Some(_) => "referral-accepted-enrolled",
        None => "saved",
    };
    crate::ctx::flash(&ctx.session, note).await?;
    Ok(Redirect::to(&format!("/referrals/{id}")).into_response())
}

#[tracing::instrument(skip_all, fields(referral = id))]
pub(super) async fn accept(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(IntakeAnswers { f, version }): Form<IntakeAnswers>,
) -> Result<Response, AppError> {
    let r = uc::accept_new(&st, &ctx.actor, ReferralId(id), (&f, version_of(&version))).await;
    match r {
        Ok(a) => accepted(&ctx, id, &a).await,
        Err(polku_usecases::Error::Domain(DomainError::Conflict)) => {
            let errors = vec![FieldError {
                field: "form",
                code: polku_domain::ErrorCode::Conflict,
            }];
            unprocessable(&accept_view(&st, &ctx, id, Some(f), errors).await?)
        }
        Err(e) => {
            let errors = form_errors(e)?;
            unprocessable(&accept_view(&st, &ctx, id, Some(f), errors).await?)
        }
    }
}

crate::form!(pub(super) struct LinkForm { participant_id, version });

#[tracing::instrument(skip_all, fields(referral = id))]
pub(super) async fn link(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<LinkForm>,
) -> Result<Response, AppError> {
    let pid = chosen_id(&s.form.participant_id).map(ParticipantId);
    let version = version_of(&s.form.version);
    match uc::accept_link(&st, &ctx.actor, ReferralId(id), (pid, version)).await {
        Ok(a) => accepted(&ctx, id, &a).await,
        Err(e) => {
            let errors = match e {
                polku_usecases::Error::Domain(DomainError::Conflict) => vec![FieldError {
                    field: "form",
                    code: polku_domain::ErrorCode::Conflict,
                }],
                e => form_errors(e)?,
            };
            unprocessable(&accept_view(&st, &ctx, id, None, errors).await?)
        }
    }
}
