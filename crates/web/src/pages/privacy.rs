//! The data subject's rights on a person's page: everything held about them (right of access),
//! and erasure that keeps the anonymous ESF+ record. Pages and the API call the same functions.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::authz::Actor;
use polku_domain::ids::ParticipantId;
use polku_domain::{DomainError, ErrorCode};
use polku_usecases::participants::{self as uc, Access};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/participants/{id}/data", get(access_page))
        .route("/participants/{id}/erase", post(erase_page))
}

/// Right of access as one JSON document.
pub async fn access_export(
    st: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<serde_json::Value, AppError> {
    Ok(access_json(
        &uc::access(st, actor, ParticipantId(id)).await?,
    ))
}

/// Everything gathered for the right of access as one JSON document (the staff's export and
/// the person's own download alike).
pub fn access_json(a: &Access) -> serde_json::Value {
    let Access { d, log } = a;
    serde_json::json!({
        "participant": d.p,
        "hetu": (!d.hetu.is_empty()).then_some(&d.hetu),
        "special_categories": d.special,
        "target_group": d.group,
        "consents": d.consents,
        "goals": d.goals,
        "steps": d.steps,
        "notes": d.notes,
        "services": d.services,
        "guidance_contacts": d.contacts,
        "dropin_visits": d.visits,
        "follow_up": d.follow_up,
        "referred_by": d.referred_by,
        "referrals": d.referrals,
        "messages": d.messages,
        "message_files": d.attachments,
        "data_requests": d.requests,
        "audit_log": log,
    })
}

/// Right of access as a PDF in the reader's language, for handing to the person.
pub fn access_pdf(
    a: &Access,
    c: &crate::ctx::Chrome,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, AppError> {
    use polku_reports::{Cell, Table};
    let d = &a.d;
    let p = &d.p;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let table = |title: &str, headers: &[&str], rows: Vec<Vec<Cell>>| Table {
        title: c.t(title),
        headers: headers.iter().map(|h| c.t(h)).collect(),
        rows,
    };
    let events = crate::pages::participants::timeline_of(d, c)
        .into_iter()
        .map(|e| vec![c.date(e.date).into(), c.t(e.kind).into(), e.text.into()])
        .collect();
    let log = a.log.iter().map(|r| {
        let entity = format!("{} {}", r.entity, r.entity_id.unwrap_or_default());
        vec![
            c.instant(r.at).into(),
            r.user_name.clone().into(),
            r.action.as_str().into(),
            entity.into(),
            r.detail.as_str().into(),
        ]
    });
    let tables = vec![
        table(
            "timeline",
            &["field-date", "field-kind", "audit-detail"],
            events,
        ),
        table(
            "nav-audit",
            &[
                "audit-at",
                "audit-user",
                "audit-action",
                "audit-entity",
                "audit-detail",
            ],
            log.collect(),
        ),
    ];
    let doc = polku_reports::pdf::Doc {
        lang: c.lang_code().to_string(),
        title: format!(
            "{}: {} {}",
            c.t("privacy-access-title"),
            p.first_name,
            p.last_name
        ),
        subtitle: p.project_code.clone(),
        facts: [
            (c.label("hetu"), d.hetu.clone()),
            (c.label("birth_date"), c.date(p.birth_date)),
            (
                c.label("municipality"),
                crate::pages::projects::municipality_names(&p.municipality, c.lang_code()),
            ),
            (c.label("email"), opt(&p.email)),
            (c.label("phone"), opt(&p.phone)),
            (c.label("entry_date"), c.date(p.entry_date)),
            (c.label("exit_date"), c.opt_date(&p.exit_date)),
        ]
        .into_iter()
        .chain(
            crate::pages::participants::special_answers(&d.special)
                .into_iter()
                .map(|(field, answer)| (c.label(field), c.choice("sensitive", answer))),
        )
        .collect(),
        tables,
        notes: vec![c.t("privacy-access-note")],
    };
    polku_reports::pdf::pdf(&doc, today).map_err(|e| AppError::Internal(e.to_string()))
}

crate::form!(struct FormatQuery { format });

async fn access_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<FormatQuery>,
) -> Result<Response, AppError> {
    let (bytes, mime, ext) = match q.format.as_str() {
        "" | "json" => {
            let data = access_export(&st, &ctx.actor, id).await?;
            let json =
                serde_json::to_vec_pretty(&data).map_err(|e| AppError::Internal(e.to_string()))?;
            (json, "application/json", "json")
        }
        "pdf" => {
            let a = uc::access(&st, &ctx.actor, ParticipantId(id)).await?;
            (
                access_pdf(&a, &ctx.c, st.clock.today())?,
                "application/pdf",
                "pdf",
            )
        }
        _ => return Err(DomainError::field("format", ErrorCode::ChoiceInvalid).into()),
    };
    let disposition = format!("attachment; filename=\"participant-{id}.{ext}\"");
    Ok(crate::export::download(mime, disposition, bytes))
}

crate::form!(struct EraseForm { reason, confirm });

async fn erase_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<EraseForm>,
) -> Result<Response, AppError> {
    let confirmed = f.confirm == "yes";
    uc::erase(&st, &ctx.actor, ParticipantId(id), &f.reason, confirmed).await?;
    Ok(Redirect::to("/participants?erased=1").into_response())
}
