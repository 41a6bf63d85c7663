//! Sends the outbox (invitations with their one-time links) over SMTP: `POLKU_SMTP_URL`, e.g.
//! `smtp://relay.internal:25`, `smtp://user:pass@mail.example:587?tls=required` (STARTTLS) or
//! `smtps://mail.example:465`, from `POLKU_MAIL_FROM`. Each message is claimed before it is sent,
//! so several nodes never send one twice.

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

/// Sends every waiting message; returns how many were sent. A failed send is logged and tried
/// again in the next round.
pub async fn deliver_pending(db: &Db, mailer: &Mailer, clock: &dyn Clock) -> anyhow::Result<usize> {
    let pending = outbox::pending(&mut *db.acquire().await?).await?;
    let mut sent = 0;
    for m in pending {
        let now = clock.now();
        let mut conn = db.acquire().await?;
        if !outbox::claim(&mut conn, m.id, now, now - Duration::minutes(10)).await? {
            continue;
        }
        let message = Message::builder()
            .from(mailer.from.clone())
            .to(m.recipient.parse()?)
            .subject(m.subject.clone())
            .body(m.body.clone())?;
        match mailer.transport.send(message).await {
            Ok(_) => {
                outbox::mark_sent(&mut conn, m.id, clock.now()).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(message = m.id, error = %e, "mail not sent; trying again later");
                outbox::release(&mut conn, m.id).await?;
            }
        }
    }
    Ok(sent)
}
