//! A person's plan and what is written on their record: goals and steps, consents, notes,
//! guidance contacts and the six-month follow-up. The same use cases as the person's page.

use super::inputs::*;
use super::objects::*;
use super::{Api, Created, Page, PageParams};
use crate::error::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use polku_domain::ids::{GoalId, ParticipantId};
use polku_domain::participant::{GoalForm, StepForm};
use polku_domain::services::ContactForm;
use polku_usecases::participants as uc;

/// The person's goals and steps, consents and follow-up (the read is audited).
#[utoipa::path(get, path = "/participants/{id}/plan", params(("id" = i64, Path)), responses((status = 200, body = Plan)), security(("bearer" = [])))]
pub(super) async fn plan(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<Plan>, ApiError> {
    let v = uc::view(&st, &actor, ParticipantId(id)).await?;
    let goals = goals_with_steps(v.goals, &v.steps);
    let consents = v
        .consents
        .into_iter()
        .map(|c| Consent {
            kind: c.kind,
            granted: c.granted,
            recorded_at: c.recorded_at,
        })
        .collect();
    let follow_up = v.follow_up.map(FollowUp::from);
    Ok(Json(Plan {
        goals,
        consents,
        follow_up,
    }))
}

/// The counsellors' notes, newest first.
#[utoipa::path(get, path = "/participants/{id}/notes", params(("id" = i64, Path), PageParams), responses((status = 200, body = Page<Note>)), security(("bearer" = [])))]
pub(super) async fn notes(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Note>>, ApiError> {
    let notes = uc::notes(&st, &actor, ParticipantId(id)).await?;
    Ok(Json(paging.slice(notes, Note::from)?))
}

/// The guidance contacts, newest first.
#[utoipa::path(get, path = "/participants/{id}/contacts", params(("id" = i64, Path), PageParams), responses((status = 200, body = Page<Contact>)), security(("bearer" = [])))]
pub(super) async fn contacts(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Contact>>, ApiError> {
    let contacts = uc::contacts(&st, &actor, ParticipantId(id)).await?;
    Ok(Json(paging.slice(contacts, Contact::from)?))
}

#[utoipa::path(post, path = "/participants/{id}/notes", params(("id" = i64, Path)), request_body = NoteInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_note(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<NoteInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let nid = uc::add_note(&st, &actor, ParticipantId(id), &i.body).await?;
    Ok(Created::new(nid))
}

#[utoipa::path(post, path = "/participants/{id}/goals", params(("id" = i64, Path)), request_body = GoalInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_goal(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<GoalInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f: GoalForm = i.into();
    let gid = uc::add_goal(&st, &actor, ParticipantId(id), &f).await?;
    Ok(Created::new(gid.0))
}

#[utoipa::path(post, path = "/participants/{id}/goals/{goal}/steps", params(("id" = i64, Path), ("goal" = i64, Path)), request_body = StepInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_step(
    Api { st, actor }: Api,
    Path((id, goal)): Path<(i64, i64)>,
    Json(i): Json<StepInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f: StepForm = i.into();
    let sid = uc::add_step(&st, &actor, ParticipantId(id), GoalId(goal), &f).await?;
    Ok(Created::new(sid.0))
}

/// Grants or withdraws a consent (open also after the project has ended).
#[utoipa::path(post, path = "/participants/{id}/consents", params(("id" = i64, Path)), request_body = ConsentInput, responses((status = 200, body = Consent)), security(("bearer" = [])))]
pub(super) async fn consent(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ConsentInput>,
) -> Result<Json<Consent>, ApiError> {
    let kind = uc::record_consent(&st, &actor, ParticipantId(id), &i.kind, i.granted).await?;
    Ok(Json(Consent {
        kind,
        granted: i.granted,
        recorded_at: st.clock.now(),
    }))
}

#[utoipa::path(post, path = "/participants/{id}/contacts", params(("id" = i64, Path)), request_body = ContactInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_contact(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ContactInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f: ContactForm = i.into();
    let cid = uc::add_contact(&st, &actor, ParticipantId(id), &f).await?;
    Ok(Created::new(cid))
}

#[utoipa::path(post, path = "/participants/{id}/follow-up", params(("id" = i64, Path)), request_body = FollowUpInput, responses((status = 200, body = FollowUp)), security(("bearer" = [])))]
pub(super) async fn follow_up(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<FollowUpInput>,
) -> Result<Json<FollowUp>, ApiError> {
    let saved = uc::record_follow_up(&st, &actor, ParticipantId(id), &i.status, i.improved).await?;
    Ok(Json(saved.into()))
}

api_object! {
    /// A message between the person and the staff.
    pub struct Message from polku_store::messages::MessageRow as m {
        id: i64,
        /// Written by the participant in their own channel; else by `author_name` of the staff.
        from_participant: bool,
        author_name: Option<String>,
        body: String,
        created_at: chrono::DateTime<chrono::Utc>,
        /// When the other side read it.
        read_at: Option<chrono::DateTime<chrono::Utc>>,
    }
}

/// The person's messages with the staff, oldest first.
#[utoipa::path(get, path = "/participants/{id}/messages", params(("id" = i64, Path), PageParams), responses((status = 200, body = Page<Message>)), security(("bearer" = [])))]
pub(super) async fn messages(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Message>>, ApiError> {
    let rows = polku_usecases::messages::conversation(&st, &actor, ParticipantId(id)).await?;
    Ok(Json(paging.slice(rows, Message::from)?))
}

/// An answer to the person; they are told by e-mail (in Finnish) that a message waits.
#[utoipa::path(post, path = "/participants/{id}/messages", params(("id" = i64, Path)), request_body = NoteInput, responses((status = 201, body = Created), (status = 422)), security(("bearer" = [])))]
pub(super) async fn reply(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<NoteInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let lang = crate::i18n::Lang::Fi;
    let mail = (lang.t("message-mail-subject"), lang.t("message-mail-body"));
    let f = polku_domain::portal::MessageForm { body: i.body };
    let msg = (&f, None);
    let mid = polku_usecases::messages::reply(&st, &actor, ParticipantId(id), msg, mail).await?;
    st.mail_waiting.notify_one();
    Ok(Created::new(mid))
}

/// The person's request to correct or erase (made in their own channel) is handled.
#[utoipa::path(post, path = "/participants/{id}/requests/{request}/handled", params(("id" = i64, Path), ("request" = i64, Path)), responses((status = 204), (status = 404)), security(("bearer" = [])))]
pub(super) async fn request_handled(
    Api { st, actor }: Api,
    Path((id, request)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    uc::handle_request(&st, &actor, ParticipantId(id), request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A file of the person's messages, as it was sent.
#[utoipa::path(get, path = "/participants/{id}/files/{file}", params(("id" = i64, Path), ("file" = i64, Path)), responses((status = 200, content_type = "application/octet-stream"), (status = 404)), security(("bearer" = [])))]
pub(super) async fn file(
    Api { st, actor }: Api,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<axum::response::Response, ApiError> {
    let found = polku_usecases::messages::attachment(&st, &actor, ParticipantId(id), file).await?;
    Ok(crate::portal::file_download(found))
}
