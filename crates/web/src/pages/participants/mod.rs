//! A participant's pages: intake and edit, the record, the plan and what is written on it,
//! exit. The list, search and export are in `participant_list.rs`, the timeline in
//! `timeline.rs`. The operations themselves are `polku_usecases::participants`.

mod intake;
mod plan;
mod record;

pub use super::timeline::{timeline_of, TimelineItem};
pub(crate) use intake::{
    form_page as intake_page, AcceptPart, EditForm as IntakeAnswers, IntakePage,
};
pub use record::{facts, special_answers};

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/participants",
            get(super::participant_list::search).post(intake::create),
        )
        .route("/participants/new", get(intake::new))
        .route("/participants/{id}", get(record::show).post(intake::update))
        .route("/participants/{id}/edit", get(intake::edit))
        .route("/participants/{id}/exit", post(plan::exit))
        .route("/participants/{id}/notes", post(plan::add_note))
        .route("/participants/{id}/goals", post(plan::add_goal))
        .route(
            "/participants/{id}/goals/{goal}/steps",
            post(plan::add_step),
        )
        .route("/participants/{id}/consents", post(plan::consent))
        .route("/participants/{id}/contacts", post(plan::add_contact))
        .route("/participants/{id}/referred-by", post(plan::referred_by))
        .route(
            "/participants/{id}/messages",
            post(plan::message).layer(axum::extract::DefaultBodyLimit::max(
                crate::portal::ATTACHMENT_BODY,
            )),
        )
        .route("/participants/{id}/files/{f}", get(plan::file))
        .route(
            "/participants/{id}/requests/{r}/handled",
            post(plan::request_handled),
        )
        .route("/participants/{id}/follow-up", post(plan::follow_up))
}
