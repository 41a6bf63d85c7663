//! Referring a participant: first find the person (when coming from the service directory),
//! then the form that names the receiver, the reason and what the consent shares.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::reshown::{saved_or_again as again, Reshown};
use crate::submitted::{chosen_id, Submitted};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use polku_domain::authz::Action;
use polku_domain::ids::{NoteId, ParticipantId, ReferralId};
use polku_domain::referral::ReferralForm;
use polku_store::participants::ParticipantRow;
use polku_usecases::participants::Search;
use polku_usecases::referrals::{self as uc, Draft};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct NewQuery {
    participant_id: String,
    service_id: String,
    q: String,
}

#[derive(Template)]
#[template(path = "referrals/new.html")]
struct New {
    c: Chrome,
    draft: Option<Draft>,
    /// People found, when no one is chosen yet.
    people: Vec<ParticipantRow>,
    q: String,
    service_id: String,
    again: Reshown,
}

impl New {
    /// The receiving organisation chosen: as sent, else the service's.
    fn org_chosen(&self, org: &polku_domain::ids::OrgId) -> bool {
        if self.again.is_refused() {
            return self.again.chosen("referral", "to_org_id", org.to_string());
        }
        self.draft.as_ref().is_some_and(|d| {
            d.services
                .iter()
                .any(|s| s.id.to_string() == self.service_id && s.org_id == *org)
        })
    }
    fn service_chosen(&self, id: &polku_domain::ids::ServiceId) -> bool {
        if self.again.is_refused() {
            return self
                .again
                .chosen("referral", "to_service_id", id.to_string());
        }
        self.service_id == id.to_string()
    }
    fn ticked(&self, field: &str) -> bool {
        self.again.ticked("referral", field, "on")
    }
}

#[tracing::instrument(skip_all)]
pub(super) async fn new(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ReferParticipants, Some(ctx.actor.org))?;
    match chosen_id(&q.participant_id) {
        Some(id) => form_page(&st, ctx, id, (q.service_id, Reshown::default())).await,
        None => {
            let people = if q.q.trim().is_empty() {
                vec![]
            } else {
                let search = Search {
                    text: &q.q,
                    limit: Some(50),
                    via: "referral ",
                    ..Default::default()
                };
                polku_usecases::participants::search(&st, &ctx.actor, search).await?
            };
            crate::pages::render(&New {
                c: ctx.c,
                draft: None,
                people,
                q: q.q,
                service_id: q.service_id,
                again: Reshown::default(),
            })
        }
    }
}

async fn form_page(
    st: &AppState,
    ctx: Ctx,
    id: i64,
    (service_id, again): (String, Reshown),
) -> Result<Response, AppError> {
    let draft = uc::draft(st, &ctx.actor, ParticipantId(id)).await?;
    let page = New {
        c: again.chrome(&ctx),
        draft: Some(draft),
        people: vec![],
        q: String::new(),
        service_id,
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

#[tracing::instrument(skip_all, fields(participant = id))]
pub(super) async fn send(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<ReferralForm>,
) -> Result<Response, AppError> {
    let notes: Vec<NoteId> = s
        .typed
        .iter()
        .filter(|(k, _)| k == "note_id")
        .filter_map(|(_, v)| chosen_id(v).map(NoteId))
        .collect();
    let r = uc::send(&st, &ctx.actor, ParticipantId(id), (&s.form, notes)).await;
    let service = s.form.to_service_id.clone();
    again(
        r,
        (
            |r: &ReferralId| format!("/referrals/{r}"),
            &ctx.session.clone(),
        ),
        ("referral", s.typed),
        |a| form_page(&st, ctx, id, (service, a)),
    )
    .await
}
