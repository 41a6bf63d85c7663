//! Employers, openings and placements: the same use cases as the employer pages, with their
//! own request and answer types ([`super::employer_types`]).

use super::employer_types::*;
use super::{text, Api, Created, Page, PageParams};
use crate::error::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use polku_domain::employer::{AttendeeKind, Attendees, ContactPersonForm, InteractionForm};
use polku_domain::ids::*;
use polku_domain::placement::{ExtensionForm, OpeningForm, PlacementEndForm, PlacementForm};
use polku_usecases::{employers as uc, placements as pc};

#[utoipa::path(get, path = "/employers", params(EmployerSearch, PageParams), responses((status = 200, body = Page<Employer>)), security(("bearer" = [])))]
pub(super) async fn list(
    Api { st, actor }: Api,
    Query(q): Query<EmployerSearch>,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Employer>>, ApiError> {
    paging.window()?;
    let all = uc::list(&st, &actor, &q.q, None, i64::MAX).await?;
    Ok(Json(paging.slice(all, Employer::from)?))
}

#[utoipa::path(post, path = "/employers", request_body = EmployerInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn create(
    Api { st, actor }: Api,
    Json(i): Json<EmployerInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok(Created::new(uc::create(&st, &actor, &i.into()).await?.0))
}

#[utoipa::path(get, path = "/employers/{id}", params(("id" = i64, Path)), responses((status = 200, body = EmployerDetail)), security(("bearer" = [])))]
pub(super) async fn get(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<EmployerDetail>, ApiError> {
    let v = uc::view(&st, &actor, EmployerId(id)).await?;
    Ok(Json(EmployerDetail {
        employer: v.e.into(),
        contacts: v.contacts.into_iter().map(Into::into).collect(),
        interactions: v.interactions.into_iter().map(Into::into).collect(),
        openings: v.openings.into_iter().map(Into::into).collect(),
        placements: v.placements.into_iter().map(Into::into).collect(),
        coaches: v.coaches.into_iter().map(Into::into).collect(),
        shared_with: v.shared_with,
        attendees: v.attendees.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(put, path = "/employers/{id}", params(("id" = i64, Path)), request_body = EmployerInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn update(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<EmployerInput>,
) -> Result<StatusCode, ApiError> {
    uc::update(&st, &actor, EmployerId(id), &i.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/employers/{id}/contacts", params(("id" = i64, Path)), request_body = ContactPersonInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_contact(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ContactPersonInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = ContactPersonForm {
        name: i.name,
        role: i.role,
        phone: i.phone,
        email: i.email,
    };
    Ok(Created::new(
        uc::add_contact_person(&st, &actor, EmployerId(id), &f).await?,
    ))
}

#[utoipa::path(delete, path = "/employers/{id}/contacts/{contact}", params(("id" = i64, Path), ("contact" = i64, Path)), responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn remove_contact(
    Api { st, actor }: Api,
    Path((id, contact)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    uc::remove_contact_person(&st, &actor, EmployerId(id), contact).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/employers/{id}/shares", params(("id" = i64, Path)), request_body = ShareInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn share(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ShareInput>,
) -> Result<StatusCode, ApiError> {
    uc::share(&st, &actor, EmployerId(id), i.org_id.map(OrgId)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/employers/{id}/interactions", params(("id" = i64, Path)), request_body = InteractionInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_interaction(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<InteractionInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = InteractionForm {
        project_id: text(i.project_id),
        kind: text(i.kind),
        date: text(i.date),
        summary: i.summary,
        needs: i.needs,
        others_count: text(i.others_count),
        follow_up_date: text(i.follow_up_date),
        follow_up_task: i.follow_up_task,
    };
    let kinds = [
        (AttendeeKind::Staff, i.staff_ids),
        (AttendeeKind::Contact, i.contact_ids),
        (AttendeeKind::Participant, i.participant_ids),
    ];
    let who = Attendees(
        kinds
            .into_iter()
            .flat_map(|(k, ids)| ids.into_iter().map(move |id| (k, id)))
            .collect(),
    );
    let created = uc::add_interaction(&st, &actor, EmployerId(id), (&f, &who)).await?;
    Ok(Created::new(created.0))
}

#[utoipa::path(post, path = "/employers/{id}/openings", params(("id" = i64, Path)), request_body = OpeningInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn add_opening(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<OpeningInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = OpeningForm {
        kind: text(i.kind),
        title: i.title,
        places: text(i.places),
        deadline: text(i.deadline),
        requirements: i.requirements,
    };
    Ok(Created::new(
        pc::add_opening(&st, &actor, EmployerId(id), &f).await?.0,
    ))
}

#[utoipa::path(get, path = "/openings", params(PageParams), responses((status = 200, body = Page<Opening>)), security(("bearer" = [])))]
pub(super) async fn openings(
    Api { st, actor }: Api,
    Query(paging): Query<PageParams>,
) -> Result<Json<Page<Opening>>, ApiError> {
    let (limit, offset) = paging.window()?;
    let rows = pc::open_openings(&st, &actor, offset + limit + 1).await?;
    Ok(Json(paging.slice(rows, Opening::from)?))
}

#[utoipa::path(put, path = "/openings/{id}/status", params(("id" = i64, Path)), request_body = StatusInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn set_status(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<StatusInput>,
) -> Result<StatusCode, ApiError> {
    pc::set_status(&st, &actor, OpeningId(id), &text(i.status)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/openings/{id}", params(("id" = i64, Path)), responses((status = 200, body = OpeningDetail)), security(("bearer" = [])))]
pub(super) async fn opening(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<OpeningDetail>, ApiError> {
    let v = pc::opening(&st, &actor, OpeningId(id)).await?;
    Ok(Json(OpeningDetail {
        opening: v.o.into(),
        proposals: v.proposals.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(post, path = "/openings/{id}/proposals", params(("id" = i64, Path)), request_body = ProposalInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn propose(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ProposalInput>,
) -> Result<StatusCode, ApiError> {
    let who = Some(ParticipantId(i.participant_id));
    pc::propose(&st, &actor, OpeningId(id), who).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/openings/{id}/proposals/{participant}", params(("id" = i64, Path), ("participant" = i64, Path)), request_body = AnswerInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn answer(
    Api { st, actor }: Api,
    Path((id, who)): Path<(i64, i64)>,
    Json(i): Json<AnswerInput>,
) -> Result<StatusCode, ApiError> {
    let answer = text(i.answer);
    pc::answer(&st, &actor, OpeningId(id), ParticipantId(who), &answer).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/employers/{id}/placements", params(("id" = i64, Path)), request_body = PlacementInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn place(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<PlacementInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = PlacementForm {
        participant_id: text(i.participant_id),
        kind: text(i.kind),
        agreement_ref: i.agreement_ref,
        agreement_date: text(i.agreement_date),
        starts_on: text(i.starts_on),
        ends_on: text(i.ends_on),
        coach: i.coach,
    };
    let opening = i.opening_id.map(OpeningId);
    Ok(Created::new(
        pc::place(&st, &actor, EmployerId(id), opening, &f).await?.0,
    ))
}

#[utoipa::path(get, path = "/placements/{id}", params(("id" = i64, Path)), responses((status = 200, body = PlacementDetail)), security(("bearer" = [])))]
pub(super) async fn placement(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<PlacementDetail>, ApiError> {
    let v = pc::placement(&st, &actor, PlacementId(id)).await?;
    Ok(Json(PlacementDetail {
        placement: v.pl.into(),
        extensions: v.extensions.into_iter().map(Into::into).collect(),
        meetings: v.meetings.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(post, path = "/placements/{id}/extensions", params(("id" = i64, Path)), request_body = ExtensionInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn extend(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ExtensionInput>,
) -> Result<StatusCode, ApiError> {
    let f = ExtensionForm {
        starts_on: text(i.starts_on),
        ends_on: text(i.ends_on),
        reason: i.reason,
    };
    pc::extend(&st, &actor, PlacementId(id), &f, &text(i.version)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/placements/{id}/end", params(("id" = i64, Path)), request_body = PlacementEndInput, responses((status = 204)), security(("bearer" = [])))]
pub(super) async fn end(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<PlacementEndInput>,
) -> Result<StatusCode, ApiError> {
    let f = PlacementEndForm {
        result: text(i.result),
        ended_on: text(i.ended_on),
        reason: i.reason,
    };
    pc::end(&st, &actor, PlacementId(id), &f, &text(i.version)).await?;
    Ok(StatusCode::NO_CONTENT)
}
