#[allow(unused_imports)]
use crate::common::*;

db_test!(demo_loads_the_five_seed_projects, |app| async move {
    let summary = polku::demo::load(&app.db, &app.cipher, &app.clock)
        .await
        .unwrap();
    assert!(
        summary.contains("S21358 VOIMA: 257 participants"),
        "{summary}"
    );
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT p.code, COUNT(x.id) FROM projects p LEFT JOIN participants x ON x.project_id = p.id GROUP BY p.code ORDER BY p.code")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ("KOPA-2011".into(), 11),
            ("S20363".into(), 244),
            ("S20364".into(), 304),
            // Töitä!'s 268, and the city's own records of the two it took in by referral.
            ("S20494".into(), 270),
            ("S21358".into(), 257),
            ("S21358-2".into(), 24),
            // The college's record of the one VOIMA referred that it took in.
            ("SSAO-2026".into(), 1)
        ]
    );
    // The partner network: Töitä!'s university and city refer to each other's groups, VOIMA to
    // the college and Kela, the TE office to KoPa; each referral by where it stands.
    let referrals: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT COALESCE(f.name, r.referrer_kind), t.name, r.status, COUNT(*) FROM referrals r \
         LEFT JOIN organisations f ON f.id = r.from_org_id JOIN organisations t ON t.id = r.to_org_id \
         GROUP BY COALESCE(f.name, r.referrer_kind), t.name, r.status ORDER BY 1, 2, 3",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let row = |f: &str, t: &str, s: &str, n: i64| (f.to_string(), t.to_string(), s.to_string(), n);
    assert_eq!(
        referrals,
        vec![
            row("Salon kaupunki", "Kela, Salon toimisto", "declined", 1),
            row("Salon kaupunki", "Kela, Salon toimisto", "sent", 1),
            row(
                "Salon kaupunki",
                "Salon seudun ammattiopisto",
                "accepted",
                1
            ),
            row("Salon kaupunki", "Salon seudun ammattiopisto", "sent", 1),
            row("Turun kaupunki", "Turun yliopisto", "accepted", 1),
            row("Turun yliopisto", "Turun kaupunki", "completed", 1),
            row("Turun yliopisto", "Turun kaupunki", "declined", 1),
            row("Turun yliopisto", "Turun kaupunki", "started", 1),
            row("te_office", "Asumispalvelusäätiö ASPA", "accepted", 11),
        ]
    );
    // VOIMA's reported exit shares: 44 % employed, 14.5 % education, 4.5 % outside, 19 % job seeking, 18 % unemployed.
    let shares: Vec<(String, i64)> = sqlx::query_as("SELECT x.exit_status, COUNT(*) FROM participants x JOIN projects p ON p.id = x.project_id WHERE p.code = 'S21358' GROUP BY x.exit_status ORDER BY x.exit_status")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    let pct = |keys: &[&str]| {
        (shares
            .iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .map(|(_, n)| *n)
            .sum::<i64>() as f64)
            * 100.0
            / 257.0
    };
    assert!((pct(&["employed_open", "employed_subsidised", "self_employed"]) - 44.0).abs() < 0.5);
    // Each has a guidance summary, found by what was discussed in any inflected form.
    let org: i64 = app
        .scalar("SELECT owner_org_id FROM projects WHERE code = 'S21358'")
        .await;
    let mut conn = app.db.acquire().await.unwrap();
    let found = polku_store::participants::search(
        &mut conn,
        &app.cipher,
        polku_domain::ids::OrgId(org),
        "työkokeiluun",
        None,
        500,
    )
    .await
    .unwrap();
    assert!(
        found.len() > 10 && found.len() < 100,
        "{} of 257 discussed a work trial",
        found.len()
    );
    assert!((pct(&["education"]) - 14.5).abs() < 0.6);
    assert!((pct(&["outside_labour_force"]) - 4.5).abs() < 0.5);
    assert!((pct(&["job_searching"]) - 19.0).abs() < 0.5);
    assert!((pct(&["unemployed"]) - 18.0).abs() < 0.5);
    // The seeds' programmes: TEHDAS's groups in four towns (capacity 20, two waiting each) with a
    // partner-run exercise group and a participant-run language café; AURA's Startti; VOIMA's
    // drop-in week with partner shifts and one open slot.
    let programmes: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT s.name, s.enrolled_count, (SELECT COUNT(*) FROM service_sessions x WHERE x.service_id = s.id), s.offered_by FROM services s ORDER BY s.id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    for town in ["Lohja", "Vihti", "Karkkila", "Hanko"] {
        assert!(
            programmes.contains(&(
                format!("TEHDAS-ryhmä {town}, 20 päivää"),
                20,
                20,
                "staff".into()
            )),
            "{town}: {programmes:?}"
        );
    }
    assert!(programmes.contains(&(
        "Startti-valmennus, syksy 2015".into(),
        20,
        5,
        "staff".into()
    )));
    assert!(programmes
        .iter()
        .any(|p| p.0.starts_with("Kielikahvila") && p.3 == "participant" && p.1 == 8));
    assert!(programmes
        .iter()
        .any(|p| p.0 == "Ohjattu liikuntaryhmä" && p.3 == "partner"));
    let shifts: Vec<(Option<String>, String)> = sqlx::query_as("SELECT o.name, s.starts_at FROM duty_shifts s LEFT JOIN organisations o ON o.id = s.org_id WHERE s.starts_at < '2020' ORDER BY s.starts_at")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(shifts.len(), 7);
    assert!(
        shifts
            .iter()
            .any(|(o, _)| o.as_deref() == Some("Yrityssalo Oy"))
            && shifts.iter().any(|(o, _)| o.is_none())
    );
    let (registered, anonymous): (i64, i64) = sqlx::query_as("SELECT CAST(SUM(CASE WHEN participant_id IS NULL THEN 0 ELSE 1 END) AS BIGINT), CAST(SUM(anonymous_count) AS BIGINT) FROM visits WHERE date < '2020-01-01'").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(registered, 12);
    assert!(anonymous >= 16);
    // Every demo identity code is valid and decrypts; a second load changes nothing.
    let enc: Vec<String> = sqlx::query_scalar("SELECT hetu_enc FROM participants")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    for e in enc.iter().take(50) {
        assert!(polku_domain::validated::Hetu::parse(&app.cipher.decrypt(e).unwrap()).is_ok());
    }
    let again = polku::demo::load(&app.db, &app.cipher, &app.clock)
        .await
        .unwrap();
    assert!(again.contains("S20363 already present"));
    // The demo counsellor can log in and find their participants.
    app.login_with(
        &app.client,
        "ohjaaja.voima@polku.example",
        polku::demo::DEMO_PASSWORD,
    )
    .await;
    let (status, html) = app.get("/participants?q=a").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("S21358") && !html.contains("S20363"),
        "only the own organisation's participants"
    );
    // Alive on the first run (the test's today is Monday 2.3.2026): follow-ups falling due, one
    // overdue, on the front page; this week's group session and duty shifts in the calendar;
    // the drop-in week with partners' shifts and one free.
    let (_, home) = app.get("/").await;
    assert!(home.contains("seurantaa tehtävänä"), "{home}");
    assert!(home.contains("class=\"overdue\""), "{home}");
    let (_, calendar) = app.get("/calendar").await;
    assert!(
        calendar.contains("Työnhakuryhmä") && calendar.contains("3.3.2026"),
        "{calendar}"
    );
    let point: i64 = app.scalar("SELECT MAX(id) FROM dropin_points").await;
    let (_, week) = app.get(&format!("/dropin/{point}")).await;
    assert!(week.contains("Viikko 2.3.2026 alkaen"), "{week}");
    assert!(
        week.contains("Kela, Salon toimisto") && week.contains("vapaa vuoro"),
        "{week}"
    );
    // Employers: five in VOIMA's register, all taking part in the running project; a work trial
    // that ended in a hire, a work practice under way.
    let companies = app.esf_json("S21358-2", true).await["project"]["realised_companies"].as_i64();
    assert_eq!(companies, Some(5));
    // The seeds' company figures come out of their records: VOIMA 54, AURA 5, KoPa's 15
    // workplaces with 14 coaches trained there.
    for (code, n) in [("S21358", 54), ("S20363", 5), ("KOPA-2011", 15)] {
        let report = app.esf_json(code, true).await;
        assert_eq!(
            report["project"]["realised_companies"].as_i64(),
            Some(n),
            "{code}"
        );
    }
    let kopa = app.esf_json("KOPA-2011", true).await;
    assert_eq!(kopa["coaches_trained"]["coaches"], 14);
    let practices: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT pl.kind, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM placement_extensions x WHERE x.placement_id = pl.id) THEN 1 ELSE 0 END) \
         FROM placements pl JOIN participants p ON p.id = pl.participant_id JOIN projects j ON j.id = p.project_id \
         WHERE j.code = 'KOPA-2011' GROUP BY pl.kind",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        practices,
        vec![("work_practice".into(), 11, 3)],
        "two-month practices, three extended"
    );
    let results: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT pl.kind, pl.result FROM placements pl JOIN participants p ON p.id = pl.participant_id \
         JOIN projects j ON j.id = p.project_id WHERE j.code = 'S21358-2' ORDER BY pl.id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        results,
        vec![
            ("work_trial".into(), Some("hired".into())),
            ("work_practice".into(), None)
        ]
    );
    // The coordinator's front page: follow-ups with employers, one overdue.
    app.login_with(
        &app.client,
        "yritys.voima@polku.example",
        polku::demo::DEMO_PASSWORD,
    )
    .await;
    let (_, home) = app.get("/").await;
    assert!(
        home.contains("Työnantajien seurannat") && home.contains("Lähetä harjoittelijaehdokkaat"),
        "{home}"
    );
    // Last week's session waits for its marks.
    let unmarked: i64 = app
        .scalar("SELECT COUNT(*) FROM service_sessions ss JOIN services s ON s.id = ss.service_id WHERE s.name = 'Työnhakuryhmä' AND ss.starts_at < '2026-03-02' AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = ss.id)")
        .await;
    assert_eq!(unmarked, 1);
});
