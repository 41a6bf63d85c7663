//! Sends the outbox. E-mail (invitations, notices, sign-in codes) over SMTP: `POLKU_SMTP_URL`,
//! e.g. `smtp://relay.internal:25`, `smtp://user:pass@mail.example:587?tls=required`
//! (STARTTLS) or `smtps://mail.example:465`, from `POLKU_MAIL_FROM`. Text messages (sign-in
//! codes to a mobile number) through an HTTP gateway, `POLKU_SMS_URL`: a POST of
//! `{"to": "+358…", "text": "…"}` as JSON, with `Authorization: Bearer POLKU_SMS_TOKEN` when set;
//! any 2xx answer is delivery. Each message is claimed before it is sent, so several nodes
//! never send one twice.

use chrono::Duration;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use polku_domain::clock::Clock;
use polku_store::{outbox, Db};

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        Ok(Mailer {
            transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build(),
            from: from.parse()?,
        })
    }
}

/// An HTTP gateway that sends text messages.
pub struct SmsGateway {
    http: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl std::fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmsGateway {{ token: <redacted> }}")
    }
}

impl SmsGateway {
    pub fn new(url: &str, token: Option<String>) -> anyhow::Result<SmsGateway> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(SmsGateway {
            http,
            url: url.to_string(),
            token,
        })
    }

    async fn send(&self, m: &outbox::Message) -> Result<(), Failure> {
        let body = serde_json::json!({ "to": m.recipient, "text": m.body }).to_string();
        let mut req = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let r = req
            .send()
            .await
            .map_err(|e| Failure::Retry(e.without_url().to_string()))?;
        let status = r.status();
        let answered = format!("gateway answered {}", status.as_u16());
        match status.as_u16() {
            _ if status.is_success() => Ok(()),
            // A refusal of this message (a number it does not take) stays a refusal; being
            // busy, slow or broken passes.
            408 | 429 => Err(Failure::Retry(answered)),
            400..=499 => Err(Failure::GiveUp(answered)),
            _ => Err(Failure::Retry(answered)),
        }
    }
}

/// Why a message did not go.
enum Failure {
    /// Maybe next time (the server or gateway was away, busy or broken).
    Retry(String),
    /// Never: the address is no address, or the server refused this message for good.
    GiveUp(String),
}

/// Sends every waiting e-mail; returns how many were sent. A send that failed for now is
/// logged and tried again in the next round; one that can never go is given up.
pub async fn deliver_pending(db: &Db, mailer: &Mailer, clock: &dyn Clock) -> anyhow::Result<usize> {
    deliver(db, clock, "email", |m| async move {
        let to = m
            .recipient
            .parse()
            .map_err(|_| Failure::GiveUp("not an e-mail address".into()))?;
        let message = Message::builder()
            .from(mailer.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .body(m.body.clone())
            .map_err(|e| Failure::GiveUp(e.to_string()))?;
        mailer
            .transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| {
                match (e.is_permanent(), e.status()) {
                    // The server's words may repeat the address: only its code is kept.
                    (true, Some(code)) => {
                        Failure::GiveUp(format!("refused by the mail server ({code})"))
                    }
                    _ => Failure::Retry(e.to_string()),
                }
            })
    })
    .await
}

/// Sends every waiting text message through the gateway; as [`deliver_pending`].
pub async fn deliver_sms(
    db: &Db,
    gateway: &SmsGateway,
    clock: &dyn Clock,
) -> anyhow::Result<usize> {
    deliver(db, clock, "sms", |m| async move { gateway.send(&m).await }).await
}

async fn deliver<F, Fut>(
    db: &Db,
    clock: &dyn Clock,
    channel: &str,
    send: F,
) -> anyhow::Result<usize>
where
    F: Fn(outbox::Message) -> Fut,
    Fut: std::future::Future<Output = Result<(), Failure>>,
{
    let pending = outbox::pending(&mut *db.acquire().await?, Some(channel)).await?;
    let mut sent = 0;
    for m in pending {
        let now = clock.now();
        let mut conn = db.acquire().await?;
        if !outbox::claim(&mut conn, m.id, now, now - Duration::minutes(10)).await? {
            continue;
        }
        let id = m.id;
        match send(m).await {
            Ok(()) => {
                outbox::mark_sent(&mut conn, id, clock.now()).await?;
                sent += 1;
            }
            Err(Failure::Retry(e)) => {
                tracing::warn!(message = id, channel, error = %e, "not sent; trying again later");
                outbox::release(&mut conn, id).await?;
            }
            Err(Failure::GiveUp(e)) => {
                tracing::error!(message = id, channel, error = %e, "cannot be sent: given up");
                outbox::give_up(&mut conn, id, clock.now(), &e).await?;
            }
        }
    }
    Ok(sent)
}
