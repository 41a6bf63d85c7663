//! Surveys: build, send, close, and read the results (small cells hidden as on the page).
//! Answering is for people — the job seeker's own channel and an employer's link.

use super::{Api, Created};
use crate::error::ApiError;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use polku_domain::ids::{OrgId, ProjectId, QuestionId, ServiceId, SurveyId};
use polku_domain::survey::{
    Audience, QuestionForm, QuestionKind, SendForm, SendTo, SurveyForm, SurveyStatus,
};
use polku_reports::surveys::{Line, QuestionResult, Rate};
use polku_store::surveys::SurveyRow;
use polku_usecases::surveys as uc;
use serde::Deserialize;
use utoipa::ToSchema;

api_object! {
    pub struct Survey from SurveyRow as r {
        id: SurveyId,
        org_id: OrgId,
        project_id: Option<ProjectId>,
        title: String,
        intro: Option<String>,
        /// Answers are kept without the name of whoever gave them.
        anonymous: bool,
        status: SurveyStatus,
        invited: i64,
        answered: i64,
    }
}

#[derive(serde::Serialize, ToSchema)]
pub struct Question {
    pub id: QuestionId,
    pub position: i64,
    pub kind: QuestionKind,
    pub text: String,
    pub options: Vec<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct SurveyDetail {
    pub survey: Survey,
    pub questions: Vec<Question>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct SurveyInput {
    pub title: String,
    pub intro: String,
    pub project_id: Option<ProjectId>,
    pub anonymous: bool,
}

/// Fields left out are refused as required by the same checks as the page's form.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct QuestionInput {
    pub kind: Option<QuestionKind>,
    pub text: String,
    /// A choice question's options (2–12); ignored for the others.
    pub options: Vec<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct SendInput {
    pub to: Option<SendTo>,
    /// With `to: project`.
    pub project_id: Option<ProjectId>,
    /// With `to: group`.
    pub service_id: Option<ServiceId>,
}

/// How many were asked now; those asked before are not asked again.
#[derive(serde::Serialize, ToSchema)]
pub struct Sent {
    pub participants: usize,
    pub employers: usize,
    pub participants_without_email: usize,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ResponseRate {
    pub audience: Audience,
    pub invited: i64,
    pub answered: i64,
    /// Answered of invited, per mille.
    pub permille: Option<i64>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct OptionCount {
    pub label: String,
    /// Hidden (null) under five, or when the others would give it away.
    pub count: Option<i64>,
    pub permille: Option<i64>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct QuestionResults {
    pub position: i64,
    pub text: String,
    pub kind: QuestionKind,
    /// How many answered it; null under five.
    pub answers: Option<i64>,
    pub options: Vec<OptionCount>,
    /// A scale's mean in tenths (37 = 3.7), from five answers up.
    pub mean_tenths: Option<i64>,
    /// Free answers, from five answers up.
    pub texts: Vec<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct SurveyResults {
    pub survey: Survey,
    pub rates: Vec<ResponseRate>,
    pub questions: Vec<QuestionResults>,
}

impl From<Rate> for ResponseRate {
    fn from(r: Rate) -> Self {
        ResponseRate {
            audience: r.audience,
            invited: r.invited,
            answered: r.answered,
            permille: r.permille,
        }
    }
}

impl From<Line> for OptionCount {
    fn from(l: Line) -> Self {
        OptionCount {
            label: l.label,
            count: l.count,
            permille: l.permille,
        }
    }
}

impl From<QuestionResult> for QuestionResults {
    fn from(q: QuestionResult) -> Self {
        QuestionResults {
            position: q.position,
            text: q.text,
            kind: q.kind,
            answers: q.answers,
            options: q.lines.into_iter().map(Into::into).collect(),
            mean_tenths: q.mean_tenths,
            texts: q.texts,
        }
    }
}

#[utoipa::path(get, path = "/surveys", responses((status = 200, body = Vec<Survey>)), security(("bearer" = [])))]
pub(super) async fn list(Api { st, actor }: Api) -> Result<Json<Vec<Survey>>, ApiError> {
    let rows = uc::list(&st, &actor).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/surveys", request_body = SurveyInput, responses((status = 201, body = Created), (status = 422)), security(("bearer" = [])))]
pub(super) async fn create(
    Api { st, actor }: Api,
    Json(i): Json<SurveyInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = SurveyForm {
        title: i.title,
        intro: i.intro,
        project_id: super::text(i.project_id),
        anonymous: i.anonymous.then(|| "on".to_string()),
    };
    let id = uc::create(&st, &actor, &f).await?;
    Ok(Created::new(id.0))
}

#[utoipa::path(get, path = "/surveys/{id}", params(("id" = i64, Path)), responses((status = 200, body = SurveyDetail), (status = 404)), security(("bearer" = [])))]
pub(super) async fn get(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<SurveyDetail>, ApiError> {
    let v = uc::show(&st, &actor, SurveyId(id)).await?;
    Ok(Json(SurveyDetail {
        survey: v.s.into(),
        questions: v
            .questions
            .into_iter()
            .map(|q| Question {
                id: q.id,
                position: q.position,
                kind: q.kind,
                text: q.text,
                options: q.options,
            })
            .collect(),
    }))
}

#[utoipa::path(post, path = "/surveys/{id}/questions", params(("id" = i64, Path)), request_body = QuestionInput, responses((status = 201, body = Created), (status = 422)), security(("bearer" = [])))]
pub(super) async fn add_question(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<QuestionInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let f = QuestionForm {
        kind: super::text(i.kind.map(|k| k.as_str())),
        text: i.text,
        options: i.options.join("\n"),
    };
    let q = uc::add_question(&st, &actor, SurveyId(id), &f).await?;
    Ok(Created::new(q.0))
}

#[utoipa::path(delete, path = "/surveys/{id}/questions/{question}", params(("id" = i64, Path), ("question" = i64, Path)), responses((status = 204), (status = 404), (status = 422)), security(("bearer" = [])))]
pub(super) async fn remove_question(
    Api { st, actor }: Api,
    Path((id, question)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    uc::remove_question(&st, &actor, SurveyId(id), QuestionId(question)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/surveys/{id}/send", params(("id" = i64, Path)), request_body = SendInput, responses((status = 200, body = Sent), (status = 422)), security(("bearer" = [])))]
pub(super) async fn send(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
    Json(i): Json<SendInput>,
) -> Result<Json<Sent>, ApiError> {
    let f = SendForm {
        to: super::text(i.to.map(|t| t.as_str())),
        project_id: super::text(i.project_id),
        service_id: super::text(i.service_id),
    };
    let lang = crate::i18n::Lang::Fi;
    let text = move |to: Audience, link: &str| {
        let body = lang.t_args(
            &format!("survey-mail-{}", to.as_str()),
            &[("link", link.to_string())],
        );
        (lang.t("survey-mail-subject"), body)
    };
    let sent = uc::send(&st, &actor, SurveyId(id), &f, &st.config.public_url, &text).await?;
    st.mail_waiting.notify_one();
    Ok(Json(Sent {
        participants: sent.participants,
        employers: sent.employers,
        participants_without_email: sent.without_email,
    }))
}

#[utoipa::path(post, path = "/surveys/{id}/close", params(("id" = i64, Path)), responses((status = 204), (status = 404), (status = 422)), security(("bearer" = [])))]
pub(super) async fn close(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    uc::close(&st, &actor, SurveyId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/surveys/{id}/results", params(("id" = i64, Path)), responses((status = 200, body = SurveyResults), (status = 404)), security(("bearer" = [])))]
pub(super) async fn results(
    Api { st, actor }: Api,
    Path(id): Path<i64>,
) -> Result<Json<SurveyResults>, ApiError> {
    let v = uc::results(&st, &actor, SurveyId(id)).await?;
    Ok(Json(SurveyResults {
        survey: v.s.into(),
        rates: v.results.rates.into_iter().map(Into::into).collect(),
        questions: v.results.questions.into_iter().map(Into::into).collect(),
    }))
}
