//! Bare pages for the load benchmark: the busiest pages' exact data reads (the same functions,
//! so the same queries and the same audit write), answered as a line of counts — no session,
//! CSRF check, template or security headers. `polku bench` serves these beside the real pages
//! and reports the real page's throughput as a ratio of the bare page's. Never mounted by
//! [`crate::router`].

use crate::{AppError, AppState};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use polku_domain::authz::Actor;
use polku_domain::ids::ParticipantId;

#[derive(Clone)]
struct Bare {
    st: AppState,
    actor: Actor,
}

/// Routes `/bare/participants/{id}` and `/bare/services/{id}/sessions/{sid}`, all acting as `actor`.
pub fn router(st: AppState, actor: Actor) -> Router {
    Router::new()
        .route("/bare/participants/{id}", get(participant))
        .route("/bare/services/{id}/sessions/{sid}", get(attendance))
        .with_state(Bare { st, actor })
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
