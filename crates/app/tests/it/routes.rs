//! Every route × every role, table-driven: who may use it, and that everyone else is refused.
//! When a route is added to a router(), it is added here; API routes are checked against the
//! OpenAPI document so none can be missed.

use crate::common::*;
use polku_domain::authz::Role;

pub use crate::route_table::{ALL, ROUTES};

/// A route with its `{name}` placeholders filled with ids.
pub fn path_for(route: &str, ids: &[(&str, i64)]) -> String {
    ids.iter().fold(route.to_string(), |path, (name, id)| {
        path.replace(&format!("{{{name}}}"), &id.to_string())
    })
}

struct Who {
    role: Role,
    client: reqwest::Client,
    csrf: String,
    token: String,
}

db_test!(every_route_for_every_role, |app| async move {
    let org = app.org("A").await;
    let mut people = vec![];
    for (i, role) in ALL.iter().enumerate() {
        let email = format!("u{i}@a.example");
        app.user(org, &email, *role).await;
        let client = TestApp::new_client();
        let csrf = app.login_as(&client, &email).await;
        let token = app.api_token(&client, &csrf, "t").await;
        people.push(Who {
            role: *role,
            client,
            csrf,
            token,
        });
    }
    let project = app.project(org, "PA1").await;
    let casework = &people[2];
    let form = intake(project, "131052-308T", "Taulukko");
    let mut f = borrow(&form);
    f.push(("csrf", casework.csrf.as_str()));
    let r = casework
        .client
        .post(app.url("/participants"))
        .form(&f)
        .sent()
        .await;
    let loc = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    let x: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
    casework
        .client
        .post(app.url(&format!("/participants/{x}/goals")))
        .form(&[
            ("csrf", casework.csrf.as_str()),
            ("kind", "work"),
            ("description", "g"),
        ])
        .sent()
        .await;
    let g: i64 = app.scalar("SELECT id FROM goals").await;
    let t: i64 = app.scalar("SELECT id FROM api_tokens WHERE user_id = (SELECT id FROM users WHERE email = 'u0@a.example')").await;
    let u: i64 = app
        .scalar("SELECT id FROM users WHERE email = 'u2@a.example'")
        .await;
    let (svc, ss) = app.programme(org, "Startti", "20").await;
    let mut tx = app.db.begin().await.unwrap();
    let point = polku_domain::dropin::PointForm {
        name: "Voimala".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let d = polku_store::dropin::create(&mut tx, org, &point, app.clock_now())
        .await
        .unwrap();
    let shift = polku_domain::dropin::ShiftForm {
        date: "2.3.2026".into(),
        start_time: "10".into(),
        end_time: "12".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let sh = polku_store::dropin::add_shift(&mut tx, d, &shift)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let i = app.import_file(org, project, u).await;
    let ei = app.employer_import_file(org, u).await;
    let (e, o, pl) = app.employer_with_placement(org, x).await;
    let ct = app.coach_training(org).await;
    let (sv, sq) = app.survey(org).await;
    // Another organisation with a person of its own, to refer to and from.
    let org_b = app.org("B").await;
    app.user(org_b, "b@b.example", Role::Counsellor).await;
    let project_b = app.project(org_b, "PB1").await;
    let b = TestApp::new_client();
    let b_csrf = app.login_as(&b, "b@b.example").await;
    let y = app
        .enter_with(&b, &b_csrf, project_b, "010160-9984", "Toinen")
        .await
        .unwrap();
    let y: i64 = y.rsplit('/').next().unwrap().parse().unwrap();
    let rr = app.referral((org_b, y), (org, None)).await;
    let rs = app.referral((org, x), (org_b, None)).await;
    // A request to correct, as the person made it in their own channel.
    let mut tx = app.db.begin().await.unwrap();
    let kind = polku_domain::portal::DataRequestKind::Correct;
    let rq = polku_store::portal::add_request(
        &mut tx,
        polku_domain::ids::ParticipantId(x),
        (kind, "Osoite on väärin"),
        app.clock_now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // A message of the person's with a file.
    let mut tx = app.db.begin().await.unwrap();
    let m = polku_store::messages::add(
        &mut tx,
        polku_domain::ids::ParticipantId(x),
        None,
        "Liitteenä CV",
        app.clock_now(),
    )
    .await
    .unwrap();
    let cv = polku_domain::portal::Attachment::parse("cv.pdf", b"%PDF".to_vec()).unwrap();
    let f = polku_store::messages::add_attachment(&mut tx, m, &cv)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // The contact person each allowed caller removes (put back before each call).
    let c: i64 = 7_000;
    let anon = TestApp::new_client();

    for (method, route, allowed) in ROUTES {
        let path = path_for(
            route,
            &[
                ("sh", sh),
                ("i", i),
                ("ei", ei),
                ("d", d),
                ("ss", ss),
                ("s", svc),
                ("p", project),
                ("x", x),
                ("g", g),
                ("t", t),
                ("u", u),
                ("e", e),
                ("o", o),
                ("pl", pl),
                ("ct", ct),
                ("c", c),
                ("rr", rr),
                ("rs", rs),
                ("rq", rq),
                ("f", f),
                ("sv", sv),
                ("sq", sq),
            ],
        )
        .replace("{code}", "PA1");
        let api = path.starts_with("/api/");
        // Anonymous: pages go to the login page (POSTs may stop at CSRF first), the API answers 401.
        let r = if *method == "GET" {
            anon.get(app.url(&path))
        } else if api {
            anon.request(method.parse().unwrap(), app.url(&path))
                .json(&serde_json::json!({}))
        } else {
            anon.post(app.url(&path)).form(&[("x", "y")])
        };
        let r = r.sent().await;
        let s = r.status().as_u16();
        if api {
            assert_eq!(s, 401, "anonymous {method} {path}");
        } else {
            let to_login = r
                .headers()
                .get("location")
                .is_some_and(|l| l.to_str().unwrap().starts_with("/login"));
            assert!(
                (s == 303 && to_login) || (*method == "POST" && s == 403),
                "anonymous {method} {path}: {s}"
            );
        }
        for who in &people {
            if route.ends_with("/cancel") {
                // Each allowed caller needs someone to cancel: enrol the participant again.
                let mut tx = app.db.begin().await.unwrap();
                let _ = polku_store::services::enrol(
                    &mut tx,
                    svc,
                    polku_domain::ids::ParticipantId(x),
                    false,
                    app.clock_now(),
                )
                .await;
                tx.commit().await.unwrap();
            }
            if route.contains("/contacts/{c}") {
                sqlx::query("INSERT INTO employer_contacts (id, employer_id, name, created_at) VALUES ($1, $2, 'Poistettava', '2026-03-02T09:00:00Z') ON CONFLICT (id) DO NOTHING")
                    .bind(c)
                    .bind(e)
                    .execute(app.db.pool())
                    .await
                    .unwrap();
            }
            if route.contains("/questions/{sq}") {
                sqlx::query("INSERT INTO survey_questions (id, survey_id, position, kind, text) VALUES ($1, $2, 1, 'scale', 'Poistettava') ON CONFLICT (id) DO NOTHING")
                    .bind(sq)
                    .bind(sv)
                    .execute(app.db.pool())
                    .await
                    .unwrap();
            }
            if route.ends_with("/release") {
                // Each allowed caller needs a shift held by its organisation to give back.
                let mut tx = app.db.begin().await.unwrap();
                let _ = polku_store::dropin::take_shift(&mut tx, sh, org).await;
                tx.commit().await.unwrap();
            }
            let req = match (*method, api) {
                ("GET", true) => who.client.get(app.url(&path)).bearer_auth(&who.token),
                ("GET", false) => who.client.get(app.url(&path)),
                (_, true) => who
                    .client
                    .request(method.parse().unwrap(), app.url(&path))
                    .bearer_auth(&who.token)
                    .json(&serde_json::json!({})),
                (_, false) => who
                    .client
                    .post(app.url(&path))
                    .form(&[("csrf", who.csrf.as_str())]),
            };
            let s = req.sent().await.status().as_u16();
            let may = allowed.contains(&who.role);
            if may {
                assert!(
                    !matches!(s, 401 | 403 | 404),
                    "{:?} may {method} {path}, got {s}",
                    who.role
                );
            } else {
                assert!(
                    matches!(s, 403 | 404),
                    "{:?} may not {method} {path}, got {s}",
                    who.role
                );
            }
        }
    }

    // Every operation of the API document is in the table (path parameters by position).
    let shape = |p: &str| {
        regex::Regex::new(r"\{[a-z]+\}")
            .unwrap()
            .replace_all(p, "{}")
            .to_string()
    };
    let doc = app.openapi().await;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in item.as_object().unwrap().keys() {
            let m = m.to_uppercase();
            let known = ROUTES
                .iter()
                .any(|(rm, rp, _)| *rm == m && shape(rp) == shape(path));
            assert!(known, "{m} {path} is not in the route table");
        }
    }
});
