//! An organisation's webhooks: its receivers, a new one (its signing secret shown once), and
//! the delivery log.

use super::{form_errors, render, unprocessable};
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use polku_domain::webhook::WebhookEvent;
use polku_store::webhooks::{DeliveryRow, HookRow};
use polku_usecases::webhooks as uc;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/webhooks", get(page).post(create))
}

#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct Page {
    c: Chrome,
    hooks: Vec<HookRow>,
    log: Vec<DeliveryRow>,
    events: Vec<&'static str>,
    url: String,
    ticked: Vec<String>,
    secret: Option<String>,
}

impl Page {
    fn is_ticked(&self, e: &&str) -> bool {
        self.ticked.iter().any(|t| t == e)
    }
}

async fn show(
    st: &AppState,
    ctx: &Ctx,
    c: Chrome,
    url: String,
    ticked: Vec<String>,
    secret: Option<String>,
) -> Result<Page, AppError> {
    let (hooks, log) = uc::overview(st, &ctx.actor).await?;
    Ok(Page {
        c,
        hooks,
        log,
        events: WebhookEvent::ALL.iter().map(|e| e.as_str()).collect(),
        url,
        ticked,
        secret,
    })
}

async fn page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    render(&show(&st, &ctx, ctx.c.clone(), String::new(), vec![], None).await?)
}

/// The form posts `url` and `event=<name>` for each event ticked.
async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let url = fields
        .iter()
        .find(|(k, _)| k == "url")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let events: Vec<String> = fields
        .into_iter()
        .filter(|(k, _)| k == "event")
        .map(|(_, v)| v)
        .collect();
    match uc::create(&st, &ctx.actor, &url, &events).await {
        Ok((_, secret)) => {
            let mut c = ctx.c.clone();
            c.notice = Some(c.t("webhook-created"));
            render(&show(&st, &ctx, c, String::new(), vec![], Some(secret)).await?)
        }
        Err(e) => {
            let c = ctx.with_errors(form_errors(e)?);
            unprocessable(&show(&st, &ctx, c, url, events, None).await?)
        }
    }
}
