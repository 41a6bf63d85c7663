//! The data subject's rights and the retention of their data (issue 9): access (JSON, PDF),
//! erasure that keeps the funder's figures, consent withdrawal, archiving and the retention job.

use crate::common::*;
use polku_domain::authz::Role;
use polku_domain::clock::Clock;

db_test!(
    erasure_keeps_the_esf_figures_and_removes_the_person,
    |app| async move {
        let org = app.org("VOIMA").await;
        app.user(org, "c@voima.example", Role::Counsellor).await;
        app.user(org, "pm@voima.example", Role::ProjectManager)
            .await;
        let project = app.project(org, "S21358").await;
        let csrf = app.login("c@voima.example").await;
        let mut ids = vec![];
        for (day, name) in [(3, "Poistettava"), (4, "Jäävä"), (5, "Kolmas")] {
            let (status, _, loc) = app
                .enter(&csrf, project, &hetu(day, 5, 61, 904), name)
                .await;
            assert_eq!(status, 303);
            ids.push(
                loc.unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .parse::<i64>()
                    .unwrap(),
            );
        }
        let gone = ids[0];
        let p = format!("/participants/{gone}");
        let secret = "Keskusteltiin salaisesta terveysasiasta";
        app.post(&format!("{p}/notes"), &csrf, &[("body", secret)])
            .await;
        app.post(
            &format!("{p}/goals"),
            &csrf,
            &[("kind", "work"), ("description", "Tavoite X")],
        )
        .await;
        app.post(
            &format!("{p}/consents"),
            &csrf,
            &[("kind", "surveys"), ("granted", "yes")],
        )
        .await;
        let contact = app.add_contact(&csrf, &p, "Työkokeilupaikan haku").await;
        assert_eq!(contact, 303);
        let exit = app.exit_as(&csrf, &p, "1.6.2026", "employed_open").await;
        assert_eq!(exit, 303);
        let report = || app.esf_bytes("S21358", "json", true);
        let before = report().await;

        // The right of access holds all of it first.
        let data: serde_json::Value = app
            .client
            .get(app.url(&format!("{p}/data")))
            .json_body()
            .await;
        assert_eq!(data["participant"]["last_name"], "Poistettava");
        assert_eq!(data["notes"][0]["body"], secret);
        assert_eq!(data["guidance_contacts"].as_array().map(Vec::len), Some(1));
        assert!(data["audit_log"].as_array().is_some_and(|a| a.len() >= 3));

        // A counsellor may not erase; the project manager may, with a reason, once confirmed.
        let (s, _, _) = app
            .post(
                &format!("{p}/erase"),
                &csrf,
                &[("reason", "request"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(s, 403);
        let pm = TestApp::new_client();
        let pm_csrf = app.login_as(&pm, "pm@voima.example").await;
        let erase = |confirm: &'static str| {
            let form = [
                ("csrf", pm_csrf.clone()),
                ("reason", "request".into()),
                ("confirm", confirm.into()),
            ];
            pm.post(app.url(&format!("{p}/erase"))).form(&form).sent()
        };
        assert_eq!(erase("").await.status(), 422, "not without confirmation");
        let r = erase("yes").await;
        assert_eq!(r.status(), 303);

        // The funder's figures are exactly as before.
        assert_eq!(
            String::from_utf8(report().await).unwrap(),
            String::from_utf8(before).unwrap()
        );
        // The person is gone from every table, search, page and export.
        let row: (String, String, Option<String>, Option<String>) = sqlx::query_as(
            "SELECT first_name, last_name, hetu_enc, email FROM participants WHERE id = $1",
        )
        .bind(gone)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(row, (String::new(), String::new(), None, None));
        for table in ["notes", "goals", "consents", "contacts", "search_terms"] {
            let n: i64 = app
                .scalar_for(
                    &format!("SELECT COUNT(*) FROM {table} WHERE participant_id = $1"),
                    gone,
                )
                .await;
            assert_eq!(n, 0, "{table}");
        }
        let hetu_index: Option<String> = app
            .scalar_for("SELECT hetu_index FROM participants WHERE id = $1", gone)
            .await;
        assert!(
            hetu_index.unwrap().starts_with("erased:"),
            "no blind index left to find the code by"
        );
        let (status, _) = app.get(&p).await;
        assert_eq!(status, 404);
        for q in ["Poistettava", "terveysasia", &hetu(3, 5, 61, 904)] {
            let (_, html) = app
                .get(&format!(
                    "/participants?q={}",
                    polku_web::error::urlencode(q)
                ))
                .await;
            assert!(
                !html.contains(&format!("/participants/{gone}\"")),
                "search {q}"
            );
        }
        let (_, csv) = app.get("/participants?q=&format=csv").await;
        assert!(
            !csv.contains("Poistettava") && csv.contains("Jäävä"),
            "{csv}"
        );
        assert_eq!(csv.lines().count(), 3, "header and the two others");
        // The erasure itself is in the audit log, without personal data.
        let detail: String = app.scalar_for("SELECT detail FROM audit_log WHERE entity = 'participant' AND entity_id = $1 ORDER BY id DESC LIMIT 1", gone).await;
        assert_eq!(detail, "erased: request");
        assert!(polku_store::audit::verify(&app.db, &[])
            .await
            .unwrap()
            .problems
            .is_empty());
    }
);

db_test!(withdrawn_consent_takes_effect, |app| async move {
    let (_, csrf, p) = app
        .person_in(
            "VOIMA",
            "c@voima.example",
            "S21358",
            &hetu(6, 5, 61, 906),
            "Peruuttaja",
        )
        .await;
    let report = || app.esf_bytes("S21358", "json", true);
    let before = report().await;
    let consent = |granted: &'static str| {
        let path = format!("{p}/consents");
        let csrf = csrf.clone();
        async move {
            let form = [("kind", "data_processing"), ("granted", granted)];
            app.post(&path, &csrf, &form).await.0
        }
    };
    assert_eq!(consent("no").await, 303);
    let (s, html, _) = app
        .post(&format!("{p}/notes"), &csrf, &[("body", "Uusi")])
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("peruuttanut suostumuksensa"), "{html}");
    assert_eq!(app.add_contact(&csrf, &p, "x").await, 422);
    let (_, html) = app.get("/participants?q=Peruuttaja").await;
    assert!(!html.contains("Peruuttaja, Maija"), "not found by search");
    let (_, csv) = app.get("/participants?q=&format=csv").await;
    assert!(!csv.contains("Peruuttaja"), "not in exports");
    assert_eq!(report().await, before, "the ESF+ record stays");
    let (status, html) = app.get(&p).await;
    assert_eq!(
        status, 200,
        "the record itself stays reachable to its counsellor"
    );
    assert!(html.contains("peruuttanut suostumuksensa"));
    // Granted again, all is as before.
    assert_eq!(consent("yes").await, 303);
    let (s, _, _) = app
        .post(&format!("{p}/notes"), &csrf, &[("body", "Uusi")])
        .await;
    assert_eq!(s, 303);
    let (_, html) = app.get("/participants?q=Peruuttaja").await;
    assert!(html.contains("Peruuttaja, Maija"));
});

db_test!(
    retention_job_erases_once_and_keeps_the_report,
    |app| async move {
        let org = app.org("AURA").await;
        app.user(org, "c@aura.example", Role::Counsellor).await;
        let ended = app.project(org, "S20363").await;
        let running = app.project(org, "S99999").await;
        let csrf = app.login("c@aura.example").await;
        for (day, project) in [(1, ended), (2, ended), (3, running)] {
            let (s, _, _) = app
                .enter(&csrf, project, &hetu(day, 8, 64, 912), "Säilytys")
                .await;
            assert_eq!(s, 303);
        }
        // Final payment in 2020, five years: erasable from 1.1.2026; the test's today is 2.3.2026.
        sqlx::query("UPDATE projects SET final_payment_date = '2020-03-15' WHERE id = $1")
            .bind(ended)
            .execute(app.db.pool())
            .await
            .unwrap();
        let report = || app.esf_bytes("S20363", "json", true);
        let before = report().await;
        let due = polku::retention::preview(&app.db, app.clock.today())
            .await
            .unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].code.as_str(), due[0].persons.len()), ("S20363", 2));
        // Two nodes run the job at once: each person is erased and logged once.
        let (a, b) = tokio::join!(
            polku::retention::run(&app.db, &app.clock),
            polku::retention::run(&app.db, &app.clock)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 2);
        assert_eq!(
            polku::retention::run(&app.db, &app.clock).await.unwrap(),
            0,
            "idempotent"
        );
        let logged: i64 = app
            .scalar("SELECT COUNT(*) FROM audit_log WHERE detail = 'erased: retention'")
            .await;
        assert_eq!(logged, 2);
        assert_eq!(report().await, before, "the ESF+ report is unchanged");
        let left: Vec<String> =
            sqlx::query_scalar("SELECT last_name FROM participants ORDER BY id")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert_eq!(
            left,
            ["", "", "Säilytys"],
            "only the ended project's persons"
        );
        let keep = polku::retention::preview(&app.db, app.clock.today())
            .await
            .unwrap();
        assert!(keep.iter().all(|d| d.persons.is_empty()));
    }
);

db_test!(an_ended_project_is_archived_read_only, |app| async move {
    let (project, csrf, p) = app
        .person_in(
            "TEHDAS",
            "c@tehdas.example",
            "S20364",
            &hetu(9, 9, 65, 914),
            "Arkisto",
        )
        .await;
    sqlx::query("UPDATE projects SET end_date = '2026-02-28' WHERE id = $1")
        .bind(project)
        .execute(app.db.pool())
        .await
        .unwrap();
    let exit = [
        ("exit_date", "28.2.2026"),
        ("exit_status", "employed_open"),
        ("version", "1"),
    ];
    for (path, form) in [
        (format!("{p}/notes"), vec![("body", "Uusi")]),
        (format!("{p}/exit"), exit.to_vec()),
        (
            format!("{p}/goals"),
            vec![("kind", "work"), ("description", "x")],
        ),
    ] {
        let (status, html, _) = app.post(&path, &csrf, &form).await;
        assert_eq!(status, 422, "{path}");
        assert!(html.contains("arkistoitu"), "{path}: {html}");
    }
    // Consents stay open: a withdrawal must always be possible.
    let consent = [("kind", "surveys"), ("granted", "no")];
    assert_eq!(
        app.post(&format!("{p}/consents"), &csrf, &consent).await.0,
        303
    );
    let (_, html) = app.get(&p).await;
    assert!(
        html.contains("arkistoitu") && !html.contains("/notes\""),
        "no note form"
    );
    assert!(html.contains(&format!("{p}/consents")) && html.contains(&format!("{p}/data")));
    // The API exits through the same use case, so it refuses an archived record too.
    let token = app.api_token(&app.client, &csrf, "t").await;
    let body =
        serde_json::json!({"exit_date": "28.2.2026", "exit_status": "employed_open", "version": 1});
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1{p}/exit")))
        .bearer_auth(&token)
        .json(&body)
        .sent()
        .await;
    assert_eq!(r.status(), 422);
    let exited: Option<String> = app
        .scalar_for(
            "SELECT exit_date FROM participants WHERE project_id = $1",
            project,
        )
        .await;
    assert_eq!(exited, None);
});

db_test!(right_of_access_as_pdf, |app| async move {
    let (_, csrf, p) = app
        .person_in(
            "VOIMA",
            "c@voima.example",
            "S21358",
            &hetu(7, 7, 67, 916),
            "Pääsy",
        )
        .await;
    app.post(
        &format!("{p}/notes"),
        &csrf,
        &[("body", "Ansioluettelo päivitetty")],
    )
    .await;
    let r = app
        .client
        .get(app.url(&format!("{p}/data?format=pdf")))
        .sent()
        .await;
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap();
    let text = pdf_text(&bytes, "access", app.db.backend());
    for expected in [
        "Pääsy",
        &hetu(7, 7, 67, 916),
        "Ansioluettelo päivitetty",
        "Aikajana",
        "15 artikla",
        "Salo",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
    assert!(
        !text.lines().any(|l| l.trim() == "734"),
        "the municipality by name, not code"
    );
});
