//! The city refers a participant to the college's group, in a browser: consent to share the
//! contact details and the plan; the college accepts (which makes its own record and gives
//! her a place), sees the plan but not the notes, marks her present; the city sees the
//! referral completed and the attendance. axe-core checks every page on the way.

use super::Browser;
use crate::common::*;
use polku_domain::authz::Role;

/// Fails with the violations axe-core finds on the page.
async fn accessible(b: &Browser, page: &str) {
    let found = b.axe().await;
    assert!(found.is_empty(), "{page}: {found:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_city_refers_to_the_colleges_group() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let (_, csrf, person) = app
        .person_in(
            "Salon kaupunki",
            "c@city.example",
            "S1",
            "131052-308T",
            "Berg",
        )
        .await;
    let goal = [
        ("kind", "training"),
        ("description", "Tietotekniikan perusteet"),
    ];
    assert_eq!(
        app.post(&format!("{person}/goals"), &csrf, &goal).await.0,
        303
    );
    let note = [("body", "Sisäinen: velkajärjestely kesken")];
    assert_eq!(
        app.post(&format!("{person}/notes"), &csrf, &note).await.0,
        303
    );
    let college = app.org("Salon seudun ammattiopisto").await;
    app.user(college, "c@college.example", Role::Counsellor)
        .await;
    app.project(college, "S2").await;
    let (group, session) = app.programme(college, "Tietotekniikka arkeen", "12").await;

    // The city's counsellor refers her, sharing the contact details and the plan.
    let b = Browser::phone(375).await;
    b.login(&app, "c@city.example", PASSWORD).await;
    b.c.goto(&app.url(&person)).await.unwrap();
    b.click_link("Ohjaa toiseen organisaatioon").await;
    b.wait_text("h1", "Ohjaa toiseen organisaatioon").await;
    accessible(&b, "referral form").await;
    b.choose("#referral-to_org_id", "ammattiopisto").await;
    b.choose("#referral-to_service_id", "Tietotekniikka arkeen")
        .await;
    b.type_in("#referral-reason", "Haluaa oppia tietotekniikkaa ryhmässä")
        .await;
    b.click("#referral-share_contact").await;
    b.click("#referral-share_plan").await;
    b.click("#referral-consent").await;
    b.click("main form button.primary").await;
    b.wait_text("#referral-status", "lähetetty").await;
    accessible(&b, "the sent referral").await;

    // The college's counsellor: the inbox, the shared plan but no note, and accepting.
    b.c.delete_all_cookies().await.unwrap();
    b.login(&app, "c@college.example", PASSWORD).await;
    b.c.goto(&app.url("/referrals")).await.unwrap();
    accessible(&b, "the inbox").await;
    b.click_link("Maija Berg").await;
    b.wait_text("#shared-plan", "Tietotekniikan perusteet")
        .await;
    let page = b.c.source().await.unwrap();
    assert!(!page.contains("velkajärjestely"), "notes are not shared");
    assert!(!page.contains("131052-308T"), "nor the identity code");
    accessible(&b, "the received referral").await;
    b.click("#accept").await;
    b.wait_text("h1", "Ota ohjaus vastaan").await;
    accessible(&b, "accepting").await;
    b.choose("#f-project_id", "S2").await;
    b.type_in("#f-birth_date", "13.10.1952").await;
    b.click("#f-consent_data_processing").await;
    b.click("form.intake button.primary").await;
    b.wait_text("main .notice", "Henkilö sai paikan").await;
    b.wait_text("#referral-status", "vastaanotettu").await;

    // She came to the first session: the group's roster has her, marked present.
    b.c.goto(&app.url(&format!("/services/{group}/sessions/{session}")))
        .await
        .unwrap();
    b.wait_text("main", "Berg").await;
    b.click("button[name=rest][value=present]").await;
    b.wait_text("main .notice", "Tallennettu").await;
    // Started and completed.
    let referral = app.scalar::<i64>("SELECT id FROM referrals").await;
    for step in ["aloitettu", "päättynyt suunnitellusti"] {
        b.c.goto(&app.url(&format!("/referrals/{referral}")))
            .await
            .unwrap();
        b.unfold("Kirjaa vastaus tai vaihe").await;
        b.choose("#progress-status", step).await;
        b.click("form[action$='/progress'] button").await;
        b.wait_text("#referral-status", step).await;
    }

    // The city sees the referral completed and her attendance.
    b.c.delete_all_cookies().await.unwrap();
    b.login(&app, "c@city.example", PASSWORD).await;
    b.c.goto(&app.url(&person)).await.unwrap();
    b.wait_text("#referrals", "päättynyt suunnitellusti").await;
    b.click_link("2.3.2026 Salon seudun ammattiopisto: Tietotekniikka arkeen")
        .await;
    b.wait_text("#attendance-count", "1/1").await;
    accessible(&b, "the completed referral, as its sender").await;
    b.c.clone().close().await.unwrap();
    app.cleanup().await;
}
