//! Referrals: who referred a participant from outside Polku (the TE office, Kela), and
//! referrals between organisations in Polku, with what their consent shares.

use super::objects::{goals_with_steps, Goal, Note};
use super::{Api, Created};
use crate::error::ApiError;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use polku_domain::ids::{NoteId, OrgId, ParticipantId, ReferralId, ServiceId};
use polku_domain::participant::{Education, IntakeForm};
use polku_domain::referral::{
    IncomingReferralForm, ProgressForm, ReferralForm, ReferralStatus, Referrer,
};
use polku_domain::services::{EnrolmentStatus, ServiceKind};
use polku_domain::text::Checkbox;
use polku_store::referrals::{IncomingRow, ReferralRow};
use polku_store::services::ParticipantServiceRow;
use polku_usecases::participants as uc;
use polku_usecases::referrals as ruc;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

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

api_object! {
    /// A referral between organisations. The name and reasons are empty once the person
    /// withdrew their consent: the receiver then sees only that the referral existed.
    pub struct Referral from ReferralRow as r {
        id: ReferralId,
        from_org_id: OrgId,
        from_org_name: String,
        from_participant_id: ParticipantId,
        to_org_id: OrgId,
        to_org_name: String,
        to_service_id: Option<ServiceId>,
        to_service_name: Option<String>,
        /// The receiver's own record of the person, once accepted.
        to_participant_id: Option<ParticipantId>,
        first_name: String,
        last_name: String,
        referred_on: NaiveDate,
        reason: Option<String> = r.reason.filter(|_| r.consent_withdrawn_on.is_none()),
        status: ReferralStatus,
        share_contact: bool,
        share_plan: bool,
        share_competence: bool,
        share_hetu: bool,
        consent_withdrawn_on: Option<NaiveDate>,
        decided_on: Option<NaiveDate>,
        decision_reason: Option<String> = r.decision_reason.filter(|_| r.consent_withdrawn_on.is_none()),
        started_on: Option<NaiveDate>,
        ended_on: Option<NaiveDate>,
        /// Send it back with a change, so an answer never overwrites another unseen.
        version: i64,
    }
}

#[derive(serde::Serialize, ToSchema)]
pub struct Referrals {
    pub received: Vec<Referral>,
    pub sent: Vec<Referral>,
}

/// A service the person took part in, with their attendance.
#[derive(serde::Serialize, ToSchema)]
pub struct ServiceTaken {
    pub service_id: ServiceId,
    pub name: String,
    pub kind: ServiceKind,
    pub status: EnrolmentStatus,
    pub present: i64,
    pub recorded: i64,
}

impl From<ParticipantServiceRow> for ServiceTaken {
    fn from(s: ParticipantServiceRow) -> Self {
        ServiceTaken {
            service_id: s.service_id,
            name: s.name,
            kind: s.kind,
            status: s.status,
            present: s.present,
            recorded: s.recorded,
        }
    }
}

/// What the consent shares; each item absent when not shared.
#[derive(serde::Serialize, ToSchema)]
pub struct SharedOut {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub municipality: Option<String>,
    pub hetu: Option<String>,
    pub plan: Option<Vec<Goal>>,
    pub education: Option<Education>,
    pub services: Option<Vec<ServiceTaken>>,
    pub notes: Vec<Note>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ReferralDetail {
    pub referral: Referral,
    pub shared: SharedOut,
    /// The person's place and attendance in the service referred to.
    pub attendance: Option<ServiceTaken>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ReferralInput {
    pub to_org_id: Option<i64>,
    pub to_service_id: Option<i64>,
    pub reason: String,
    pub share_contact: bool,
    pub share_plan: bool,
    pub share_competence: bool,
    pub share_hetu: bool,
    pub note_ids: Vec<i64>,
    /// The person consented to the referral and to sharing what is chosen.
    pub consent: bool,
}

/// Accepting: with `participant_id` a record the receiver already has, else a new one from
/// `intake`.
#[derive(Deserialize, ToSchema)]
pub struct AcceptInput {
    #[serde(default)]
    pub participant_id: Option<i64>,
    #[serde(default)]
    pub intake: Option<IntakeForm>,
    /// The referral's version as read.
    #[serde(default)]
    pub version: i64,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AcceptedOut {
    pub participant_id: ParticipantId,
    /// For a referral to a service: enrolled, or waiting when it was full.
    pub enrolment: Option<EnrolmentStatus>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ProgressInput {
    pub status: Option<ReferralStatus>,
    /// Today when left out.
    pub on: Option<NaiveDate>,
    pub reason: String,
    pub version: i64,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct PeriodParams {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/referrals", responses((status = 200, body = Referrals)), security(("bearer" = [])))]
pub(super) async fn list(Api { st, actor }: Api) -> Result<Json<Referrals>, ApiError> {
    let (received, sent) = ruc::inbox(&st, &actor).await?;
    Ok(Json(Referrals {
        received: received.into_iter().map(Into::into).collect(),
        sent: sent.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(post, path = "/participants/{id}/referrals", params(("id" = i64, Path)), request_body = ReferralInput, responses((status = 201, body = Created), (status = 422)), security(("bearer" = [])))]
pub(super) async fn send(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ReferralInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = ReferralForm {
        to_org_id: super::text(i.to_org_id),
        to_service_id: super::text(i.to_service_id),
        reason: i.reason,
        share_contact: Checkbox(i.share_contact),
        share_plan: Checkbox(i.share_plan),
        share_competence: Checkbox(i.share_competence),
        share_hetu: Checkbox(i.share_hetu),
        consent: Checkbox(i.consent),
    };
    let notes = i.note_ids.into_iter().map(NoteId).collect();
    let rid = ruc::send(&st, &actor, ParticipantId(id), (&f, notes)).await?;
    Ok(Created::new(rid.0))
}

/// The referral with what its consent shares (the read is audited in both organisations).
#[utoipa::path(get, path = "/referrals/{id}", params(("id" = i64, Path)), responses((status = 200, body = ReferralDetail), (status = 404)), security(("bearer" = [])))]
pub(super) async fn get(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<ReferralDetail>, ApiError> {
    let v = ruc::show(&st, &actor, ReferralId(id)).await?;
    let s = v.shared;
    let (education, services) = match s.competence {
        Some(c) => (
            c.education,
            Some(c.services.into_iter().map(Into::into).collect()),
        ),
        None => (None, None),
    };
    Ok(Json(ReferralDetail {
        referral: v.r.into(),
        shared: SharedOut {
            email: s.email,
            phone: s.phone,
            municipality: s.municipality,
            hetu: s.hetu,
            plan: s.plan.map(|(goals, steps)| goals_with_steps(goals, &steps)),
            education,
            services,
            notes: s.notes.into_iter().map(Into::into).collect(),
        },
        attendance: v.attendance.map(Into::into),
    }))
}

#[utoipa::path(post, path = "/referrals/{id}/accept", params(("id" = i64, Path)), request_body = AcceptInput, responses((status = 200, body = AcceptedOut), (status = 409), (status = 422)), security(("bearer" = [])))]
pub(super) async fn accept(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<AcceptInput>,
) -> Result<Json<AcceptedOut>, ApiError> {
    let rid = ReferralId(id);
    let a = match (i.participant_id, i.intake) {
        (Some(p), _) => {
            ruc::accept_link(&st, &actor, rid, (Some(ParticipantId(p)), i.version)).await?
        }
        (None, Some(f)) => ruc::accept_new(&st, &actor, rid, (&f, i.version)).await?,
        (None, None) => ruc::accept_link(&st, &actor, rid, (None, i.version)).await?,
    };
    Ok(Json(AcceptedOut {
        participant_id: a.participant,
        enrolment: a.enrolment,
    }))
}

/// Declined or returned with a reason; started, completed or interrupted on a day.
#[utoipa::path(post, path = "/referrals/{id}/progress", params(("id" = i64, Path)), request_body = ProgressInput, responses((status = 200, body = Referral), (status = 409), (status = 422)), security(("bearer" = [])))]
pub(super) async fn progress(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<ProgressInput>,
) -> Result<Json<Referral>, ApiError> {
    let f = ProgressForm {
        status: super::text(i.status.map(|s| s.as_str())),
        on: i.on.map(polku_domain::dates::format_fi).unwrap_or_default(),
        reason: i.reason,
        version: i.version.to_string(),
    };
    Ok(Json(
        ruc::progress(&st, &actor, ReferralId(id), &f).await?.into(),
    ))
}

/// The person withdrew their consent: the receiver sees nothing shared from now on.
#[utoipa::path(post, path = "/referrals/{id}/withdraw-consent", params(("id" = i64, Path)), responses((status = 204), (status = 422)), security(("bearer" = [])))]
pub(super) async fn withdraw_consent(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    ruc::withdraw_consent(&st, &actor, ReferralId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Referrals sent and received by organisation and service over a period (this year by
/// default), and the leavers referred to other services.
#[utoipa::path(get, path = "/referrals/report", params(PeriodParams), responses((status = 200, body = ReferralReportOut), (status = 422)), security(("bearer" = [])))]
pub(super) async fn report(
    Api { st, actor }: Api,
    Query(q): Query<PeriodParams>,
) -> Result<Json<ReferralReportOut>, ApiError> {
    use chrono::Datelike;
    let today = st.clock.today();
    let from = q
        .from
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
    let r = ruc::report(&st, &actor, (from, q.to.unwrap_or(today))).await?;
    Ok(Json(ReferralReportOut {
        lines: r.lines.into_iter().map(Into::into).collect(),
        leavers: r.leavers,
        leavers_referred: r.leavers_referred,
    }))
}

#[derive(serde::Serialize, ToSchema)]
pub struct ReferralReportOut {
    pub lines: Vec<ReportLine>,
    pub leavers: i64,
    pub leavers_referred: i64,
}

api_object! {
    pub struct ReportLine from polku_reports::referrals::Line as l {
        sent: bool,
        other_org: String,
        service: Option<String>,
        total: i64,
        open: i64,
        accepted: i64,
        declined: i64,
        returned: i64,
        completed: i64,
        interrupted: i64,
        acceptance_permille: Option<i64>,
        completion_permille: Option<i64>,
        median_days_to_start: Option<i64>,
    }
}
