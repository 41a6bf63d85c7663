//! The outbox's deliveries: a message that can never go (no address, a mailbox the server
//! refuses for good, a number the gateway refuses) is given up with the reason and not tried
//! again every round for ever; a server that is only away gets its mail later.

use crate::common::*;
use polku::mail::{deliver_pending, deliver_sms, Mailer, SmsGateway};
use polku_domain::clock::Clock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A text-message gateway that refuses every message as a bad request: its address, and how
/// many it was asked to send.
async fn refusing_gateway() -> (String, Arc<AtomicUsize>) {
    let asked = Arc::new(AtomicUsize::new(0));
    let count = asked.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(move || {
            count.fetch_add(1, Ordering::SeqCst);
            async { axum::http::StatusCode::BAD_REQUEST }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/sms"), asked)
}

db_test!(a_message_that_can_never_go_is_given_up, |app| async move {
    let now = app.clock.now();
    let mut conn = app.db.acquire().await.unwrap();
    for to in [
        "not an address",
        "refused@mail.example",
        "maija@mail.example",
    ] {
        polku_store::outbox::queue(&mut conn, to, "Aihe", "Viesti", now)
            .await
            .unwrap();
    }
    let mobile = polku_domain::validated::Mobile::parse("040 123 4567").unwrap();
    polku_store::outbox::queue_sms(&mut conn, &mobile, "Koodi", now)
        .await
        .unwrap();
    drop(conn);
    let given_up = || async {
        sqlx::query_as::<_, (String, String)>(
            "SELECT recipient, failure FROM outbox WHERE failed_at IS NOT NULL ORDER BY id",
        )
        .fetch_all(app.db.pool())
        .await
        .unwrap()
    };

    // No mail server answers: nothing goes, nothing is given up but what has no address.
    let away = Mailer::new("smtp://127.0.0.1:9", "Polku <polku@test.example>").unwrap();
    assert_eq!(
        deliver_pending(&app.db, &away, &app.clock).await.unwrap(),
        0
    );
    let failed = given_up().await;
    assert_eq!(failed.len(), 1, "{failed:?}");

    // The server is back: the good address gets its mail, the refused one is given up; the
    // gateway refuses the number. A second round tries none of them again.
    let (port, inbox) = smtp_sink().await;
    let mailer = Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Polku <polku@test.example>",
    )
    .unwrap();
    let (url, asked) = refusing_gateway().await;
    let gateway = SmsGateway::new(&url, None).unwrap();
    for expected in [1, 0] {
        let sent = deliver_pending(&app.db, &mailer, &app.clock).await.unwrap();
        assert_eq!(sent, expected);
        assert_eq!(deliver_sms(&app.db, &gateway, &app.clock).await.unwrap(), 0);
    }
    assert_eq!(inbox.lock().unwrap().len(), 1);
    assert_eq!(
        asked.load(Ordering::SeqCst),
        1,
        "the gateway was asked once"
    );
    let failed = given_up().await;
    let failed: Vec<(&str, &str)> = failed
        .iter()
        .map(|(r, f)| (r.as_str(), f.as_str()))
        .collect();
    assert_eq!(
        failed,
        [
            ("not an address", "not an e-mail address"),
            ("refused@mail.example", "refused by the mail server (550)"),
            ("+358401234567", "gateway answered 400"),
        ]
    );
    let waiting: i64 = app
        .scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
        .await;
    assert_eq!(waiting, 0);
});
