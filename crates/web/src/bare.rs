//! Bare pages for the load benchmark: the busiest pages' exact data reads (the same functions,
//! so the same queries and the same audit write), answered as a line of counts — no session,
//! CSRF check, template or security headers. `polku bench` serves these beside the real pages
//! and reports the real page's throughput as a ratio of the bare page's. Never mounted by
//! [`crate::router`].

use crate::{AppError, AppState};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::Router;
use polku_domain::authz::Actor;
use polku_domain::ids::ParticipantId;

#[derive(Clone)]
struct Bare {
    st: AppState,
    actor: Actor,
}

/// Routes `/bare/participants/{id}`, `/bare/services/{id}/sessions/{sid}`, `/bare/employers`,
/// `/bare/openings/{id}` and `/bare/projects/{id}/esf`, all acting as `actor`.
pub fn router(st: AppState, actor: Actor) -> Router {
    Router::new()
        .route("/bare/participants/{id}", get(participant))
        .route("/bare/services/{id}/sessions/{sid}", get(attendance))
        .route("/bare/employers", get(employers))
        .route("/bare/openings/{id}", get(opening))
        .route("/bare/projects/{id}/esf", get(esf))
        .with_state(Bare { st, actor })
}

#[derive(serde::Deserialize)]
struct Page {
    #[serde(default)]
    q: String,
    after: Option<i64>,
}

/// The register's page as `/employers` reads it: one more than a page, to know of a next one.
async fn employers(State(b): State<Bare>, Query(p): Query<Page>) -> Result<String, AppError> {
    let after = p.after.map(polku_domain::ids::EmployerId);
    let page = crate::pages::employers::PAGE + 1;
    let rows = polku_usecases::employers::list(&b.st, &b.actor, &p.q, after, page).await?;
    Ok(format!("{}\n", rows.len()))
}

/// An opening with its proposals, and the participants who could be proposed to it.
async fn opening(State(b): State<Bare>, Path(id): Path<i64>) -> Result<String, AppError> {
    let id = polku_domain::ids::OpeningId(id);
    let v = polku_usecases::placements::opening(&b.st, &b.actor, id).await?;
    let candidates = polku_usecases::placements::candidates(&b.st, &b.actor).await?;
    Ok(format!(
        "{} {} {}\n",
        v.o.id,
        v.proposals.len(),
        candidates.len()
    ))
}

/// A project's ESF+ report, with its placements by kind and result and employers by industry.
async fn esf(State(b): State<Bare>, Path(id): Path<i64>) -> Result<String, AppError> {
    let which = polku_usecases::esf::Which::Id(polku_domain::ids::ProjectId(id));
    let (p, r, _) = polku_usecases::esf::report(&b.st, &b.actor, which, None).await?;
    let w = &r.employers;
    Ok(format!(
        "{} {} {}\n",
        p.id,
        w.placements.len(),
        w.industries.len()
    ))
}

async fn participant(State(b): State<Bare>, Path(id): Path<i64>) -> Result<String, AppError> {
    let v = polku_usecases::participants::view(&b.st, &b.actor, ParticipantId(id)).await?;
    Ok(format!(
        "{} {} {} {} {}\n",
        v.p.id,
        v.notes.len(),
        v.contacts.len(),
        v.services.len(),
        v.goals.len()
    ))
}

async fn attendance(
    State(b): State<Bare>,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<String, AppError> {
    let r = polku_usecases::services::session_roster(&b.st, &b.actor, id, sid).await?;
    Ok(format!("{} {} {}\n", r.s.id, r.session.id, r.lines.len()))
}

/// A signed-in session for `user`, stored as a login would store it, so the load generator can
/// request the real pages with its cookie: `polku_session=<returned value>`.
pub async fn session_cookie(
    db: &polku_store::Db,
    user: polku_domain::ids::UserId,
) -> Result<String, AppError> {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::SessionStore;
    let store = polku_store::sessions::DbSessionStore::new(db.clone());
    let mut record = Record {
        id: Id::default(),
        data: [(crate::ctx::USER_KEY.to_string(), serde_json::json!(user.0))]
            .into_iter()
            .collect(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(8),
    };
    store
        .create(&mut record)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(record.id.to_string())
}
