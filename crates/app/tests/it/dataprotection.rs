//! The data-protection capabilities of issue 9: the tamper-evident audit log, erasure that
//! keeps the funder's figures, the right of access.

use crate::common::*;
use polku_domain::authz::Role;
use polku_domain::clock::Clock;

/// Lets the test change the audit log as someone with direct database access could.
async fn disable_append_only(app: &TestApp) {
    let sql: &[&str] = match app.db.backend() {
        polku_store::Backend::Postgres => {
            &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"]
        }
        polku_store::Backend::Sqlite => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
    };
    for s in sql {
        sqlx::query(s).execute(app.db.pool()).await.unwrap();
    }
}

async fn problems(app: &TestApp, anchors: &[(i64, String)]) -> Vec<String> {
    polku_store::audit::verify(&app.db, anchors)
        .await
        .unwrap()
        .problems
}

db_test!(
    audit_verify_detects_changes_made_in_the_database,
    |app| async move {
        let (_, project, csrf) = app.counsellor_in("Salo", "c@salo.example", "S21358").await;
        for day in [1, 2] {
            let (status, _, _) = app
                .enter(&csrf, project, &hetu(day, 1, 70, 902), "Nimi")
                .await;
            assert_eq!(status, 303);
        }
        app.get("/participants").await;
        let v = polku_store::audit::verify(&app.db, &[]).await.unwrap();
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert!(v.entries >= 4, "{}", v.entries);
        let anchor = v.head.clone().unwrap();
        assert!(problems(app, std::slice::from_ref(&anchor))
            .await
            .is_empty());

        disable_append_only(app).await;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM audit_log ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        // An altered entry.
        sqlx::query("UPDATE audit_log SET detail = 'nothing to see' WHERE id = $1")
            .bind(ids[1])
            .execute(app.db.pool())
            .await
            .unwrap();
        let found = problems(app, &[]).await;
        assert_eq!(
            found,
            [format!("entry {}: its content was changed", ids[1])]
        );
        // A deleted entry.
        sqlx::query("DELETE FROM audit_log WHERE id = $1")
            .bind(ids[1])
            .execute(app.db.pool())
            .await
            .unwrap();
        let found = problems(app, &[]).await;
        assert!(
            found
                .iter()
                .any(|p| p.starts_with(&format!("entry {}: does not follow", ids[2]))),
            "{found:?}"
        );
        // The newest entry deleted and the head moved back: only the anchor tells.
        sqlx::query("DELETE FROM audit_log WHERE id > $1")
            .bind(ids[1])
            .execute(app.db.pool())
            .await
            .unwrap();
        let found = problems(app, std::slice::from_ref(&anchor)).await;
        assert!(
            found.iter().any(|p| p.contains("anchored but missing")),
            "{found:?}"
        );
    }
);

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
        let contact = [
            ("kind", "meeting"),
            ("date", "2.3.2026"),
            ("duration_min", "45"),
            ("summary", "Työkokeilupaikan haku"),
        ];
        let (s, _, _) = app.post(&format!("{p}/contacts"), &csrf, &contact).await;
        assert_eq!(s, 303);
        let (s, _, _) = app
            .post(
                &format!("{p}/exit"),
                &csrf,
                &[
                    ("exit_date", "1.6.2026"),
                    ("exit_status", "employed_open"),
                    ("version", "1"),
                ],
            )
            .await;
        assert_eq!(s, 303);
        let report = || async {
            polku::esf_report(&app.db, "S21358", "json", "fi", true, &app.clock)
                .await
                .unwrap()
        };
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
    let report = || polku::esf_report(&app.db, "S21358", "json", "fi", true, &app.clock);
    let before = report().await.unwrap();
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
    let contact = [
        ("kind", "meeting"),
        ("date", "2.3.2026"),
        ("duration_min", "30"),
        ("summary", "x"),
    ];
    let (s, _, _) = app.post(&format!("{p}/contacts"), &csrf, &contact).await;
    assert_eq!(s, 422);
    let (_, html) = app.get("/participants?q=Peruuttaja").await;
    assert!(!html.contains("Peruuttaja, Maija"), "not found by search");
    let (_, csv) = app.get("/participants?q=&format=csv").await;
    assert!(!csv.contains("Peruuttaja"), "not in exports");
    assert_eq!(report().await.unwrap(), before, "the ESF+ record stays");
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

db_test!(backup_and_restore_lose_nothing, |app| async move {
    let (org, project, csrf) = app
        .counsellor_in("VOIMA", "c@voima.example", "S21358")
        .await;
    for day in 1..=3 {
        app.enter(&csrf, project, &hetu(day, 6, 62, 908), "Varmuuskopio")
            .await;
    }
    let dir = std::env::temp_dir().join(format!(
        "polku-backup-{}-{:?}",
        std::process::id(),
        app.db.backend()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{:?}.backup", app.db.backend()));
    let _ = std::fs::remove_file(&file);
    polku::backup::backup(&app.db, &app.db_url, &file)
        .await
        .unwrap();
    let tables = [
        "participants",
        "users",
        "projects",
        "search_terms",
        "audit_log",
    ];
    let mut at_backup = vec![];
    for t in tables {
        at_backup.push(
            app.scalar::<i64>(&format!("SELECT COUNT(*) FROM {t}"))
                .await,
        );
    }
    // Written after the backup: not in it.
    app.enter(&csrf, project, &hetu(4, 6, 62, 908), "Myöhempi")
        .await;

    let target = match app.db.backend() {
        polku_store::Backend::Sqlite => format!("sqlite:{}", dir.join("restored.db").display()),
        polku_store::Backend::Postgres => {
            create_pg_database(&format!("polku_restore_{}", std::process::id())).await
        }
    };
    let _ = std::fs::remove_file(dir.join("restored.db"));
    polku::backup::restore(&target, &file).await.unwrap();
    assert!(
        polku::backup::restore(&target, &file).await.is_err(),
        "never over an existing database"
    );
    let restored = polku_store::Db::connect(&target).await.unwrap();
    for (t, n) in tables.iter().zip(at_backup) {
        let sql = format!("SELECT COUNT(*) FROM {t}");
        let got: i64 = sqlx::query_scalar(&sql)
            .fetch_one(restored.pool())
            .await
            .unwrap();
        assert_eq!(got, n, "{t}");
    }
    let audit = polku_store::audit::verify(&restored, &[]).await.unwrap();
    assert!(audit.problems.is_empty(), "{:?}", audit.problems);
    // Identity codes still decrypt with the same key file.
    let row = polku_store::participants::search(
        &mut restored.acquire().await.unwrap(),
        &app.cipher,
        org,
        &hetu(2, 6, 62, 908),
        None,
        5,
    )
    .await
    .unwrap();
    assert_eq!(row.len(), 1);
    assert_eq!(
        polku_store::participants::hetu(&app.cipher, &row[0])
            .unwrap()
            .as_deref(),
        Some(hetu(2, 6, 62, 908).as_str())
    );
    restored.close().await;
    if let polku_store::Backend::Postgres = app.db.backend() {
        let name = target.rsplit('/').next().unwrap().to_string();
        let admin = polku_store::Db::connect_raw(&pg_admin_url()).await.unwrap();
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin)
            .await;
    }
    let _ = std::fs::remove_dir_all(&dir);
});

db_test!(keys_rotate_while_serving, |app| async move {
    let (_, project, csrf) = app
        .counsellor_in("VOIMA", "c@voima.example", "S21358")
        .await;
    for day in 1..=4 {
        app.enter(&csrf, project, &hetu(day, 7, 63, 910), "Avain")
            .await;
    }
    let dir = std::env::temp_dir().join(format!(
        "polku-keys-{}-{:?}",
        std::process::id(),
        app.db.backend()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("keys.json");
    std::fs::write(&path, serde_json::to_string(&app.keys).unwrap()).unwrap();

    let (id, n) = polku::keys::rotate(&app.db, &path).await.unwrap();
    assert_eq!((id.as_str(), n), ("k2", 4));
    let rotated = polku::load_or_create_keys(&path).unwrap();
    let stored: Vec<String> = sqlx::query_scalar("SELECT hetu_enc FROM participants ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    for (day, enc) in (1..=4).zip(&stored) {
        assert!(enc.starts_with("k2:"), "{enc}");
        assert_eq!(rotated.decrypt(enc).unwrap(), hetu(day, 7, 63, 910));
    }
    // The app still runs with the old file: it writes under k1, which the new file reads, and
    // its search by identity code works (the blind index key is unchanged).
    app.enter(&csrf, project, &hetu(5, 7, 63, 910), "Avain")
        .await;
    let (_, html) = app
        .get(&format!("/participants?q={}", hetu(2, 7, 63, 910)))
        .await;
    assert!(html.contains("Avain, Maija"));
    assert!(
        polku::keys::retire(&app.db, &path, "k1").await.is_err(),
        "k1 still in use"
    );
    assert_eq!(polku::keys::reencrypt(&app.db, &rotated).await.unwrap(), 1);
    assert!(
        polku::keys::retire(&app.db, &path, "k2").await.is_err(),
        "never the current key"
    );
    polku::keys::retire(&app.db, &path, "k1").await.unwrap();
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(file["current"], "k2");
    assert!(file["keys"].get("k1").is_none());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600, "key file");
        if let Some(db) = app.db_url.strip_prefix("sqlite:") {
            assert_eq!(mode(std::path::Path::new(db)), 0o600, "SQLite file");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
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
        let report = || polku::esf_report(&app.db, "S20363", "json", "fi", true, &app.clock);
        let before = report().await.unwrap();
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
        assert_eq!(
            report().await.unwrap(),
            before,
            "the ESF+ report is unchanged"
        );
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
