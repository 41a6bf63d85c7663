//! Regression tests for the findings of the security review (issue 9), one per defect.

use crate::common::*;
use polku_domain::authz::Role;
use serde_json::{json, Value};

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.scalar(sql).await
}

/// The one-time link in the newest message of the outbox (the invitee's mailbox).
async fn link_in_outbox(app: &TestApp, to: &str) -> String {
    let body: String = app
        .scalar_for(
            "SELECT body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
            to,
        )
        .await;
    let re = regex::Regex::new(r"http://[^/\s]+(/password/[0-9a-f]+)").unwrap();
    re.captures(&body).unwrap()[1].to_string()
}

// Defect 1: an admin created a user in another organisation with a password of their choosing.
db_test!(admin_cannot_reach_another_organisation, |app| async move {
    let a = app.org("Salo").await;
    let b = app.org("Lohja").await;
    app.user(a, "admin@salo.example", Role::Admin).await;
    app.user(b, "c@lohja.example", Role::Counsellor).await;
    let ops = app.org("Polku-ylläpito").await;
    app.user(ops, "op@polku.example", Role::Operator).await;

    let csrf = app.login("admin@salo.example").await;
    let b_id = b.0.to_string();
    let attempt = [
        ("org_id", b_id.as_str()),
        ("name", "Mallory"),
        ("email", "mallory@evil.example"),
        ("role", "counsellor"),
        ("locale", "fi"),
        ("password", "chosen by the admin"),
    ];
    let (status, _, _) = app.post("/admin/users", &csrf, &attempt).await;
    assert_eq!(
        status, 403,
        "an organisation admin cannot create users elsewhere"
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM users WHERE email = 'mallory@evil.example'"
        )
        .await,
        0
    );
    // Nor make an operator, nor see another organisation's staff.
    let a_id = a.0.to_string();
    let (status, _, _) = app
        .post(
            "/admin/users",
            &csrf,
            &[
                ("org_id", a_id.as_str()),
                ("name", "Op"),
                ("email", "op2@salo.example"),
                ("role", "operator"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    let (_, html) = app.get("/admin/users").await;
    assert!(
        !html.contains("c@lohja.example"),
        "only own organisation's users"
    );
    let (status, _) = app.get("/audit").await;
    assert_eq!(status, 200);

    // The operator may create the user, but the password typed in is ignored: the user sets it.
    let op = TestApp::new_client();
    let csrf = app.login_as(&op, "op@polku.example").await;
    let mut f = vec![("csrf", csrf.as_str())];
    f.extend_from_slice(&attempt);
    let r = op.post(app.url("/admin/users")).form(&f).sent().await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("kertakäyttöinen linkki"));
    let r = login_at(
        &app.url(""),
        &TestApp::new_client(),
        "mallory@evil.example",
        "chosen by the admin",
    )
    .await;
    assert_ne!(r.status(), 303, "no password was set by the creator");
    // The operator sees no personal data in any organisation.
    let r = op.get(app.url("/participants")).sent().await;
    assert_eq!(r.status(), 403);
    // Audited in the operator's organisation and in the user's.
    let orgs: Vec<i64> = sqlx::query_scalar(
        "SELECT org_id FROM audit_log WHERE entity = 'user' AND action = 'create' ORDER BY org_id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let mut expected = vec![ops.0, b.0];
    expected.sort();
    assert_eq!(orgs, expected);

    // The invitation goes to the invitee over SMTP, once, even when two nodes deliver at once.
    let (port, inbox) = smtp_sink().await;
    let url = format!("smtp://127.0.0.1:{port}");
    let mailer = polku::mail::Mailer::new(&url, "Polku <polku@test.example>").unwrap();
    let (x, y) = tokio::join!(
        polku::mail::deliver_pending(&app.db, &mailer, &app.clock),
        polku::mail::deliver_pending(&app.db, &mailer, &app.clock)
    );
    assert_eq!(x.unwrap() + y.unwrap(), 1, "sent once");
    let mails = inbox.lock().unwrap().clone();
    assert!(mails[0].contains("To: mallory@evil.example") && mails[0].contains("/password/"));

    // The invitee sets the password with the link; it works once.
    let link = link_in_outbox(app, "mallory@evil.example").await;
    let invitee = TestApp::new_client();
    let csrf = app.csrf_of(&invitee, &link).await;
    assert!(!csrf.is_empty(), "the link opens a form");
    let r = invitee
        .post(app.url(&link))
        .form(&[("csrf", csrf.as_str()), ("password", "short")])
        .sent()
        .await;
    assert_eq!(r.status(), 422);
    let r = invitee
        .post(app.url(&link))
        .form(&[("csrf", csrf.as_str()), ("password", PASSWORD)])
        .sent()
        .await;
    assert_eq!(r.status(), 303);
    app.login_as(&invitee, "mallory@evil.example").await;
    let r = invitee
        .post(app.url(&link))
        .form(&[("csrf", csrf.as_str()), ("password", PASSWORD)])
        .sent()
        .await;
    assert_eq!(r.status(), 404, "a used link is gone");
});

// Defect 2: `next` accepted `/\t/evil.example`, and a newline gave 500.
db_test!(login_redirects_only_to_local_paths, |app| async move {
    let org = app.org("Org").await;
    app.user(org, "c@org.example", Role::Counsellor).await;
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "//evil.example",
    ] {
        let r = login_form(
            &app.url(""),
            &TestApp::new_client(),
            &[
                ("email", "c@org.example"),
                ("password", PASSWORD),
                ("next", next),
            ],
        )
        .await;
        assert_eq!(r.status(), 303, "{next:?}");
        assert_eq!(r.headers()["location"], "/", "{next:?}");
    }
});

// Defect 3: CSV exports wrote cells that spreadsheets run as formulas.
db_test!(csv_exports_neutralise_formulas, |app| async move {
    let (org, project, csrf) = app
        .counsellor_in("Luksia", "c@luksia.example", "S20364")
        .await;
    let mut intake = intake(
        project,
        "131052-308T",
        "=HYPERLINK(\"http://evil.example\")",
    );
    intake[1].1 = "@SUM(A1)".into();
    let (status, _, _) = app.post("/participants", &csrf, &borrow(&intake)).await;
    assert_eq!(status, 303);
    app.programme(org, "+Lohjan ryhmä", "10").await;
    let csv = |path: &'static str| {
        let client = app.client.clone();
        let url = app.url(path);
        async move { client.get(url).text_body().await }
    };
    let text = csv("/participants?format=csv").await;
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\";'@SUM(A1);"),
        "{text}"
    );
    let text = csv("/services?format=csv").await;
    assert!(text.contains("'+Lohjan ryhmä;"), "{text}");
});

// Defect 5: PostgreSQL answered 500 to a NUL byte; names are stored in NFC and without bidi
// controls.
db_test!(
    control_characters_are_refused_at_the_edge,
    |app| async move {
        let (_, project, csrf) = app.counsellor_in("Salo", "c@salo.example", "S21358").await;
        // Login e-mail with NUL, without being logged in.
        let r = login_form(
            &app.url(""),
            &TestApp::new_client(),
            &[("email", "c@salo.example\0"), ("password", PASSWORD)],
        )
        .await;
        assert!(r.status().is_client_error(), "{}", r.status());
        // Intake with a NUL in a name, and a control character.
        for bad in ["Vir\0tanen", "Vir\u{7}tanen", "Vir\u{202E}tanen"] {
            let (status, html, _) = app.enter(&csrf, project, "131052-308T", bad).await;
            assert_eq!(status, 422, "{bad:?}");
            assert!(html.contains("merkkejä, joita ei voi tallentaa"), "{html}");
        }
        // The API: a NUL in JSON.
        let token = app.api_token(&app.client, &csrf, "t").await;
        let body = json!({"project_id": project.to_string(), "first_name": "Ti\u{0}mo", "last_name": "K", "hetu": "131052-308T", "municipality": "Salo", "entry_date": "2.3.2026", "consent_data_processing": true});
        let r = reqwest::Client::new()
            .post(app.url("/api/v1/participants"))
            .bearer_auth(&token)
            .json(&body)
            .sent()
            .await;
        assert_eq!(r.status(), 422);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"], "characters-invalid");
        assert_eq!(count(app, "SELECT COUNT(*) FROM participants").await, 0);
        // A name typed with combining marks is stored in NFC and found by its composed form.
        let decomposed = "Pa\u{308}a\u{308}kko\u{308}nen";
        let (status, _, _) = app.enter(&csrf, project, "131052-308T", decomposed).await;
        assert_eq!(status, 303);
        let stored: String = app.scalar("SELECT last_name FROM participants").await;
        assert_eq!(stored, "Pääkkönen");
        let (_, html) = app.get("/participants?q=P%C3%A4%C3%A4kk%C3%B6").await;
        assert!(html.contains("Pääkkönen, Maija"), "{html}");
        // A note with a NUL: refused in place, not a 500.
        let pid: i64 = app.scalar("SELECT id FROM participants").await;
        let (status, _, _) = app
            .post(
                &format!("/participants/{pid}/notes"),
                &csrf,
                &[("body", "a\0b")],
            )
            .await;
        assert_eq!(status, 422);
    }
);

// Defect 6: two simultaneous submissions of the setup link both succeeded.
db_test!(
    setup_link_is_used_once_even_concurrently,
    |app| async move {
        let token = polku::setup_token_if_needed(&app.db)
            .await
            .unwrap()
            .unwrap();
        let path = format!("/setup/{token}");
        let mut tasks = vec![];
        for n in 0..2 {
            let client = TestApp::new_client();
            let csrf = app.csrf_of(&client, &path).await;
            let url = app.url(&path);
            tasks.push(tokio::spawn(async move {
                let email = format!("admin{n}@org{n}.example");
                let org = format!("Org {n}");
                client
                    .post(url)
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("org_name", org.as_str()),
                        ("name", "Admin"),
                        ("email", email.as_str()),
                        ("password", PASSWORD),
                    ])
                    .sent()
                    .await
                    .status()
                    .as_u16()
            }));
        }
        let mut statuses = vec![];
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        statuses.sort();
        assert_eq!(statuses, [303, 404]);
        assert_eq!(count(app, "SELECT COUNT(*) FROM users").await, 1);
        assert_eq!(count(app, "SELECT COUNT(*) FROM organisations").await, 1);
    }
);

// Defect 7: no HSTS, personal data cacheable.
db_test!(
    responses_with_personal_data_are_not_stored,
    |app| async move {
        let org = app.org("Org").await;
        app.user(org, "c@org.example", Role::Counsellor).await;
        let csrf = app.login("c@org.example").await;
        let token = app.api_token(&app.client, &csrf, "t").await;
        for path in ["/", "/participants", "/login"] {
            let r = app.client.get(app.url(path)).sent().await;
            assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
            assert!(r.headers().get("strict-transport-security").is_none());
        }
        let r = reqwest::Client::new()
            .get(app.url("/api/v1/participants"))
            .bearer_auth(&token)
            .sent()
            .await;
        assert_eq!(r.headers()["cache-control"], "no-store");
        let r = app.client.get(app.url("/static/polku.css")).sent().await;
        assert!(r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public"));
        let secure = app
            .node_with(polku_web::Config {
                secure_cookies: true,
                ..Default::default()
            })
            .await;
        let r = reqwest::get(format!("{secure}/login")).await.unwrap();
        assert_eq!(
            r.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains"
        );
    }
);

// Defect 8: API errors were plain text for 400 and 415, and a missing token read as a wrong password.
db_test!(api_errors_are_always_json, |app| async move {
    let org = app.org("Org").await;
    app.user(org, "c@org.example", Role::Counsellor).await;
    let csrf = app.login("c@org.example").await;
    let token = app.api_token(&app.client, &csrf, "t").await;
    let api = reqwest::Client::new();
    let url = app.url("/api/v1/participants");
    let cases = [
        (
            api.post(&url)
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body("{not json"),
            400,
            "bad-request",
        ),
        (
            api.post(&url).bearer_auth(&token).body("{}"),
            415,
            "unsupported-media-type",
        ),
        (
            api.get(app.url("/api/v1/participants/abc"))
                .bearer_auth(&token),
            400,
            "bad-request",
        ),
        (
            api.get(app.url("/api/v1/nothing")).bearer_auth(&token),
            404,
            "not-found",
        ),
        (api.get(&url), 401, "unauthenticated"),
        (
            api.get(&url).bearer_auth("polku_wrong"),
            401,
            "unauthenticated",
        ),
    ];
    for (req, status, code) in cases {
        let r = req.header("accept-language", "en").sent().await;
        assert_eq!(r.status().as_u16(), status, "{code}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], code);
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // The document lists every status a route answers.
    let doc = app.openapi().await;
    let post = &doc["paths"]["/api/v1/participants"]["post"]["responses"];
    for s in [
        "201", "400", "401", "403", "404", "409", "413", "415", "422",
    ] {
        assert!(post.get(s).is_some(), "POST /participants documents {s}");
    }
    let get = &doc["paths"]["/api/v1/participants/{id}"]["get"]["responses"];
    for s in ["200", "400", "401", "403", "404"] {
        assert!(
            get.get(s).is_some(),
            "GET /participants/{{id}} documents {s}"
        );
    }
});

// Defect 9: the auditor got 403 on the audit log; no per-account lockout.
db_test!(auditor_reads_the_log_and_accounts_lock, |app| async move {
    let org = app.org("ELY").await;
    app.user(org, "auditor@ely.example", Role::Auditor).await;
    app.user(org, "admin@ely.example", Role::Admin).await;
    let other = app.org("Other").await;
    app.user(other, "c@other.example", Role::Counsellor).await;
    app.login("auditor@ely.example").await;
    let (status, html) = app.get("/audit").await;
    assert_eq!(status, 200);
    assert!(html.contains("auditor@ely") || html.contains("Test User"));
    // Entries of other organisations are not shown (the other counsellor's login).
    app.login_as(&TestApp::new_client(), "c@other.example")
        .await;
    let other_logins = count(
        app,
        &format!("SELECT COUNT(*) FROM audit_log WHERE org_id = {}", other.0),
    )
    .await;
    assert!(other_logins > 0);
    let (_, csv) = app.get("/audit?format=csv").await;
    let rows = csv.lines().count() as i64 - 1;
    let own = count(
        app,
        &format!("SELECT COUNT(*) FROM audit_log WHERE org_id = {}", org.0),
    )
    .await;
    assert!(rows <= own, "{rows} rows but {own} own entries");

    // Eight wrong passwords lock the account; the right one then says so. (On a node of its
    // own: each node limits logins per address, and this address has used some.)
    let node = app.second_node().await;
    let victim = TestApp::new_client();
    for _ in 0..8 {
        let r = login_at(&node, &victim, "admin@ely.example", "wrong password!").await;
        assert_eq!(r.status(), 401);
    }
    let r = login_at(&node, &victim, "admin@ely.example", PASSWORD).await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("Tili on lukittu"));
    // Another admin of the organisation unlocks it.
    let node = app.second_node().await;
    app.user(org, "admin2@ely.example", Role::Admin).await;
    let admin = TestApp::new_client();
    let r = login_at(&node, &admin, "admin2@ely.example", PASSWORD).await;
    assert_eq!(r.status(), 303);
    let locked: i64 = app
        .scalar("SELECT id FROM users WHERE email = 'admin@ely.example'")
        .await;
    let html = admin.get(format!("{node}/admin/users")).text_body().await;
    assert!(
        html.contains(&format!("/admin/users/{locked}/unlock")),
        "{html}"
    );
    let r = admin
        .post(format!("{node}/admin/users/{locked}/unlock"))
        .form(&[("csrf", csrf_in(&html).as_str())])
        .sent()
        .await;
    assert_eq!(r.status(), 303);
    let r = login_at(&node, &TestApp::new_client(), "admin@ely.example", PASSWORD).await;
    assert_eq!(r.status(), 303, "unlocked");
});

// Defect 10: the participant export stopped at the list's cap of 200 without a word.
db_test!(exports_hold_every_row_and_pages_say_so, |app| async move {
    let (_, project, csrf) = app.voima_counsellor().await;
    // 205 people with valid temporary identity codes (individual numbers 900–999, two dates).
    let mut made = 0;
    'outer: for day in 10..=12 {
        for n in 900..=999 {
            let hetu = hetu(day, 3, 60, n);
            let name = format!("Henkilö{made:03}");
            let (status, _, _) = app.enter(&csrf, project, &hetu, &name).await;
            assert_eq!(status, 303);
            made += 1;
            if made == 205 {
                break 'outer;
            }
        }
    }
    let (_, csv) = app.get("/participants?q=&format=csv").await;
    assert_eq!(csv.lines().count(), 206, "header and every row");
    // Streamed in parts of 200: each person once, none missed at the seam.
    assert!((0..205).all(|i| csv.matches(&format!("Henkilö{i:03};")).count() == 1));
    let (_, html) = app.get("/participants?q=").await;
    assert!(
        html.contains("Näytetään rivit 1–200."),
        "the page says it shows a part"
    );
    assert!(html.contains("page=2"));
    let (_, html) = app.get("/participants?q=&project=&page=2").await;
    assert!(html.contains("Näytetään rivit 201–205."), "{html}");
    assert!(html.contains("Henkilö204"));
});
