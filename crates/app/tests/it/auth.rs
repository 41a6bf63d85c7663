use crate::common::*;
use polku_domain::authz::Role;

db_test!(first_admin_via_setup_link, |app| async move {
    let token = polku::setup_token_if_needed(&app.db)
        .await
        .unwrap()
        .expect("no users yet, so a token");
    let path = format!("/setup/{token}");
    let csrf = app.csrf_of(&app.client, &path).await;
    // An invalid Y-tunnus and a short password are refused, in Finnish, and the typed values stay.
    let (status, html, _) = app
        .post(
            &path,
            &csrf,
            &[
                ("org_name", "Salon kaupunki"),
                ("business_id", "0139533-2"),
                ("name", "Pia Pääkäyttäjä"),
                ("email", "pia@salo.example"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Y-tunnuksen tarkistusnumero ei täsmää."),
        "{html}"
    );
    assert!(html.contains("Salasanassa on oltava vähintään 12 merkkiä."));
    assert!(
        html.contains("value=\"Salon kaupunki\""),
        "typed values are kept"
    );
    let (status, _, loc) = app
        .post(
            &path,
            &csrf,
            &[
                ("org_name", "Salon kaupunki"),
                ("business_id", "0139533-1"),
                ("name", "Pia Pääkäyttäjä"),
                ("email", "pia@salo.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!((status, loc.as_deref()), (303, Some("/")));
    let (status, html) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Tervetuloa, Pia Pääkäyttäjä"));
    // The link is one-time: it is gone once a user exists.
    let (status, _) = app.get(&path).await;
    assert_eq!(status, 404);
    assert!(polku::setup_token_if_needed(&app.db)
        .await
        .unwrap()
        .is_none());
});

db_test!(login_logout_and_sessions_in_database, |app| async move {
    let org = app.org("Org").await;
    app.user(org, "c@org.example", Role::Counsellor).await;
    let (status, _) = app.get("/participants").await;
    assert_eq!(status, 303, "anonymous users are sent to the login page");
    let csrf = app.csrf_of(&app.client, "/login").await;
    let (status, html, _) = app
        .post(
            "/login",
            &csrf,
            &[("email", "c@org.example"), ("password", "wrong password!!")],
        )
        .await;
    assert_eq!(status, 401);
    assert!(html.contains("Sähköposti tai salasana on väärin."));
    let csrf = app.login("c@org.example").await;
    let n: i64 = app.scalar("SELECT COUNT(*) FROM sessions").await;
    assert!(
        n >= 1,
        "sessions live in the database so app nodes stay stateless"
    );
    let (status, _) = app.get("/participants").await;
    assert_eq!(status, 200);
    let (status, _, loc) = app.post("/logout", &csrf, &[]).await;
    assert_eq!((status, loc.as_deref()), (303, Some("/login")));
    let (status, _) = app.get("/participants").await;
    assert_eq!(status, 303);
    let kinds: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(kinds.first().map(String::as_str), Some("login_failed"));
    assert!(kinds.contains(&"login".to_string()) && kinds.contains(&"logout".to_string()));
});

db_test!(csrf_token_is_required, |app| async move {
    let org = app.org("Org").await;
    app.user(org, "c@org.example", Role::Counsellor).await;
    app.login("c@org.example").await;
    let (status, html, _) = app
        .post("/participants", "not-the-token", &[("first_name", "x")])
        .await;
    assert_eq!(status, 403);
    assert!(
        html.contains("Lomake on vanhentunut"),
        "translated CSRF error"
    );
});

db_test!(
    login_is_rate_limited_with_translated_message,
    |app| async move {
        let csrf = app.csrf_of(&app.client, "/login").await;
        let mut last = 0;
        for _ in 0..12 {
            let r = app
                .client
                .post(app.url("/login"))
                .header("accept-language", "en")
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("email", "x@y.example"),
                    ("password", "nope"),
                ])
                .sent()
                .await;
            last = r.status().as_u16();
            if last == 429 {
                assert!(r
                    .text()
                    .await
                    .unwrap()
                    .contains("Too many attempts. Wait a moment and try again."));
                break;
            }
        }
        assert_eq!(last, 429, "the 11th rapid login attempt is throttled");
    }
);

db_test!(language_follows_cookie_and_header, |app| async move {
    let r = app
        .client
        .get(app.url("/login"))
        .header("accept-language", "sv-FI,sv;q=0.9")
        .sent()
        .await;
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"sv\">") && html.contains("Logga in"));
    let csrf = csrf_in(&html);
    let r = app
        .client
        .post(app.url("/lang"))
        .form(&[("csrf", csrf.as_str()), ("lang", "en"), ("back", "/login")])
        .sent()
        .await;
    assert_eq!(r.status(), 303);
    let html = app
        .client
        .get(app.url("/login"))
        .header("accept-language", "sv")
        .text_body()
        .await;
    assert!(
        html.contains("<html lang=\"en\">"),
        "the chosen language wins over the browser's"
    );
});

db_test!(audit_log_is_append_only, |app| async move {
    let org = app.org("Org").await;
    app.user(org, "c@org.example", Role::Counsellor).await;
    app.login("c@org.example").await;
    let upd = sqlx::query("UPDATE audit_log SET detail = 'x'")
        .execute(app.db.pool())
        .await;
    assert!(upd.is_err(), "update refused by the database");
    let del = sqlx::query("DELETE FROM audit_log")
        .execute(app.db.pool())
        .await;
    assert!(del.is_err(), "delete refused by the database");
});
