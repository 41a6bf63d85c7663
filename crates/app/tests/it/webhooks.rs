//! Outbound webhooks: signed, retried with backoff from the database, delivered exactly once.

use crate::common::*;
use axum::routing::post;
use polku_domain::authz::Role;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// A receiver that fails its first `fail` requests with 500, then answers 200; it keeps every
/// request's headers and body.
pub(crate) async fn receiver(
    fail: usize,
) -> (String, Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>>) {
    let seen: Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let log = log.clone();
            async move {
                let mut l = log.lock().unwrap();
                l.push((headers, body));
                if l.len() <= fail {
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    axum::http::StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), seen)
}

db_test!(
    a_receiver_that_fails_twice_gets_the_event_on_the_third_try_once,
    |app| async move {
        let org = app.org("Salo").await;
        app.user(org, "admin@salo.example", Role::Admin).await;
        let project = app.project(org, "PA1").await;
        let csrf = app.login("admin@salo.example").await;
        let (url, seen) = receiver(2).await;

        // A bad address is refused in place, with what was typed kept.
        let (status, html, _) = app
            .post(
                "/admin/webhooks",
                &csrf,
                &[
                    ("url", "http://hooks.example/x"),
                    ("event", "participant.entered"),
                ],
            )
            .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("http://hooks.example/x"),
            "the typed address is kept"
        );
        let (status, html, _) = app
            .post(
                "/admin/webhooks",
                &csrf,
                &[
                    ("url", url.as_str()),
                    ("event", "participant.entered"),
                    ("event", "participant.exited"),
                ],
            )
            .await;
        assert_eq!(status, 200);
        let secret = regex::Regex::new(r#"<code id="webhook-secret">(whsec_[0-9a-f]+)</code>"#)
            .unwrap()
            .captures(&html)
            .expect("the secret, shown once")[1]
            .to_string();

        let token = app.api_token(&app.client, &csrf, "t").await;
        let intake = intake_json(project, "131052-308T");
        let id = app.api_create(&token, "/api/v1/participants", intake).await;

        let core = app.core();
        let http = polku::webhooks::client().unwrap();
        let deliver = || polku::webhooks::deliver_due(&core, &http);
        assert_eq!(deliver().await.unwrap(), 1, "first try");
        assert_eq!(deliver().await.unwrap(), 0, "not again before the backoff");
        app.clock
            .set(app.clock_now() + chrono::Duration::seconds(31));
        assert_eq!(deliver().await.unwrap(), 1, "second try after 30 s");
        app.clock
            .set(app.clock_now() + chrono::Duration::seconds(31));
        assert_eq!(deliver().await.unwrap(), 0, "the backoff doubled");
        app.clock
            .set(app.clock_now() + chrono::Duration::seconds(31));
        assert_eq!(deliver().await.unwrap(), 1, "third try after 60 s");
        app.clock.set(app.clock_now() + chrono::Duration::days(2));
        assert_eq!(deliver().await.unwrap(), 0, "delivered: never sent again");

        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 3, "three tries, the last one answered 200");
        let (headers, body) = &seen[2];
        let payload: Value = serde_json::from_str(body).unwrap();
        assert_eq!(
            (
                payload["event"].as_str(),
                payload["data"]["participant_id"].as_i64()
            ),
            (Some("participant.entered"), Some(id))
        );
        assert!(
            !body.contains("Koskinen") && !body.contains("131052"),
            "ids only: {body}"
        );
        assert!(
            seen.iter().all(|(_, b)| b == body),
            "the same event each time"
        );
        // The receiver can check it came from Polku.
        let sig = headers["polku-signature"].to_str().unwrap();
        let (t, v1) = sig.trim_start_matches("t=").split_once(",v1=").unwrap();
        assert_eq!(
            polku_store::webhooks::sign(&secret, t.parse().unwrap(), body).unwrap(),
            v1
        );
        assert_ne!(
            polku_store::webhooks::sign("whsec_other", t.parse().unwrap(), body).unwrap(),
            v1
        );
        assert_eq!(headers["polku-event"], "participant.entered");

        // The delivery log shows it delivered after three attempts.
        let log = app.client.get(app.url("/admin/webhooks")).text_body().await;
        assert!(log.contains(r#"data-status="delivered""#), "{log}");
        let (attempts, status): (i64, String) =
            sqlx::query_as("SELECT attempts, status FROM webhook_deliveries")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!((attempts, status.as_str()), (3, "delivered"));
    }
);

db_test!(two_nodes_never_send_one_delivery_twice, |app| async move {
    let org = app.org("Salo").await;
    app.user(org, "admin@salo.example", Role::Admin).await;
    let project = app.project(org, "PA1").await;
    let csrf = app.login("admin@salo.example").await;
    let (url, seen) = receiver(0).await;
    app.post(
        "/admin/webhooks",
        &csrf,
        &[("url", url.as_str()), ("event", "participant.entered")],
    )
    .await;
    for (n, hetu) in ["131052-308T", "010594Y9032", "010101-123N"]
        .iter()
        .enumerate()
    {
        let (status, _, _) = app
            .post(
                "/participants",
                &csrf,
                &borrow(&intake(project, hetu, &format!("Nimi{n}"))),
            )
            .await;
        assert_eq!(status, 303);
    }
    let core = app.core();
    let (a, b) = (
        polku::webhooks::client().unwrap(),
        polku::webhooks::client().unwrap(),
    );
    let (x, y) = tokio::join!(
        polku::webhooks::deliver_due(&core, &a),
        polku::webhooks::deliver_due(&core, &b)
    );
    assert_eq!(
        x.unwrap() + y.unwrap(),
        3,
        "each delivery sent by one of the two"
    );
    assert_eq!(seen.lock().unwrap().len(), 3);
});
