use crate::common::*;
use polku_domain::authz::Role;

async fn counsellor_with_project(app: &TestApp) -> (i64, String) {
    let (_, project, csrf) = app
        .counsellor_in("Salon kaupunki", "c@salo.example", "S21358")
        .await;
    (project, csrf)
}

db_test!(
    invalid_intake_gets_translated_errors_and_keeps_input,
    |app| async move {
        let (project, csrf) = counsellor_with_project(app).await;
        let mut form = intake(project, "131052-308A", "Virtanen");
        form.retain(|(k, _)| *k != "entry_date");
        form.push(("entry_date", "31.2.2026".into()));
        form.push(("email", "maija@".into()));
        let (status, html, _) = app.post("/participants", &csrf, &borrow(&form)).await;
        assert_eq!(status, 422);
        assert!(
            html.contains("Henkilötunnuksen tarkistusmerkki ei täsmää."),
            "hetu error in Finnish"
        );
        assert!(
            html.contains("Päivämäärä ei kelpaa. Kirjoita muodossa p.k.vvvv"),
            "date error in Finnish"
        );
        assert!(html.contains("Sähköpostiosoite ei kelpaa."));
        assert!(
            html.contains(r#"value="131052-308A""#) && html.contains(r#"value="Virtanen""#),
            "nothing typed is lost"
        );
        assert!(
            html.contains(r#"aria-invalid="true" aria-describedby="e-hetu"#),
            "errors are tied to their fields"
        );
        // Swedish and English, as the user switches the language.
        for (lang, text) in [
            ("sv", "Personbeteckningens kontrolltecken stämmer inte."),
            (
                "en",
                "The check character of the personal identity code does not match.",
            ),
        ] {
            assert_eq!(
                app.post("/lang", &csrf, &[("lang", lang), ("back", "/")])
                    .await
                    .0,
                303
            );
            let r = app
                .client
                .post(app.url("/participants"))
                .form(&{
                    let mut f = borrow(&form);
                    f.push(("csrf", csrf.as_str()));
                    f
                })
                .sent()
                .await;
            assert_eq!(r.status(), 422);
            assert!(r.text().await.unwrap().contains(text), "{lang}");
        }
        let n: i64 = app.scalar("SELECT COUNT(*) FROM participants").await;
        assert_eq!(n, 0);
    }
);

db_test!(intake_search_and_record, |app| async move {
    let (project, csrf) = counsellor_with_project(app).await;
    // A VOIMA-like target group: 200+ subsidy days in Salo.
    let (status, _, _) = app
        .post(
            &format!("/projects/{project}/target-groups"),
            &csrf,
            &[("name", "200+ päivää")],
        )
        .await;
    assert_eq!(status, 403, "a counsellor may not change the project");
    let rules = polku_domain::eligibility::Rules {
        min_subsidy_days: Some(200),
        municipalities: vec!["734".into()],
        ..Default::default()
    };
    let tg = app.target_group(project, "200+ päivää", &rules).await;
    let mut form = intake(project, "131052-308T", "Kärkkäinen");
    form.push(("target_group_id", tg.0.to_string()));
    let (status, _, loc) = app.post("/participants", &csrf, &borrow(&form)).await;
    assert_eq!(status, 303);
    let loc = loc.unwrap();
    let (status, html) = app.get(&loc).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Maija Kärkkäinen")
            && html.contains("131052-308T")
            && html.contains("13.10.1952")
    );
    assert!(
        html.contains("Kohderyhmäkelpoisuus: täyttyy"),
        "eligibility verdict explained"
    );
    // Stored encrypted, searchable through the blind index.
    let stored: String = app.scalar("SELECT hetu_enc FROM participants").await;
    assert!(!stored.contains("131052") && stored.starts_with("k1:"));
    for q in ["kärk", "MAIJA kärkkäinen", "131052-308t"] {
        let (status, html) = app
            .get(&format!("/participants?q={}", q.replace(' ', "+")))
            .await;
        assert_eq!(status, 200);
        assert!(html.contains("Kärkkäinen, Maija"), "search {q}");
    }
    let (_, html) = app.get("/participants?q=virtanen").await;
    assert!(html.contains("Ei hakutuloksia."));
    // htmx asks for the results fragment only.
    let r = app
        .client
        .get(app.url("/participants?q=maija"))
        .header("hx-request", "true")
        .sent()
        .await;
    let frag = r.text().await.unwrap();
    assert!(frag.contains("Kärkkäinen, Maija") && !frag.contains("<html"));
    // Same person again in the same project while active: refused clearly.
    let (status, html, _) = app.enter(&csrf, project, "131052-308T", "Kärkkäinen").await;
    assert_eq!(status, 422);
    assert!(html.contains("Sama tieto on jo tallennettu"));
    // Plan, note, consent.
    assert_eq!(
        app.post(
            &format!("{loc}/goals"),
            &csrf,
            &[
                ("kind", "work"),
                ("description", "Kiinteistöhuollon työ"),
                ("target_date", "1.9.2026")
            ]
        )
        .await
        .0,
        303
    );
    let goal: i64 = app.scalar("SELECT id FROM goals").await;
    assert_eq!(
        app.post(
            &format!("{loc}/goals/{goal}/steps"),
            &csrf,
            &[
                ("description", "Työkokeilu Yrityssalossa"),
                ("due_date", "1.5.2026")
            ]
        )
        .await
        .0,
        303
    );
    assert_eq!(
        app.post(
            &format!("{loc}/notes"),
            &csrf,
            &[("body", "Alkuhaastattelu tehty.")]
        )
        .await
        .0,
        303
    );
    assert_eq!(
        app.post(
            &format!("{loc}/consents"),
            &csrf,
            &[("kind", "share_with_partners"), ("granted", "yes")]
        )
        .await
        .0,
        303
    );
    let (_, html) = app.get(&loc).await;
    assert!(
        html.contains("Kiinteistöhuollon työ")
            && html.contains("Työkokeilu Yrityssalossa")
            && html.contains("1.5.2026")
            && html.contains("Alkuhaastattelu tehty.")
    );
    assert!(html.contains("tietojen luovutus kumppaneille: annettu"));
    // Reads and writes of personal data are in the audit log.
    let pid: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity = 'participant' AND entity_id = $1 ORDER BY id",
    )
    .bind(pid)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(actions.first().map(String::as_str), Some("create"));
    assert!(actions.iter().filter(|a| *a == "read").count() >= 2);
});

db_test!(concurrent_exit_edits_do_not_overwrite, |app| async move {
    let (project, csrf) = counsellor_with_project(app).await;
    let (_, _, loc) = app.enter(&csrf, project, "010594Y9032", "Laine").await;
    let loc = loc.unwrap();
    // Two counsellors opened the page at version 1.
    let (status, _, _) = app
        .post(
            &format!("{loc}/exit"),
            &csrf,
            &[
                ("exit_date", "30.6.2026"),
                ("exit_status", "employed_open"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, html, _) = app
        .post(
            &format!("{loc}/exit"),
            &csrf,
            &[
                ("exit_date", "1.7.2026"),
                ("exit_status", "unemployed"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("Joku muu tallensi tiedot sillä välin."));
    let status: String = app.scalar("SELECT exit_status FROM participants").await;
    assert_eq!(status, "employed_open", "the first save stands");
    // Exit before entry is refused with a translated message.
    let (status, html, _) = app
        .post(
            &format!("{loc}/exit"),
            &csrf,
            &[
                ("exit_date", "1.1.2026"),
                ("exit_status", "unemployed"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Päivämäärä on ristiriidassa"));
    // Editing the intake with a stale version keeps the typed values and says why.
    let mut form = intake(project, "010594Y9032", "Laine-Uusi");
    form.push(("version", "1".into()));
    let (status, html, _) = app.post(&loc, &csrf, &borrow(&form)).await;
    assert_eq!(status, 409);
    assert!(html.contains("Laine-Uusi") && html.contains("kirjoittamasi tiedot ovat tallella"));
});

db_test!(project_edit_conflict_and_validation, |app| async move {
    let org = app.org("Edupoli").await;
    app.user(org, "pm@edupoli.example", Role::ProjectManager)
        .await;
    let csrf = app.login("pm@edupoli.example").await;
    let base = [
        ("code", "S20363"),
        ("name", "AURA"),
        ("start_date", "1.9.2015"),
        ("end_date", "31.12.2017"),
        ("municipalities", "Vantaa, Espoo"),
        ("target_participants", "255"),
        ("budget_public", "373 016"),
        ("budget_granted", "279 762"),
        ("budget_realised", "327 883"),
    ];
    let (status, _, loc) = app.post("/projects", &csrf, &base).await;
    assert_eq!(status, 303);
    let loc = loc.unwrap();
    let (_, html) = app.get(&loc).await;
    assert!(
        html.contains("373\u{a0}016\u{a0}€")
            && html.contains("279\u{a0}762\u{a0}€")
            && html.contains("327\u{a0}883\u{a0}€")
    );
    assert!(html.contains("Vantaa, Espoo") && html.contains("1.9.2015–31.12.2017"));
    // Co-implementers are added on the project page.
    let partner = app.org("Espoon kaupunki").await;
    assert_eq!(
        app.post(
            &format!("{loc}/partners"),
            &csrf,
            &[("org_id", &partner.to_string()), ("role", "co_implementer")]
        )
        .await
        .0,
        303
    );
    let (_, html) = app.get(&loc).await;
    assert!(html.contains("Espoon kaupunki (osatoteuttaja)"));
    let mut bad = base.to_vec();
    bad[3] = ("end_date", "31.8.2015");
    let (status, html, _) = app.post("/projects", &csrf, &bad).await;
    assert_eq!(status, 422);
    assert!(html.contains("Päivämäärä on ristiriidassa"));
    let mut edit = base.to_vec();
    edit.push(("version", "1"));
    edit[1] = ("name", "AURA 2");
    assert_eq!(app.post(&loc, &csrf, &edit).await.0, 303);
    edit[1] = ("name", "AURA 3");
    let (status, html, _) = app.post(&loc, &csrf, &edit).await;
    assert_eq!(status, 409);
    assert!(
        html.contains("AURA 3"),
        "the stale edit is shown for re-saving, not lost"
    );
    let name: String = app.scalar("SELECT name FROM projects").await;
    assert_eq!(name, "AURA 2");
});
