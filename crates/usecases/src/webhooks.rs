//! Outbound webhooks: an organisation's admin registers receivers; use cases queue events in
//! their own transaction ([`notify`]); a worker on any node sends them (`polku` app).

use crate::{Error, Polku, Result};
use chrono::{DateTime, Utc};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::OrgId;
use polku_domain::webhook::{receiver_url, WebhookEvent};
use polku_domain::ErrorCode;
use polku_store::audit::{Audit, Entity};
use polku_store::webhooks::{self as repo, DeliveryRow, HookRow};
use polku_store::Conn;
use rand::RngCore;

/// Queues `event` about `id` for the organisation's receivers, in the caller's transaction, to
/// be sent from `deliver_at` on. The payload holds ids only.
pub async fn notify(
    conn: &mut Conn,
    org: OrgId,
    event: WebhookEvent,
    data: serde_json::Value,
    now: DateTime<Utc>,
    deliver_at: DateTime<Utc>,
) -> Result<()> {
    let payload = serde_json::json!({
        "event": event.as_str(),
        "occurred_at": polku_store::ts(now),
        "data": data,
    });
    repo::enqueue(conn, org, event, &payload, deliver_at, now).await?;
    Ok(())
}

/// Registers a receiver for `events`; returns its id and the signing secret, shown once.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn create(
    app: &Polku,
    actor: &Actor,
    url: &str,
    events: &[String],
) -> Result<(i64, String)> {
    authorize(actor, Action::ManageUsers, Some(actor.org))?;
    let url = receiver_url(url).map_err(|c| Error::field("url", c))?;
    let events = events
        .iter()
        .map(|e| WebhookEvent::parse(e))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|c| Error::field("events", c))?;
    if events.is_empty() {
        return Err(Error::field("events", ErrorCode::Required));
    }
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let secret = format!("whsec_{}", hex::encode(raw));
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let id = repo::create(&mut tx, actor.org, &url, &secret, &events, &app.cipher, now).await?;
    Audit::by(actor, now)
        .create(
            &mut tx,
            Entity::Organisation(actor.org.0),
            &format!("webhook {id}"),
        )
        .await?;
    tx.commit().await?;
    Ok((id, secret))
}

/// The organisation's receivers and their latest deliveries.
pub async fn overview(app: &Polku, actor: &Actor) -> Result<(Vec<HookRow>, Vec<DeliveryRow>)> {
    authorize(actor, Action::ManageUsers, Some(actor.org))?;
    let mut conn = app.db.acquire().await?;
    let hooks = repo::list(&mut conn, actor.org).await?;
    let log = repo::deliveries(&mut conn, actor.org, 100).await?;
    Ok((hooks, log))
}
