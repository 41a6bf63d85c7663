use crate::common::*;
use polku_domain::authz::Role;

db_test!(lists_export_as_csv_for_excel_and_xlsx, |app| async move {
    let org = app.org("Luksia").await;
    app.user(org, "c@luksia.example", Role::Counsellor).await;
    let project = app.project(org, "S20364").await;
    let csrf = app.login("c@luksia.example").await;
    app.post("/participants", &csrf, &borrow(&intake(project, "131052-308T", "Öhman"))).await;
    let r = app.client.get(app.url("/participants?q=&format=csv")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("participants.csv"));
    let body = r.bytes().await.unwrap();
    assert_eq!(&body[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    assert!(text.starts_with("Sukunimi;Etunimi;Syntymäaika;Hanke;Kotikunta;Aloituspäivä"), "{text}");
    assert!(text.contains("Öhman;Maija;13.10.1952;S20364;Salo;2.3.2026"));
    assert!(!text.contains("131052"), "no identity codes in exports");
    let r = app.client.get(app.url("/participants?q=&format=xlsx")).send().await.unwrap();
    assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
    // Catalogue and roster with attendance.
    let (svc, ss) = app.programme(org, "Lohjan ryhmä", "10").await;
    let pid: i64 = sqlx::query_scalar("SELECT id FROM participants").fetch_one(app.db.pool()).await.unwrap();
    app.post(&format!("/services/{svc}/enrol"), &csrf, &[("participant_id", &pid.to_string())]).await;
    let k = format!("a_{pid}");
    app.post(&format!("/services/{svc}/sessions/{ss}"), &csrf, &[(k.as_str(), "present")]).await;
    let text = app.client.get(app.url("/services?format=csv")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("Lohjan ryhmä;ryhmävalmennus;;Luksia;Luksia;lähitapaaminen;;10;1;0;;;hyväksytty"), "{text}");
    let text = app.client.get(app.url(&format!("/services/{svc}/export?format=csv"))).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("Öhman, Maija;ilmoittautunut;1;0;0;100,0") && text.contains("Ryhmän läsnäoloaste;;1;0;0;100,0"), "{text}");
    let exports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'export'").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(exports, 3, "exports of personal data are audited");
});
