//! The small forms on a person's page: notes, goals and steps, consents, guidance contacts,
//! the follow-up and exit. Each handler calls its use case and returns to the page's section;
//! a form the use case refuses is shown again in place, with what was typed and why.

use super::record::page;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::reshown::saved_or_again as again;
use crate::submitted::Submitted;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use polku_domain::ids::{GoalId, ParticipantId};
use polku_domain::participant::{ExitForm, GoalForm, StepForm};
use polku_domain::referral::IncomingReferralForm;
use polku_domain::services::ContactForm;
use polku_usecases::participants as uc;

/// Back to the person's page at `section` after a save; a refused form shown again in place.
async fn saved_or_again<T>(
    st: &AppState,
    ctx: Ctx,
    id: i64,
    (form, section): (&str, &str),
    typed: Vec<(String, String)>,
    result: polku_usecases::Result<T>,
) -> Result<Response, AppError> {
    let to = format!("/participants/{id}{section}");
    again(
        result,
        (move |_| to, &ctx.session.clone()),
        (form, typed),
        |a| page(st, ctx, id, a),
    )
    .await
}

pub(super) async fn exit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<ExitForm>,
) -> Result<Response, AppError> {
    let r = uc::exit(&st, &ctx.actor, ParticipantId(id), &s.form, "exit").await;
    saved_or_again(&st, ctx, id, ("exit", ""), s.typed, r).await
}

crate::form!(pub(super) struct NoteForm { body });

pub(super) async fn add_note(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<NoteForm>,
) -> Result<Response, AppError> {
    let r = uc::add_note(&st, &ctx.actor, ParticipantId(id), &s.form.body).await;
    saved_or_again(&st, ctx, id, ("note", "#notes"), s.typed, r).await
}

pub(super) async fn add_goal(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<GoalForm>,
) -> Result<Response, AppError> {
    let r = uc::add_goal(&st, &ctx.actor, ParticipantId(id), &s.form).await;
    saved_or_again(&st, ctx, id, ("goal", "#plan"), s.typed, r).await
}

pub(super) async fn add_step(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, goal)): Path<(i64, i64)>,
    s: Submitted<StepForm>,
) -> Result<Response, AppError> {
    let r = uc::add_step(&st, &ctx.actor, ParticipantId(id), GoalId(goal), &s.form).await;
    let form = format!("step-{goal}");
    saved_or_again(&st, ctx, id, (&form, "#plan"), s.typed, r).await
}

crate::form!(pub(super) struct ConsentForm { kind, granted });

pub(super) async fn consent(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<ConsentForm>,
) -> Result<Response, AppError> {
    let granted = s.form.granted == "yes";
    let r = uc::record_consent(&st, &ctx.actor, ParticipantId(id), &s.form.kind, granted).await;
    saved_or_again(&st, ctx, id, ("consent", "#consents"), s.typed, r).await
}

pub(super) async fn add_contact(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<ContactForm>,
) -> Result<Response, AppError> {
    let r = uc::add_contact(&st, &ctx.actor, ParticipantId(id), &s.form).await;
    saved_or_again(&st, ctx, id, ("contact", "#contacts"), s.typed, r).await
}

/// Who referred the person from outside Polku.
pub(super) async fn referred_by(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<IncomingReferralForm>,
) -> Result<Response, AppError> {
    let r = uc::record_referred_by(&st, &ctx.actor, ParticipantId(id), &s.form).await;
    saved_or_again(&st, ctx, id, ("referral", "#referred-by"), s.typed, r).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct FollowUpForm {
    status: String,
    improved: Option<String>,
}

/// The six-month follow-up's finding (ESF+ EECR05/EECR06).
pub(super) async fn follow_up(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<FollowUpForm>,
) -> Result<Response, AppError> {
    let improved = s.form.improved.is_some();
    let pid = ParticipantId(id);
    let r = uc::record_follow_up(&st, &ctx.actor, pid, &s.form.status, improved).await;
    saved_or_again(&st, ctx, id, ("follow-up", "#follow-up"), s.typed, r).await
}

/// An answer to the person's messages; they are told by e-mail that it waits.
pub(super) async fn message(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: crate::submitted::WithFile<polku_domain::portal::MessageForm>,
) -> Result<Response, AppError> {
    let mail = (
        ctx.c.t("message-mail-subject"),
        ctx.c.t("message-mail-body"),
    );
    let r = match crate::submitted::attachment(s.file) {
        Ok(file) => {
            let msg = (&s.form, file.as_ref());
            polku_usecases::messages::reply(&st, &ctx.actor, ParticipantId(id), msg, mail).await
        }
        Err(e) => Err(e.into()),
    };
    st.mail_waiting.notify_one();
    saved_or_again(&st, ctx, id, ("message", "#messages"), s.typed, r).await
}

/// The person's request to correct or erase is handled.
pub(super) async fn request_handled(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, request)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let r = uc::handle_request(&st, &ctx.actor, ParticipantId(id), request).await;
    saved_or_again(&st, ctx, id, ("request", "#requests"), vec![], r).await
}

/// A file of the person's messages, as a download.
pub(super) async fn file(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, f)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let found = polku_usecases::messages::attachment(&st, &ctx.actor, ParticipantId(id), f).await?;
    Ok(crate::portal::file_download(found))
}
