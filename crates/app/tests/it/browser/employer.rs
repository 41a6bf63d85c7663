//! From a hidden-job lead to a hire, in a browser on a phone: the coordinator records the
//! employer, a visit and the hidden job; the counsellor proposes a participant, whom the employer
//! accepts; two months of work practice, a four-month extension, and a hire. The participant's
//! outcome and the project's participating companies follow.

use super::Browser;
use crate::common::*;
use chrono::TimeZone;
use polku_domain::authz::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_job_becomes_a_hire() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let org = app.org("Salon kaupunki").await;
    app.user(org, "yritys@salo.example", Role::EmployerCoordinator)
        .await;
    app.user(org, "ohjaaja@salo.example", Role::Counsellor)
        .await;
    let project = app.project(org, "S21358").await;
    let csrf = app.login("ohjaaja@salo.example").await;
    let (status, _, person) = app.enter(&csrf, project, "131052-308T", "Berg").await;
    assert_eq!(status, 303);
    let person = person.unwrap();
    let companies = |v: serde_json::Value| v["project"]["realised_companies"].as_i64();
    assert_eq!(companies(app.esf_json("S21358", true).await), Some(0));

    let b = Browser::phone(375).await;
    // The coordinator: the employer, a visit where the hidden job came up, and the job.
    b.login(&app, "yritys@salo.example", PASSWORD).await;
    b.c.goto(&app.url("/employers/new")).await.unwrap();
    b.type_in("#f-business_id", "0112038-9").await;
    b.type_in("#f-name", "Yrityssalo Oy").await;
    b.choose("#f-industry", "Kuljetus").await;
    b.type_in("#f-town", "Salo").await;
    b.click("form.narrow button[type=submit]").await;
    b.wait_text("h1", "Yrityssalo Oy").await;
    b.wait_text("main .notice", "Tallennettu").await;
    b.unfold("Kirjaa yhteydenpito").await;
    b.choose("#interaction-project_id", "S21358").await;
    b.type_in("#interaction-summary", "Tutustumiskäynti varastolla")
        .await;
    b.type_in("#interaction-needs", "Varastotyöhön trukkikortillinen")
        .await;
    b.click("#timeline form button[type=submit]").await;
    b.wait_text("#timeline", "Tutustumiskäynti varastolla")
        .await;
    b.unfold("Lisää paikka").await;
    b.choose("#opening-kind", "piilotyöpaikka").await;
    b.type_in("#opening-title", "Varastotyöntekijä").await;
    b.click("#openings form button[type=submit]").await;
    b.wait_text("h1", "Varastotyöntekijä").await;
    let opening = b.c.current_url().await.unwrap().path().to_string();

    // The counsellor proposes Maija Berg.
    b.c.delete_all_cookies().await.unwrap();
    b.login(&app, "ohjaaja@salo.example", PASSWORD).await;
    b.c.goto(&app.url(&opening)).await.unwrap();
    b.choose("#propose-participant_id", "Berg").await;
    b.click("#proposals form button[type=submit]").await;
    b.wait_text("#proposals", "ehdotettu").await;

    // The coordinator records that the employer took her, and places her for work practice.
    b.c.delete_all_cookies().await.unwrap();
    b.login(&app, "yritys@salo.example", PASSWORD).await;
    b.c.goto(&app.url(&opening)).await.unwrap();
    b.click("button[value=accepted]").await;
    b.wait_text("#proposals", "valittu").await;
    b.choose("#placement-participant_id", "Berg").await;
    b.choose("#placement-kind", "työharjoittelu").await;
    b.type_in("#placement-starts_on", "2.3.2026").await;
    b.type_in("#placement-ends_on", "30.4.2026").await;
    b.type_in("#placement-coach", "Timo Trukki").await;
    b.click("#place form button[type=submit]").await;
    b.wait_text("#period", "2.3.2026–30.4.2026").await;
    // Four more months.
    b.unfold("Lisää jatkojakso").await;
    b.type_in("#extension-starts_on", "1.5.2026").await;
    b.type_in("#extension-ends_on", "31.8.2026").await;
    b.type_in("#extension-reason", "Harjoittelu jatkuu neljä kuukautta")
        .await;
    b.click("#extensions form button[type=submit]").await;
    b.wait_text("#period", "2.3.2026–31.8.2026").await;
    // At the end of August she is hired.
    app.clock
        .set(chrono::Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap());
    b.c.refresh().await.unwrap();
    b.unfold("Päätä jakso").await;
    b.choose("#end-result", "palkattiin").await;
    b.type_in("#end-ended_on", "31.8.2026").await;
    b.click("#end form button[type=submit]").await;
    b.wait_text("#result", "palkattiin samaan työpaikkaan")
        .await;

    // She has left the project employed, and the project has a participating company.
    b.c.goto(&app.url(&person)).await.unwrap();
    b.wait_text("section.summary", "työllistyi avoimille työmarkkinoille")
        .await;
    let report = app.esf_json("S21358", true).await;
    assert_eq!(companies(report.clone()), Some(1));
    // The report's employer tables: the placement by kind and result, the employer by industry
    // with the needs it told.
    assert_eq!(
        report["placements"],
        serde_json::json!([{"kind": "work_practice", "result": "hired", "count": 1}])
    );
    assert_eq!(
        report["industries"],
        serde_json::json!([{"industry": "H", "employers": 1, "with_needs": 1}])
    );
    // The funder sees the single placement hidden as a small cell.
    let funder = app.esf_json("S21358", false).await;
    assert_eq!(funder["placements"][0]["count"], serde_json::Value::Null);
    let exit: (String, String) = sqlx::query_as("SELECT exit_date, exit_status FROM participants")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(exit, ("2026-08-31".into(), "employed_open".into()));
    b.c.clone().close().await.unwrap();
    app.cleanup().await;
}
