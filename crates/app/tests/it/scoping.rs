//! Organisation scoping, checked route by route: another organisation's participant must be
//! invisible on every page and API route that takes a participant, and unchanged afterwards.

use crate::common::*;
use polku_domain::authz::Role;

/// Every route that addresses one participant. `{id}` and `{goal}` are filled in.
/// When a route is added, it goes here; the OpenAPI check below catches API routes that are not.
const PARTICIPANT_ROUTES: &[(&str, &str)] = &[
    ("GET", "/participants/{id}"),
    ("GET", "/participants/{id}/edit"),
    ("POST", "/participants/{id}"),
    ("POST", "/participants/{id}/exit"),
    ("POST", "/participants/{id}/notes"),
    ("POST", "/participants/{id}/goals"),
    ("POST", "/participants/{id}/goals/{goal}/steps"),
    ("POST", "/participants/{id}/consents"),
    ("POST", "/participants/{id}/referred-by"),
    ("GET", "/referrals/new?participant_id={id}"),
    ("POST", "/participants/{id}/referrals"),
    ("POST", "/participants/{id}/messages"),
    ("GET", "/participants/{id}/files/{file}"),
    ("GET", "/api/v1/participants/{id}/files/{file}"),
    ("POST", "/participants/{id}/requests/{request}/handled"),
    (
        "POST",
        "/api/v1/participants/{id}/requests/{request}/handled",
    ),
    ("GET", "/api/v1/participants/{id}/messages"),
    ("POST", "/api/v1/participants/{id}/messages"),
    ("GET", "/participants/{id}/data"),
    ("POST", "/participants/{id}/erase"),
    ("GET", "/api/v1/participants/{id}"),
    ("POST", "/api/v1/participants/{id}/exit"),
    ("GET", "/api/v1/participants/{id}/data"),
    ("POST", "/api/v1/participants/{id}/erase"),
    ("GET", "/api/v1/participants/{id}/plan"),
    ("GET", "/api/v1/participants/{id}/notes"),
    ("POST", "/api/v1/participants/{id}/notes"),
    ("GET", "/api/v1/participants/{id}/contacts"),
    ("POST", "/api/v1/participants/{id}/contacts"),
    ("GET", "/api/v1/participants/{id}/referred-by"),
    ("POST", "/api/v1/participants/{id}/referred-by"),
    ("POST", "/api/v1/participants/{id}/referrals"),
    ("POST", "/api/v1/participants/{id}/goals"),
    ("POST", "/api/v1/participants/{id}/goals/{goal}/steps"),
    ("POST", "/api/v1/participants/{id}/consents"),
    ("POST", "/api/v1/participants/{id}/follow-up"),
];

db_test!(
    other_organisation_cannot_reach_participant_on_any_route,
    |app| async move {
        let org_a = app.org("A").await;
        let org_b = app.org("B").await;
        app.user(org_a, "a@a.example", Role::Counsellor).await;
        app.user(org_b, "b@b.example", Role::Counsellor).await;
        let project = app.project(org_a, "PA1").await;
        let csrf_a = app.login("a@a.example").await;
        let (_, _, loc) = app
            .post(
                "/participants",
                &csrf_a,
                &borrow(&intake(project, "131052-308T", "Salainen")),
            )
            .await;
        let id: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
        app.post(
            &format!("/participants/{id}/goals"),
            &csrf_a,
            &[("kind", "work"), ("description", "g")],
        )
        .await;
        let goal: i64 = app.scalar("SELECT id FROM goals").await;
        let before: (i64, i64, i64, i64) = sqlx::query_as("SELECT (SELECT COUNT(*) FROM notes), (SELECT COUNT(*) FROM goals), (SELECT COUNT(*) FROM steps), (SELECT COUNT(*) FROM consents)").fetch_one(app.db.pool()).await.unwrap();

        let b = TestApp::new_client();
        let csrf_b = app.login_as(&b, "b@b.example").await;
        let token_b = app.api_token(&b, &csrf_b, "test").await;
        let form = {
            let mut f = intake(project, "131052-308T", "Murtaja");
            f.extend([
                ("version", "1".into()),
                ("exit_date", "1.6.2026".into()),
                ("exit_status", "unemployed".into()),
                ("body", "x".into()),
                ("kind", "work".into()),
                ("description", "x".into()),
                ("granted", "yes".into()),
                ("reason", "request".into()),
                ("confirm", "yes".into()),
                ("csrf", csrf_b.clone()),
            ]);
            f
        };
        for (method, route) in PARTICIPANT_ROUTES {
            let path = route
                .replace("{id}", &id.to_string())
                .replace("{goal}", &goal.to_string())
                .replace("{request}", "1")
                .replace("{file}", "1");
            let is_api = path.starts_with("/api/");
            let req = match *method {
            "GET" => b.get(app.url(&path)),
            _ if is_api => b.post(app.url(&path)).json(&serde_json::json!({"exit_date": "1.6.2026", "exit_status": "unemployed", "version": 1, "reason": "request"})),
            _ => b.post(app.url(&path)).form(&borrow(&form)),
        };
            let req = if is_api {
                req.bearer_auth(&token_b)
            } else {
                req
            };
            let r = req.sent().await;
            let status = r.status().as_u16();
            let body = r.text().await.unwrap();
            assert_eq!(
                status, 404,
                "{method} {path} must answer as if the participant did not exist"
            );
            assert!(
                !body.contains("Salainen") && !body.contains("131052"),
                "{method} {path} leaked personal data"
            );
        }
        // Search and list are scoped too, by name and by henkilötunnus.
        for q in ["salainen", "131052-308T"] {
            let html = b
                .get(app.url(&format!("/participants?q={q}")))
                .text_body()
                .await;
            assert!(!html.contains("Salainen"), "page search {q}");
            let json: serde_json::Value = b
                .get(app.url(&format!("/api/v1/participants?q={q}")))
                .bearer_auth(&token_b)
                .json_body()
                .await;
            assert_eq!(
                json["items"].as_array().map(Vec::len),
                Some(0),
                "api search {q}"
            );
        }
        // B cannot register into A's project either.
        let other = intake(project, "010594Y9032", "Toinen");
        let mut f = borrow(&other);
        f.push(("csrf", &csrf_b));
        let r = b.post(app.url("/participants")).form(&f).sent().await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("Valinta ei kelpaa."));
        let after: (i64, i64, i64, i64) = sqlx::query_as("SELECT (SELECT COUNT(*) FROM notes), (SELECT COUNT(*) FROM goals), (SELECT COUNT(*) FROM steps), (SELECT COUNT(*) FROM consents)").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(
            before, after,
            "nothing written through another organisation"
        );
        let (exit, last): (Option<String>, String) =
            sqlx::query_as("SELECT exit_date, last_name FROM participants WHERE id = $1")
                .bind(id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!((exit, last.as_str()), (None, "Salainen"));

        // Every API path that addresses a participant is in the table above.
        let doc = app.openapi().await;
        for (path, item) in doc["paths"].as_object().unwrap() {
            if path.contains("participants/{id}") {
                for method in item.as_object().unwrap().keys() {
                    let m = method.to_uppercase();
                    assert!(
                        PARTICIPANT_ROUTES
                            .iter()
                            .any(|(rm, rp)| *rm == m && *rp == path.as_str()),
                        "{m} {path} missing from the scoping table"
                    );
                }
            }
        }
    }
);

db_test!(roles_within_one_organisation, |app| async move {
    let org = app.org("A").await;
    app.user(org, "c@a.example", Role::Counsellor).await;
    app.user(org, "ec@a.example", Role::EmployerCoordinator)
        .await;
    app.user(org, "ps@a.example", Role::PartnerStaff).await;
    app.user(org, "au@a.example", Role::Auditor).await;
    let project = app.project(org, "PA1").await;
    let csrf = app.login("c@a.example").await;
    let (_, _, loc) = app.enter(&csrf, project, "131052-308T", "Rooli").await;
    let loc = loc.unwrap();
    // (user, may read, may write)
    for (email, read, write) in [
        ("ec@a.example", true, false),
        ("ps@a.example", false, false),
        ("au@a.example", false, false),
    ] {
        let client = TestApp::new_client();
        let csrf = app.login_as(&client, email).await;
        let r = client.get(app.url(&loc)).sent().await;
        assert_eq!(r.status() == 200, read, "{email} read");
        let r = client
            .post(app.url(&format!("{loc}/notes")))
            .form(&[("csrf", csrf.as_str()), ("body", "x")])
            .sent()
            .await;
        assert_eq!(r.status() == 303, write, "{email} write");
        let r = client.get(app.url("/admin/users")).sent().await;
        assert_eq!(r.status(), 403, "{email} is no admin");
        let r = client.get(app.url("/projects")).sent().await;
        assert_eq!(r.status(), 200, "{email} sees the project list");
    }
});
