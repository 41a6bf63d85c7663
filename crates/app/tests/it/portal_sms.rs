//! The job seeker's sign-in code by text message (issue 15): taken only where a gateway is
//! configured, sent through it as JSON with its token, retried when it fails, and good for
//! signing in whichever way the number was written.

use crate::common::*;
use crate::portal::visitor;
use crate::webhooks::receiver;

db_test!(
    a_job_seeker_signs_in_with_a_code_by_text_message,
    |app| async move {
        let (_, project, csrf) = app.voima_counsellor().await;
        let mut form = intake(project, "131052-308T", "Berg");
        form.push(("phone", "040 123 4567".into()));
        assert_eq!(
            app.post("/participants", &csrf, &borrow(&form)).await.0,
            303
        );

        // Without a gateway a number is no address: refused in place, what was typed kept.
        let v = visitor(app).await;
        let (status, html, _) = post_as(app, &v, "/my/sign-in", &[("email", "040 123 4567")]).await;
        assert_eq!(status, 422);
        assert!(
            html.contains("id=\"e-email\"") && html.contains("value=\"040 123 4567\""),
            "{html}"
        );

        // A node with a gateway asks for either, and takes the number however it is written.
        let node = app
            .node_with(polku_web::Config {
                sms: true,
                ..Default::default()
            })
            .await;
        let client = TestApp::new_client();
        let page = client.get(format!("{node}/my/sign-in")).text_body().await;
        assert!(
            page.contains("Sähköpostiosoite tai matkapuhelinnumero"),
            "{page}"
        );
        let token = csrf_in(&page);
        let post = |path: &'static str, field: &'static str, value: String| {
            let (client, token, node) = (client.clone(), token.clone(), node.clone());
            async move {
                let form = [("csrf", token.as_str()), (field, value.as_str())];
                let r = client
                    .post(format!("{node}{path}"))
                    .form(&form)
                    .sent()
                    .await;
                let to = r
                    .headers()
                    .get("location")
                    .map(|l| l.to_str().unwrap().to_string());
                (r.status().as_u16(), to, r.text().await.unwrap())
            }
        };
        let (status, _, html) = post("/my/sign-in", "email", "040 12".into()).await;
        assert_eq!(status, 422);
        assert!(
            html.contains("matkapuhelinnumero (esim. 040 123 4567)"),
            "{html}"
        );
        let (status, to, _) = post("/my/sign-in", "email", "+358 40 123 4567".into()).await;
        assert_eq!((status, to.as_deref()), (303, Some("/my/code")));
        let queued: (String, String) =
            sqlx::query_as("SELECT recipient, channel FROM outbox ORDER BY id DESC LIMIT 1")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(queued, ("+358401234567".to_string(), "sms".to_string()));

        // The gateway fails once: the message waits and goes in the next round, once.
        let (url, seen) = receiver(1).await;
        let gateway = polku::mail::SmsGateway::new(&url, Some("s3cret".into())).unwrap();
        for expected in [0, 1, 0] {
            let sent = polku::mail::deliver_sms(&app.db, &gateway, &app.clock)
                .await
                .unwrap();
            assert_eq!(sent, expected);
        }
        let (headers, body) = seen.lock().unwrap().last().cloned().unwrap();
        assert_eq!(headers["authorization"], "Bearer s3cret");
        let sms: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(sms["to"], "+358401234567");
        let text = sms["text"].as_str().unwrap();
        let code = regex::Regex::new(r"\b\d{6}\b")
            .unwrap()
            .find(text)
            .unwrap()
            .as_str()
            .to_string();
        // No e-mail went anywhere; the code signs her in.
        let mails: i64 = app
            .scalar("SELECT COUNT(*) FROM outbox WHERE channel = 'email'")
            .await;
        assert_eq!(mails, 0);
        let (status, to, _) = post("/my/code", "code", code).await;
        assert_eq!((status, to.as_deref()), (303, Some("/my")));
        let page = client.get(format!("{node}/my")).text_body().await;
        assert!(page.contains("Maija"), "{page}");
    }
);
