//! Strong identification for the job seeker's sign-in (issue 15): offered only where a
//! provider is configured; the round trip through a provider that checks the signed request
//! object, the client assertion and PKCE; an ID token taken only encrypted to Polku, signed by
//! the provider and carrying this sign-in's nonce; a return that is replayed, forged or names
//! nobody signs no one in.

use crate::common::*;
use crate::oidc_provider::{Answer, Provider};

const FAILED: &str = "Tunnistautuminen ei onnistunut";

/// Follows one redirect: the status and where it points.
async fn go(client: &reqwest::Client, url: &str) -> (u16, String, String) {
    let r = client.get(url).sent().await;
    let to = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status().as_u16(), to, r.text().await.unwrap())
}

/// A fresh browser through the provider and back: the answer of Polku's return page, and the
/// return address it was given.
async fn identify(node: &str) -> ((u16, String, String), String) {
    let client = TestApp::new_client();
    identify_with(&client, node).await
}

async fn identify_with(client: &reqwest::Client, node: &str) -> ((u16, String, String), String) {
    let (status, to_provider, _) = go(client, &format!("{node}/my/sign-in/strong")).await;
    assert_eq!(status, 303);
    let (status, back, body) = go(client, &to_provider).await;
    assert_eq!(status, 303, "the provider refused: {body}");
    (go(client, &back).await, back)
}

db_test!(
    a_job_seeker_signs_in_with_strong_identification,
    |app| async move {
        let (_, project, csrf) = app.voima_counsellor().await;
        let hetu = "131052-308T";
        let form = intake(project, hetu, "Berg");
        assert_eq!(
            app.post("/participants", &csrf, &borrow(&form)).await.0,
            303
        );

        // Not configured: not offered, and no such page.
        let plain = TestApp::new_client();
        let page = plain.get(app.url("/my/sign-in")).text_body().await;
        assert!(!page.contains("/my/sign-in/strong"), "{page}");
        assert_eq!(go(&plain, &app.url("/my/sign-in/strong")).await.0, 404);

        let (provider, node) = Provider::with_node(app, hetu).await;

        // Offered beside the code, and the way through the provider signs the person in.
        let client = TestApp::new_client();
        let page = client.get(format!("{node}/my/sign-in")).text_body().await;
        assert!(
            page.contains("href=\"/my/sign-in/strong\"")
                && page.contains("Tunnistaudu pankkitunnuksilla tai mobiilivarmenteella"),
            "{page}"
        );
        let ((status, to, _), back) = identify_with(&client, &node).await;
        assert_eq!((status, to.as_str()), (303, "/my"));
        assert_eq!(
            provider.checked(),
            ["request object", "client assertion", "pkce"]
        );
        let plan = client.get(format!("{node}/my")).text_body().await;
        assert!(plan.contains("Hei Maija!"), "{plan}");
        let logged: i64 = app
            .scalar(
                "SELECT COUNT(*) FROM audit_log WHERE detail = 'portal sign-in (strong identification)'",
            )
            .await;
        assert_eq!(logged, 1);

        // The same return again finds no sign-in to finish; a new browser neither.
        for c in [&client, &TestApp::new_client()] {
            let (status, _, html) = go(c, &back).await;
            assert_eq!(status, 422);
            assert!(
                html.contains(FAILED) && html.contains("id=\"e-strong\""),
                "{html}"
            );
        }

        // Another state than the one this browser was sent with.
        let c = TestApp::new_client();
        let (_, to_provider, _) = go(&c, &format!("{node}/my/sign-in/strong")).await;
        let (_, back, _) = go(&c, &to_provider).await;
        let forged = back.replace("state=", "state=x");
        let (status, _, html) = go(&c, &forged).await;
        assert!(status == 422 && html.contains(FAILED), "{html}");
        assert_eq!(go(&c, &format!("{node}/my")).await.1, "/my/sign-in");

        // The person cancelled at the provider.
        let c = TestApp::new_client();
        go(&c, &format!("{node}/my/sign-in/strong")).await;
        let cancelled = format!("{node}/my/sign-in/strong/done?error=access_denied&state=s");
        let (status, _, html) = go(&c, &cancelled).await;
        assert!(status == 422 && html.contains(FAILED), "{html}");

        // Tokens that fail a check sign no one in, whichever way they were sealed.
        for (answer, alg, enc) in [
            (Answer::ForeignSignature, "RSA-OAEP-256", "A256GCM"),
            (Answer::WrongNonce, "RSA-OAEP", "A128CBC-HS256"),
            (Answer::Unencrypted, "RSA-OAEP-256", "A256GCM"),
            (Answer::OtherAudience, "RSA-OAEP-256", "A256GCM"),
            (Answer::OtherIssuer, "RSA-OAEP-256", "A256GCM"),
            (Answer::Expired, "RSA-OAEP-256", "A256GCM"),
        ] {
            provider.set(|s| (s.answer, s.alg, s.enc) = (answer, alg, enc));
            let ((status, _, html), _) = identify(&node).await;
            assert!(status == 422 && html.contains(FAILED), "{answer:?}: {html}");
        }

        // The other sealing is taken too when the token is right.
        provider.set(|s| (s.answer, s.alg, s.enc) = (Answer::Right, "RSA-OAEP", "A128CBC-HS256"));
        let ((status, to, _), _) = identify(&node).await;
        assert_eq!((status, to.as_str()), (303, "/my"));

        // Identified, but no participation: told so, and asked to turn to the counsellor.
        provider.set(|s| s.hetu = "010101-123N".to_string());
        let ((status, _, html), _) = identify(&node).await;
        assert!(
            status == 422 && html.contains("emme löytäneet sinua Omasta Polusta"),
            "{html}"
        );
        let logged: i64 = app
            .scalar(
                "SELECT COUNT(*) FROM audit_log WHERE detail = 'portal sign-in (strong identification)'",
            )
            .await;
        assert_eq!(logged, 2);
    }
);
