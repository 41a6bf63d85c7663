//! Sends the queued webhook deliveries. Every node runs [`run`]; a delivery is claimed with one
//! conditional update before it is sent, so each goes out from one node at a time. A receiver
//! that answers 2xx has it; anything else is retried with backoff, and given up after
//! `MAX_ATTEMPTS`.

use chrono::Duration;
use polku_domain::webhook::{backoff_seconds, MAX_ATTEMPTS};
use polku_store::webhooks::{self as repo, Claimed, Outcome};
use polku_usecases::Polku;

/// How long a claim holds: longer than a send may take (its timeout), so no other node sends
/// the same delivery meanwhile.
const CLAIM_SECONDS: i64 = 60;
const TIMEOUT_SECONDS: u64 = 20;

pub fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(TIMEOUT_SECONDS))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Polku-Webhooks/1")
        .build()?)
}

/// Sends what is due now; returns how many deliveries were attempted.
pub async fn deliver_due(app: &Polku, http: &reqwest::Client) -> anyhow::Result<usize> {
    let now = app.clock.now();
    let due = repo::due(&mut *app.db.acquire().await?, now, 50).await?;
    let mut sent = 0;
    for id in due {
        let until = now + Duration::seconds(CLAIM_SECONDS);
        let claimed =
            repo::claim(&mut *app.db.acquire().await?, id, now, until, &app.cipher).await?;
        let Some(d) = claimed else { continue };
        let result = match send(http, &d, now.timestamp()).await {
            Ok(code) if (200..300).contains(&code) => Ok(code),
            Ok(code) => Err((Some(code), format!("HTTP {code}"))),
            Err(e) => Err((None, e)),
        };
        let now = app.clock.now();
        let outcome = match &result {
            Ok(code) => Outcome::Delivered(*code),
            Err((status, error)) => {
                tracing::warn!(delivery = d.id, attempts = d.attempts, %error, "webhook not delivered");
                let (status, error) = (*status, error.as_str());
                if d.attempts >= MAX_ATTEMPTS {
                    Outcome::GiveUp { status, error }
                } else {
                    let at = now + Duration::seconds(backoff_seconds(d.attempts));
                    Outcome::Retry { status, error, at }
                }
            }
        };
        repo::record(&mut *app.db.acquire().await?, d.id, outcome, now).await?;
        sent += 1;
    }
    Ok(sent)
}

/// One attempt: the payload as JSON, signed; the receiver's status, or why there was none.
async fn send(http: &reqwest::Client, d: &Claimed, unix: i64) -> Result<u16, String> {
    let signature = repo::sign(&d.secret, unix, &d.payload).map_err(|e| e.to_string())?;
    let r = http
        .post(&d.url)
        .header("content-type", "application/json")
        .header("polku-event", &d.event)
        .header("polku-delivery", d.id.to_string())
        .header("polku-signature", format!("t={unix},v1={signature}"))
        .body(d.payload.clone())
        .send()
        .await
        .map_err(|e| format!("{}", e.without_url()))?;
    Ok(r.status().as_u16())
}

/// Sends due deliveries every few seconds until the process ends.
pub async fn run(app: Polku) {
    let http = match client() {
        Ok(c) => c,
        Err(e) => return tracing::error!(error = %e, "webhook client"),
    };
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tick.tick().await;
        if let Err(e) = deliver_due(&app, &http).await {
            tracing::warn!(error = %e, "webhook deliveries");
        }
    }
}
