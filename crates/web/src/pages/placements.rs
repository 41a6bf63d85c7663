//! A placement's page: its periods and extensions, the supervision and follow-up meetings,
//! and how it ended.

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
use polku_domain::authz::Action;
use polku_domain::coach::{MeetingForm, MeetingKind};
use polku_domain::ids::PlacementId;
use polku_domain::placement::{ExtensionForm, PlacementEndForm, PlacementResult};
use polku_usecases::placements::{self as uc, PlacementView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/placements/{pl}", get(show))
        .route("/placements/{pl}/extensions", post(extend))
        .route("/placements/{pl}/end", post(end))
        .route("/placements/{pl}/meetings", post(add_meeting))
}

#[derive(Template)]
#[template(path = "employers/placement.html")]
struct Show {
    c: Chrome,
    v: PlacementView,
    can_change: bool,
    /// Meetings can be recorded after the placement ended too (the follow-up).
    can_meet: bool,
    results: Vec<&'static str>,
    meeting_kinds: Vec<&'static str>,
    today: String,
    again: Reshown,
}

fresh_page!(show => page);

async fn page(st: &AppState, ctx: Ctx, id: i64, again: Reshown) -> Result<Response, AppError> {
    let v = uc::placement(st, &ctx.actor, PlacementId(id)).await?;
    let can_meet = ctx
        .authorize(Action::PlaceParticipants, Some(ctx.actor.org))
        .is_ok();
    let show = Show {
        c: again.chrome(&ctx),
        can_change: v.pl.result.is_none() && can_meet,
        can_meet,
        v,
        results: PlacementResult::ALL.iter().map(|r| r.as_str()).collect(),
        meeting_kinds: MeetingKind::ALL.iter().map(|k| k.as_str()).collect(),
        today: polku_domain::dates::format_fi(st.clock.today()),
        again,
    };
    crate::pages::shown(&show, show.again.is_refused())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Versioned<T> {
    version: String,
    #[serde(flatten)]
    f: T,
}

async fn extend(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<Versioned<ExtensionForm>>,
) -> Result<Response, AppError> {
    let r = uc::extend(&st, &ctx.actor, PlacementId(id), &s.form.f, &s.form.version).await;
    let to = format!("/placements/{id}");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("extension", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

async fn add_meeting(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<MeetingForm>,
) -> Result<Response, AppError> {
    let r = polku_usecases::coaches::add_meeting(&st, &ctx.actor, PlacementId(id), &s.form).await;
    let to = format!("/placements/{id}#meetings");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("meeting", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

async fn end(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<Versioned<PlacementEndForm>>,
) -> Result<Response, AppError> {
    let r = uc::end(&st, &ctx.actor, PlacementId(id), &s.form.f, &s.form.version).await;
    let to = format!("/placements/{id}");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("end", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}
