#[allow(unused_imports)]
use crate::common::*;
use polku_domain::authz::Role;
use serde_json::{json, Value};

db_test!(api_with_bearer_token, |app| async move {
    let org = app.org("Salo").await;
    app.user(org, "pm@salo.example", Role::ProjectManager).await;
    let csrf = app.login("pm@salo.example").await;
    let token = app.api_token(&app.client, &csrf, "raportointi").await;
    let api = reqwest::Client::new();
    let r = api.get(app.url("/api/v1/me")).sent().await;
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "unauthenticated");
    let me: Value = api
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(me["role"], "project_manager");

    let r = api.post(app.url("/api/v1/projects")).bearer_auth(&token).json(&json!({"code": "S21358", "name": "VOIMA", "start_date": "3.9.2018", "end_date": "31.12.2027", "municipalities": "Salo", "target_participants": "275", "budget_public": "562 165"})).sent().await;
    assert_eq!(r.status(), 201);
    let p: Value = r.json().await.unwrap();
    assert_eq!(
        (
            p["code"].as_str(),
            &p["municipalities"],
            p["budget_public_cents"].as_i64()
        ),
        (Some("S21358"), &json!(["734"]), Some(56_216_500))
    );
    let got: Value = api
        .get(app.url("/api/v1/projects/s21358"))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(got["id"], p["id"]);

    // (It runs to 2027: an ended project is archived, and exits are refused there, as on the page.)
    // Bad input: every field error with code and a translated message.
    let bad = json!({"project_id": p["id"].to_string(), "first_name": "Timo", "last_name": "Koskinen", "hetu": "131052-308A", "municipality": "Salo", "entry_date": "1.13.2019", "consent_data_processing": true});
    let r = api
        .post(app.url("/api/v1/participants"))
        .bearer_auth(&token)
        .header("accept-language", "en")
        .json(&bad)
        .sent()
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    let codes: Vec<(&str, &str)> = e["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert!(
        codes.contains(&("hetu", "hetu-checksum"))
            && codes.contains(&("entry_date", "date-invalid")),
        "{e}"
    );
    assert!(e["fields"]
        .to_string()
        .contains("The check character of the personal identity code does not match."));

    let mut good = bad.clone();
    good["hetu"] = json!("131052-308T");
    good["entry_date"] = json!("2019-01-15");
    let r = api
        .post(app.url("/api/v1/participants"))
        .bearer_auth(&token)
        .json(&good)
        .sent()
        .await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(
        (
            created["birth_date"].as_str(),
            created["gender"].as_str(),
            created["hetu"].as_str()
        ),
        (Some("1952-10-13"), Some("woman"), Some("131052-308T"))
    );
    let id = created["id"].as_i64().unwrap();
    let found: Value = api
        .get(app.url("/api/v1/participants?q=koskinen"))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(found["items"][0]["id"].as_i64(), Some(id));
    assert!(found["next_cursor"].is_null(), "{found}");
    assert!(
        found["items"][0]["hetu"].is_null(),
        "lists do not carry the identity code"
    );
    let r = api
        .post(app.url(&format!("/api/v1/participants/{id}/exit")))
        .bearer_auth(&token)
        .json(&json!({"exit_date": "30.6.2019", "exit_status": "employed_open", "version": 1}))
        .sent()
        .await;
    assert_eq!(r.status(), 200);
    let r = api
        .post(app.url(&format!("/api/v1/participants/{id}/exit")))
        .bearer_auth(&token)
        .json(&json!({"exit_date": "30.6.2019", "exit_status": "unemployed", "version": 1}))
        .sent()
        .await;
    assert_eq!(r.status(), 409);
    // Revoked tokens stop working.
    let tid: i64 = app.scalar("SELECT id FROM api_tokens").await;
    app.post(&format!("/account/tokens/{tid}/revoke"), &csrf, &[])
        .await;
    assert_eq!(
        api.get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .sent()
            .await
            .status(),
        401
    );
});

db_test!(openapi_document_describes_the_api, |app| async move {
    let doc = app.openapi().await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/api/v1/projects",
        "/api/v1/projects/{code}",
        "/api/v1/participants",
        "/api/v1/participants/{id}",
        "/api/v1/participants/{id}/exit",
        "/api/v1/me",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p}");
    }
    assert!(doc["components"]["schemas"].get("IntakeForm").is_some());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
});

db_test!(the_plan_and_groups_through_the_api, |app| async move {
    let org = app.org("Salo").await;
    app.user(org, "c@salo.example", Role::Counsellor).await;
    let project = app.project(org, "PA1").await;
    let csrf = app.login("c@salo.example").await;
    let token = app.api_token(&app.client, &csrf, "integraatio").await;
    let api = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        api.post(app.url(path))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let intake = intake_json(project, "131052-308T");
    let id = app.api_create(&token, "/api/v1/participants", intake).await;
    let p = format!("/api/v1/participants/{id}");

    // The plan: a goal with a step, typed dates and booleans.
    let goal = app
        .api_create(
            &token,
            &format!("{p}/goals"),
            json!({"kind": "work", "description": "Palkkatyö", "target_date": "2026-12-31"}),
        )
        .await;
    let r = post(
        &format!("{p}/goals/{goal}/steps"),
        json!({"description": "CV kuntoon", "due_date": "2026-03-01"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let r = post(
        &format!("{p}/contacts"),
        json!({"kind": "phone", "date": "2026-02-02", "duration_min": 2000, "summary": "Soitto"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422, "the duration has a range");
    let r = post(
        &format!("{p}/contacts"),
        json!({"kind": "phone", "date": "2026-02-02", "duration_min": 30, "summary": "Soitto"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    for (n, body) in ["Ensimmäinen", "Toinen", "Kolmas"].iter().enumerate() {
        let r = post(&format!("{p}/notes"), json!({ "body": body }))
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "note {n}");
    }
    let r = post(
        &format!("{p}/consents"),
        json!({"kind": "surveys", "granted": true}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let plan: Value = api
        .get(app.url(&format!("{p}/plan")))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(plan["goals"][0]["target_date"], "2026-12-31");
    assert_eq!(plan["goals"][0]["steps"][0]["done"], false);
    assert!(
        plan["consents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "surveys" && c["granted"] == true),
        "{plan}"
    );
    // Cursor pagination: two notes, then the third, then no cursor.
    let first: Value = api
        .get(app.url(&format!("{p}/notes?limit=2")))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let rest: Value = api
        .get(app.url(&format!("{p}/notes?limit=2&cursor={cursor}")))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    let contacts: Value = api
        .get(app.url(&format!("{p}/contacts")))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(
        (
            contacts["items"][0]["duration_min"].as_i64(),
            contacts["items"][0]["date"].as_str()
        ),
        (Some(30), Some("2026-02-02"))
    );

    // A group: the service, a session, enrolment over capacity to the waiting list, attendance.
    let s = app.api_create(&token, "/api/v1/services", json!({"project_id": project, "kind": "workshop", "name": "CV-paja", "channel": "in_person", "capacity": 1, "languages": ["fi"], "offered_by": "staff"})).await;
    let session = app
        .api_create(
            &token,
            &format!("/api/v1/services/{s}/sessions"),
            json!({"date": "2026-03-02", "start_time": "9:00", "end_time": "12:00"}),
        )
        .await;
    let r = post(
        &format!("/api/v1/services/{s}/enrolments"),
        json!({"participant_id": id}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "enrolled");
    let r = api
        .put(app.url(&format!(
            "/api/v1/services/{s}/sessions/{session}/attendance"
        )))
        .bearer_auth(&token)
        .json(&json!({"marks": [{"participant_id": id, "mark": "present"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let got: Value = api
        .get(app.url(&format!("/api/v1/services/{s}")))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(
        (
            got["service"]["capacity"].as_i64(),
            got["service"]["enrolled"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(got["roster"][0]["present"].as_i64(), Some(1), "{got}");
    let list: Value = api
        .get(app.url("/api/v1/services?q=CV"))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(list["items"][0]["id"].as_i64(), Some(s));
    let r = post(
        &format!("/api/v1/services/{s}/enrolments/{id}/cancel"),
        json!({}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
});

db_test!(
    a_retried_create_with_the_same_key_creates_once,
    |app| async move {
        let org = app.org("Salo").await;
        app.user(org, "c@salo.example", Role::Counsellor).await;
        let project = app.project(org, "PA1").await;
        let csrf = app.login("c@salo.example").await;
        let token = app.api_token(&app.client, &csrf, "integraatio").await;
        let api = reqwest::Client::new();
        let intake = json!({"project_id": project.to_string(), "first_name": "Timo", "last_name": "Koskinen", "hetu": "131052-308T", "municipality": "Salo", "entry_date": "2026-01-15", "consent_data_processing": true});
        let send = |key: &'static str, body: &Value| {
            api.post(app.url("/api/v1/participants"))
                .bearer_auth(&token)
                .header("Idempotency-Key", key)
                .json(body)
                .send()
        };
        let first = send("intake-7f3a", &intake).await.unwrap();
        assert_eq!(first.status(), 201);
        assert!(first.headers().get("idempotency-replayed").is_none());
        let first: Value = first.json().await.unwrap();
        let again = send("intake-7f3a", &intake).await.unwrap();
        assert_eq!(again.status(), 201);
        assert_eq!(again.headers()["idempotency-replayed"], "true");
        let again: Value = again.json().await.unwrap();
        assert_eq!(first, again, "the first answer, word for word");
        assert_eq!(
            app.scalar::<i64>("SELECT COUNT(*) FROM participants").await,
            1
        );
        // The same key for another request is refused; a new key creates (here: a duplicate
        // identity code, refused as such, and a refusal is not kept).
        let mut other = intake.clone();
        other["first_name"] = json!("Tiina");
        assert_eq!(send("intake-7f3a", &other).await.unwrap().status(), 409);
        assert_eq!(send("intake-8b1c", &other).await.unwrap().status(), 422);
        other["hetu"] = json!("010594Y9032");
        assert_eq!(send("intake-8b1c", &other).await.unwrap().status(), 201);
        assert_eq!(
            app.scalar::<i64>("SELECT COUNT(*) FROM participants").await,
            2
        );
        // The answer is kept encrypted: the identity code is not in the table in plain text.
        let kept: String = app
            .scalar("SELECT body FROM idempotency_keys WHERE idem_key = 'intake-7f3a'")
            .await;
        assert!(!kept.contains("131052"), "{kept}");
        // Another user's same key is their own.
        app.user(org, "d@salo.example", Role::Counsellor).await;
        let other_client = TestApp::new_client();
        let csrf_d = app.login_as(&other_client, "d@salo.example").await;
        let token_d = app.api_token(&other_client, &csrf_d, "toinen").await;
        let mut third = intake.clone();
        third["hetu"] = json!("010101-123N");
        let r = api
            .post(app.url("/api/v1/participants"))
            .bearer_auth(&token_d)
            .header("Idempotency-Key", "intake-7f3a")
            .json(&third)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
);
