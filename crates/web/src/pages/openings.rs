//! An opening's page: the participants proposed to it and the employer's answers, and the
//! placement of one who was accepted.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::names::choices;
use crate::reshown::{saved_or_again as again, Reshown};
use crate::submitted::Submitted;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use polku_domain::authz::Action;
use polku_domain::ids::{OpeningId, ParticipantId};
use polku_domain::placement::{PlacementKind, ProposalStatus};
use polku_store::participants::ParticipantRow;
use polku_usecases::placements::{self as uc, OpeningView};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openings", get(list))
        .route("/openings/{o}", get(show))
        .route("/openings/{o}/status", post(set_status))
        .route("/openings/{o}/proposals", post(propose))
        .route("/openings/{o}/proposals/{x}", post(answer))
}

#[derive(Template)]
#[template(path = "employers/opening.html")]
struct Show {
    c: Chrome,
    v: OpeningView,
    can_manage: bool,
    can_place: bool,
    /// The organisation's participants still in a project, who can be proposed.
    candidates: Vec<ParticipantRow>,
    names: HashMap<ParticipantId, String>,
    placement_kinds: Vec<&'static str>,
    /// Those the employer accepted, whom the placement form offers.
    people: Vec<(ParticipantId, String)>,
    chosen_kind: String,
    again: Reshown,
}

impl Show {
    fn name(&self, id: &ParticipantId) -> &str {
        self.names.get(id).map_or("", |n| n.as_str())
    }
}

#[derive(Template)]
#[template(path = "employers/openings.html")]
struct List {
    c: Chrome,
    openings: Vec<polku_store::placements::OpeningRow>,
}

/// The open openings of the organisation, soonest deadline first.
async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let openings = uc::open_openings(&st, &ctx.actor, 500).await?;
    super::render(&List { c: ctx.c, openings })
}

fresh_page!(show => page);

/// The opening's page; with a refused form, that form shown again in place (422).
pub(super) async fn page(
    st: &AppState,
    ctx: Ctx,
    id: i64,
    again: Reshown,
) -> Result<Response, AppError> {
    let v = uc::opening(st, &ctx.actor, OpeningId(id)).await?;
    let org = ctx.actor.org;
    let can_manage = ctx.authorize(Action::ManageEmployers, Some(org)).is_ok();
    let can_place = ctx.authorize(Action::PlaceParticipants, Some(org)).is_ok();
    let candidates: Vec<ParticipantRow> = if can_place {
        super::employers::active_participants(st, &ctx).await?
    } else {
        vec![]
    };
    let proposed = choices(&v.proposals, &ctx.c);
    let people: Vec<(ParticipantId, String)> = proposed
        .iter()
        .zip(&v.proposals)
        .filter(|(_, r)| r.status == ProposalStatus::Accepted)
        .map(|(p, _)| p.clone())
        .collect();
    let mut names: HashMap<ParticipantId, String> =
        choices(&candidates, &ctx.c).into_iter().collect();
    names.extend(proposed);
    let show = Show {
        c: again.chrome(&ctx),
        chosen_kind: again.typed("placement", "kind", v.o.kind.placement().as_str()),
        people,
        v,
        can_manage,
        can_place,
        candidates,
        names,
        placement_kinds: PlacementKind::ALL.iter().map(|k| k.as_str()).collect(),
        again,
    };
    crate::pages::shown(&show, show.again.is_refused())
}

crate::form!(struct ProposeForm { participant_id });

async fn propose(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<ProposeForm>,
) -> Result<Response, AppError> {
    let who = crate::submitted::chosen_id(&s.form.participant_id).map(ParticipantId);
    let r = uc::propose(&st, &ctx.actor, OpeningId(id), who).await;
    let to = format!("/openings/{id}#proposals");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("propose", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

crate::form!(struct StatusForm { status });

async fn set_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<StatusForm>,
) -> Result<Response, AppError> {
    let r = uc::set_status(&st, &ctx.actor, OpeningId(id), &s.form.status).await;
    let to = format!("/openings/{id}");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("status", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

crate::form!(struct AnswerForm { answer });

async fn answer(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, x)): Path<(i64, i64)>,
    s: Submitted<AnswerForm>,
) -> Result<Response, AppError> {
    let r = uc::answer(
        &st,
        &ctx.actor,
        OpeningId(id),
        ParticipantId(x),
        &s.form.answer,
    )
    .await;
    let to = format!("/openings/{id}#proposals");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("answer", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}
