//! Referrals: who referred a participant from outside Polku (the TE office, Kela).

use super::{Api, Created};
use crate::error::ApiError;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use polku_domain::ids::{ParticipantId, ReferralId};
use polku_domain::referral::{IncomingReferralForm, ReferralStatus, Referrer};
use polku_store::referrals::IncomingRow;
use polku_usecases::participants as uc;
use serde::Deserialize;
use utoipa::ToSchema;

api_object! {
    pub struct IncomingReferral from IncomingRow as r {
        id: ReferralId,
        referrer: Referrer = r.referrer_kind,
        referrer_name: Option<String>,
        referred_on: NaiveDate,
        reason: Option<String>,
        status: ReferralStatus,
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct IncomingReferralInput {
    pub referrer: Option<Referrer>,
    pub referrer_name: String,
    pub referred_on: Option<NaiveDate>,
    pub reason: String,
}

#[utoipa::path(get, path = "/participants/{id}/referred-by", params(("id" = i64, Path)), responses((status = 200, body = Vec<IncomingReferral>)), security(("bearer" = [])))]
pub(super) async fn referred_by(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<Vec<IncomingReferral>>, ApiError> {
    let rows = uc::referred_by(&st, &actor, ParticipantId(id)).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/participants/{id}/referred-by", params(("id" = i64, Path)), request_body = IncomingReferralInput, responses((status = 201, body = Created)), security(("bearer" = [])))]
pub(super) async fn record_referred_by(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<IncomingReferralInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = IncomingReferralForm {
        referrer: super::text(i.referrer),
        referrer_name: i.referrer_name,
        referred_on: super::text(i.referred_on),
        reason: i.reason,
    };
    let created = uc::record_referred_by(&st, &actor, ParticipantId(id), &f).await?;
    Ok(Created::new(created.0))
}
