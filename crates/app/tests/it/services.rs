use crate::common::*;
use polku_domain::authz::Role;

/// Organisation with a counsellor (logged in), a project and `n` participants.
async fn setup(app: &TestApp, n: usize) -> (String, i64, Vec<i64>) {
    let (_, project, csrf) = app
        .counsellor_in("Luksia", "c@luksia.example", "S20364")
        .await;
    let hetus = ["131052-308T", "010594Y9032", "010105A963T", "150560-1235"];
    let mut ids = vec![];
    for (i, h) in hetus.iter().take(n).enumerate() {
        let (_, _, loc) = app
            .post(
                "/participants",
                &csrf,
                &borrow(&intake(project, h, &format!("Osallistuja{i}"))),
            )
            .await;
        ids.push(
            loc.expect("participant created")
                .rsplit('/')
                .next()
                .unwrap()
                .parse()
                .unwrap(),
        );
    }
    (csrf, project, ids)
}

async fn service(app: &TestApp, csrf: &str, project: i64, capacity: &str) -> i64 {
    let (status, html, loc) = app
        .post(
            "/services",
            csrf,
            &[
                ("kind", "group_coaching"),
                ("name", "Lohjan ryhmä"),
                ("project_id", &project.to_string()),
                ("town", "Lohja"),
                ("capacity", capacity),
                ("starts_on", "2.3.2026"),
                ("ends_on", "30.4.2026"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    loc.unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

/// Posts a new workshop of `project` with `more` fields: (status, page, location).
async fn new_workshop(
    app: &TestApp,
    csrf: &str,
    project: i64,
    name: &str,
    more: &[(&str, &str)],
) -> (u16, String, Option<String>) {
    let project = project.to_string();
    let mut form = vec![
        ("kind", "workshop"),
        ("name", name),
        ("project_id", &project),
    ];
    form.extend_from_slice(more);
    app.post("/services", csrf, &form).await
}

db_test!(
    capacity_waiting_list_and_attendance_rates,
    |app| async move {
        let (csrf, project, p) = setup(app, 4).await;
        let s = service(app, &csrf, project, "2").await;
        let enrol = |pid: i64, wait: bool| {
            let mut f = vec![("participant_id", pid.to_string())];
            if wait {
                f.push(("waitlist", "on".into()));
            }
            f
        };
        assert_eq!(
            app.post(
                &format!("/services/{s}/enrol"),
                &csrf,
                &borrow(&enrol(p[0], false))
            )
            .await
            .0,
            303
        );
        assert_eq!(
            app.post(
                &format!("/services/{s}/enrol"),
                &csrf,
                &borrow(&enrol(p[1], false))
            )
            .await
            .0,
            303
        );
        // Full: refused with a clear message, nothing written.
        let (status, html, _) = app
            .post(
                &format!("/services/{s}/enrol"),
                &csrf,
                &borrow(&enrol(p[2], false)),
            )
            .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("Ryhmä on täynnä, joten ilmoittautumista ei tehty."),
            "{html}"
        );
        let n: i64 = app.scalar("SELECT COUNT(*) FROM enrolments").await;
        assert_eq!(n, 2);
        // Twice the same person: refused.
        let (status, html, _) = app
            .post(
                &format!("/services/{s}/enrol"),
                &csrf,
                &borrow(&enrol(p[0], true)),
            )
            .await;
        assert_eq!(
            (status, html.contains("Asiakas on jo ilmoittautunut")),
            (422, true)
        );
        // Waiting list in order; a cancellation promotes the first in the queue.
        assert_eq!(
            app.post(
                &format!("/services/{s}/enrol"),
                &csrf,
                &borrow(&enrol(p[2], true))
            )
            .await
            .0,
            303
        );
        app.clock
            .set(app.clock_now() + chrono::Duration::minutes(1));
        assert_eq!(
            app.post(
                &format!("/services/{s}/enrol"),
                &csrf,
                &borrow(&enrol(p[3], true))
            )
            .await
            .0,
            303
        );
        let (_, html) = app.get(&format!("/services/{s}")).await;
        assert!(html.contains("2 / 2 – täynnä"));
        assert_eq!(
            app.post(
                &format!("/services/{s}/enrolments/{}/cancel", p[0]),
                &csrf,
                &[]
            )
            .await
            .0,
            303
        );
        let status: Vec<(i64, String)> =
            sqlx::query_as("SELECT participant_id, status FROM enrolments ORDER BY participant_id")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert_eq!(
            status,
            vec![
                (p[0], "cancelled".into()),
                (p[1], "enrolled".into()),
                (p[2], "enrolled".into()),
                (p[3], "waiting".into())
            ]
        );
        let count: i64 = app.scalar("SELECT enrolled_count FROM services").await;
        assert_eq!(count, 2);

        // Two sessions; attendance per session; rates per person and for the group.
        for (d, t) in [("2.3.2026", "9"), ("3.3.2026", "9.00")] {
            assert_eq!(
                app.post(
                    &format!("/services/{s}/sessions"),
                    &csrf,
                    &[
                        ("date", d),
                        ("start_time", t),
                        ("end_time", "15.30"),
                        ("place", "Lohjan Toimari")
                    ]
                )
                .await
                .0,
                303
            );
        }
        let (status, html, _) = app
            .post(
                &format!("/services/{s}/sessions"),
                &csrf,
                &[
                    ("date", "4.3.2026"),
                    ("start_time", "25"),
                    ("end_time", "15"),
                ],
            )
            .await;
        assert_eq!((status, html.contains("Kellonaika ei kelpaa")), (422, true));
        let sessions: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM service_sessions ORDER BY starts_at")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        let a = |pid: i64| format!("a_{pid}");
        let (k1, k2) = (a(p[1]), a(p[2]));
        assert_eq!(
            mark(
                app,
                &csrf,
                s,
                sessions[0],
                &[(k1.as_str(), "present"), (k2.as_str(), "present")]
            )
            .await,
            303
        );
        assert_eq!(
            mark(
                app,
                &csrf,
                s,
                sessions[1],
                &[(k1.as_str(), "present"), (k2.as_str(), "excused")]
            )
            .await,
            303
        );
        // Someone not enrolled cannot be marked.
        let k3 = a(p[3]);
        assert_eq!(
            mark(app, &csrf, s, sessions[1], &[(k3.as_str(), "present")]).await,
            422
        );
        let (_, html) = app.get(&format!("/services/{s}")).await;
        assert!(
            html.contains("<strong id=\"group-rate\">75,0\u{a0}%</strong> (3 / 4)"),
            "group rate"
        );
        assert!(
            html.contains("100,0\u{a0}% (2/2)") && html.contains("50,0\u{a0}% (1/2)"),
            "per-person rates"
        );
        let (_, html) = app.get(&format!("/participants/{}", p[2])).await;
        assert!(
            html.contains("Lohjan ryhmä") && html.contains("50,0\u{a0}% (1/2)"),
            "on the participant's page"
        );
        // Re-marking overwrites the same session's mark (one mark per person and session).
        assert_eq!(
            mark(app, &csrf, s, sessions[1], &[(k2.as_str(), "present")]).await,
            303
        );
        let (_, html) = app.get(&format!("/services/{s}")).await;
        assert!(html.contains("<strong id=\"group-rate\">100,0\u{a0}%</strong> (4 / 4)"));
    }
);

db_test!(
    last_seat_goes_to_exactly_one_of_concurrent_enrolments,
    |app| async move {
        let (csrf, project, p) = setup(app, 4).await;
        let s = service(app, &csrf, project, "1").await;
        let mut handles = vec![];
        for pid in p.clone() {
            let client = app.client.clone();
            let url = app.url(&format!("/services/{s}/enrol"));
            let csrf = csrf.clone();
            handles.push(tokio::spawn(async move {
                client
                    .post(url)
                    .form(&[("csrf", csrf), ("participant_id", pid.to_string())])
                    .sent()
                    .await
                    .status()
                    .as_u16()
            }));
        }
        let mut codes = vec![];
        for h in handles {
            codes.push(h.await.unwrap());
        }
        codes.sort();
        assert_eq!(codes, vec![303, 422, 422, 422], "one seat, one enrolment");
        let (enrolled, count): (i64, i64) = sqlx::query_as("SELECT (SELECT COUNT(*) FROM enrolments WHERE status = 'enrolled'), (SELECT enrolled_count FROM services)").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!((enrolled, count), (1, 1));
    }
);

db_test!(participant_run_module_needs_approval, |app| async move {
    let (csrf, project, p) = setup(app, 2).await;
    let proposer = p[0].to_string();
    let (status, html, _) = new_workshop(
        app,
        &csrf,
        project,
        "Kielikahvila",
        &[("offered_by", "participant")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Asiakas, joka vetää moduulin: Tämä tieto on pakollinen."));
    let (status, _, loc) = new_workshop(
        app,
        &csrf,
        project,
        "Kielikahvila",
        &[
            ("offered_by", "participant"),
            ("proposed_by_participant_id", &proposer),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let loc = loc.unwrap();
    let (_, html) = app.get(&loc).await;
    assert!(
        html.contains("odottaa hyväksyntää")
            && html.contains("Asiakkaan Maija Osallistuja0 ehdottama moduuli")
    );
    // Another organisation does not see the pending proposal in the catalogue.
    let other = app.org("Muu").await;
    app.user(other, "x@muu.example", Role::Counsellor).await;
    let b = TestApp::new_client();
    app.login_as(&b, "x@muu.example").await;
    let html = b.get(app.url("/services")).text_body().await;
    assert!(!html.contains("Kielikahvila"));
    assert_eq!(b.get(app.url(&loc)).sent().await.status(), 404);
    let (status, html, _) = app
        .post(
            &format!("{loc}/enrol"),
            &csrf,
            &[("participant_id", &p[1].to_string())],
        )
        .await;
    assert_eq!(
        (status, html.contains("Moduulia ei ole vielä hyväksytty.")),
        (422, true)
    );
    assert_eq!(
        app.post(
            &format!("{loc}/approval"),
            &csrf,
            &[("decision", "approved")]
        )
        .await
        .0,
        303
    );
    assert_eq!(
        app.post(
            &format!("{loc}/enrol"),
            &csrf,
            &[("participant_id", &p[1].to_string())]
        )
        .await
        .0,
        303
    );
    let html = b.get(app.url("/services?q=kieli")).text_body().await;
    assert!(
        html.contains("Kielikahvila"),
        "approved modules are in the shared catalogue"
    );
    let html = b.get(app.url(&loc)).text_body().await;
    assert!(
        !html.contains("Osallistuja1"),
        "other organisations never see who takes part"
    );
    assert_eq!(
        b.post(app.url(&format!("{loc}/enrol")))
            .form(&[("participant_id", "1")])
            .sent()
            .await
            .status(),
        403
    );
});

db_test!(guidance_contacts_on_the_timeline, |app| async move {
    let (csrf, _, p) = setup(app, 1).await;
    let loc = format!("/participants/{}", p[0]);
    let (status, html, _) = app
        .post(
            &format!("{loc}/contacts"),
            &csrf,
            &[
                ("kind", "phone"),
                ("date", "3.3.2026"),
                ("duration_min", "20"),
                ("summary", "Soitto"),
            ],
        )
        .await;
    assert_eq!(
        (status, html.contains("Päivämäärä on ristiriidassa")),
        (422, true),
        "no contacts in the future"
    );
    assert_eq!(
        app.post(
            &format!("{loc}/contacts"),
            &csrf,
            &[
                ("kind", "phone"),
                ("date", "2.3.2026"),
                ("duration_min", "20"),
                ("summary", "Työkokeilupaikan haku")
            ]
        )
        .await
        .0,
        303
    );
    assert_eq!(
        app.post(&format!("{loc}/notes"), &csrf, &[("body", "CV päivitetty")])
            .await
            .0,
        303
    );
    let (_, html) = app.get(&loc).await;
    assert!(
        html.contains("Ohjaus</span>: puhelu 20 min – Työkokeilupaikan haku"),
        "{html}"
    );
    assert!(
        html.contains("Muistiinpano</span>: CV päivitetty")
            && html.contains("Aloitti hankkeessa</span>: S20364")
    );
    assert!(
        html.contains("Suostumus</span>: tietojen käsittely hankkeessa: annettu"),
        "consents on the timeline"
    );
    assert_eq!(
        app.post(
            &format!("{loc}/goals"),
            &csrf,
            &[("kind", "training"), ("description", "Lähihoitajaopinnot")]
        )
        .await
        .0,
        303
    );
    let (_, html) = app.get(&loc).await;
    assert!(
        html.contains("Tavoite</span>: koulutus: Lähihoitajaopinnot"),
        "goals on the timeline"
    );
});

db_test!(services_for_target_groups_only, |app| async move {
    let (csrf, project, p) = setup(app, 2).await;
    let rules = polku_domain::eligibility::Rules {
        min_age: Some(45),
        ..Default::default()
    };
    let tg = app.target_group(project, "Yli 45-vuotiaat", &rules).await;
    sqlx::query("UPDATE participants SET target_group_id = $1 WHERE id = $2")
        .bind(tg.0)
        .bind(p[0])
        .execute(app.db.pool())
        .await
        .unwrap();
    let (status, _, loc) = new_workshop(
        app,
        &csrf,
        project,
        "45+ työpaja",
        &[("tg", &tg.0.to_string())],
    )
    .await;
    assert_eq!(status, 303);
    let loc = loc.unwrap();
    let (_, html) = app.get(&loc).await;
    assert!(html.contains(r#"<dd id="target-groups">Yli 45-vuotiaat</dd>"#));
    let (status, html, _) = app
        .post(
            &format!("{loc}/enrol"),
            &csrf,
            &[("participant_id", &p[1].to_string())],
        )
        .await;
    assert_eq!(
        (
            status,
            html.contains("Asiakas ei kuulu tämän palvelun kohderyhmiin.")
        ),
        (422, true)
    );
    assert_eq!(
        app.post(
            &format!("{loc}/enrol"),
            &csrf,
            &[("participant_id", &p[0].to_string())]
        )
        .await
        .0,
        303
    );
    // A target group of another project cannot be attached.
    let other = app.project(app.org("Muu").await, "X1").await;
    let foreign = app.target_group(other, "Muu", &rules).await;
    let (status, html, _) =
        new_workshop(app, &csrf, project, "X", &[("tg", &foreign.0.to_string())]).await;
    assert_eq!((status, html.contains("Valinta ei kelpaa")), (422, true));
});

/// Saves attendance marks for a session through its page; the response status.
async fn mark(
    app: &TestApp,
    csrf: &str,
    service: i64,
    session: i64,
    marks: &[(&str, &str)],
) -> u16 {
    app.post(
        &format!("/services/{service}/sessions/{session}"),
        csrf,
        marks,
    )
    .await
    .0
}
