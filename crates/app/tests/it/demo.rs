#[allow(unused_imports)]
use crate::common::*;

db_test!(demo_loads_the_five_seed_projects, |app| async move {
    let summary = polku::demo::load(&app.db, &app.cipher, &app.clock).await.unwrap();
    assert!(summary.contains("S21358 VOIMA: 257 participants"), "{summary}");
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT p.code, COUNT(x.id) FROM projects p LEFT JOIN participants x ON x.project_id = p.id GROUP BY p.code ORDER BY p.code")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(rows, vec![("KOPA-2011".into(), 11), ("S20363".into(), 244), ("S20364".into(), 304), ("S20494".into(), 268), ("S21358".into(), 257)]);
    // VOIMA's reported exit shares: 44 % employed, 14.5 % education, 4.5 % outside, 19 % job seeking, 18 % unemployed.
    let shares: Vec<(String, i64)> = sqlx::query_as("SELECT x.exit_status, COUNT(*) FROM participants x JOIN projects p ON p.id = x.project_id WHERE p.code = 'S21358' GROUP BY x.exit_status ORDER BY x.exit_status")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    let pct = |keys: &[&str]| (shares.iter().filter(|(k, _)| keys.contains(&k.as_str())).map(|(_, n)| *n).sum::<i64>() as f64) * 100.0 / 257.0;
    assert!((pct(&["employed_open", "employed_subsidised", "self_employed"]) - 44.0).abs() < 0.5);
    assert!((pct(&["education"]) - 14.5).abs() < 0.6);
    assert!((pct(&["outside_labour_force"]) - 4.5).abs() < 0.5);
    assert!((pct(&["job_searching"]) - 19.0).abs() < 0.5);
    assert!((pct(&["unemployed"]) - 18.0).abs() < 0.5);
    // The seeds' programmes: TEHDAS's 20-day Lohja group (capacity 20, two waiting) with a
    // participant-run language café, and AURA's five-day Startti.
    let programmes: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT s.name, s.enrolled_count, (SELECT COUNT(*) FROM service_sessions x WHERE x.service_id = s.id), s.offered_by FROM services s ORDER BY s.id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(programmes.len(), 3, "{programmes:?}");
    assert!(programmes.contains(&("TEHDAS-ryhmä Lohja, 20 päivää".into(), 20, 20, "staff".into())));
    assert!(programmes.contains(&("Startti-valmennus, syksy 2015".into(), 20, 5, "staff".into())));
    assert!(programmes.iter().any(|p| p.0.starts_with("Kielikahvila") && p.3 == "participant" && p.1 == 8));
    let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enrolments WHERE status = 'waiting'").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(waiting, 4);
    // Every demo identity code is valid and decrypts; a second load changes nothing.
    let enc: Vec<String> = sqlx::query_scalar("SELECT hetu_enc FROM participants").fetch_all(app.db.pool()).await.unwrap();
    for e in enc.iter().take(50) {
        assert!(polku_domain::validated::Hetu::parse(&app.cipher.decrypt(e).unwrap()).is_ok());
    }
    let again = polku::demo::load(&app.db, &app.cipher, &app.clock).await.unwrap();
    assert!(again.contains("S20363 already present"));
    // The demo counsellor can log in and find their participants.
    app.login_with(&app.client, "ohjaaja.voima@polku.example", polku::demo::DEMO_PASSWORD).await;
    let (status, html) = app.get("/participants?q=a").await;
    assert_eq!(status, 200);
    assert!(html.contains("S21358") && !html.contains("S20363"), "only the own organisation's participants");
});
