//! The shared service catalogue and group programmes: sessions, enrolment, waiting list,
//! attendance. The operations themselves are `polku_usecases::services`.

mod attendance;
mod catalogue;
mod programme;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services", get(catalogue::list).post(catalogue::create))
        .route("/services/new", get(catalogue::new))
        .route("/services/{id}", get(programme::show))
        .route("/services/{id}/sessions", post(programme::add_session))
        .route("/services/{id}/enrol", post(programme::enrol))
        .route(
            "/services/{id}/enrolments/{pid}/cancel",
            post(programme::cancel),
        )
        .route("/services/{id}/approval", post(programme::approval))
        .route("/services/{id}/export", get(programme::export_roster))
        .route(
            "/services/{id}/sessions/{sid}",
            get(attendance::show).post(attendance::save),
        )
}
