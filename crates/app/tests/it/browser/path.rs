//! A person's path in a real browser: log in, do an intake, find the participant by search,
//! enrol them in a programme, mark attendance and see the rate.

use super::Browser;
use crate::common::*;
use fantoccini::Locator;
use polku_domain::authz::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_intake_search_in_chromium() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let org = app.org("Salon kaupunki").await;
    app.user(org, "ohjaaja@salo.example", Role::Counsellor)
        .await;
    let project = app.project(org, "S21358").await;
    // A programme with one session, for the enrolment and attendance part.
    let (svc, ss) = app.programme(org, "Voimala-valmennus", "12").await;

    let b = Browser::phone(390).await;
    let c = &b.c;

    c.goto(&app.url("/participants")).await.unwrap();
    // Redirected to the login form (phone-sized window).
    b.type_in("#f-email", "ohjaaja@salo.example").await;
    b.type_in("#f-password", PASSWORD).await;
    b.click("button.primary").await;
    c.wait().for_element(Locator::Css("#q")).await.unwrap();

    c.goto(&app.url("/participants/new")).await.unwrap();
    b.click(&format!("#f-project_id option[value='{project}']"))
        .await;
    b.type_in("#f-first_name", "Seppo").await;
    b.type_in("#f-last_name", "Öhman").await;
    b.type_in("#f-hetu", "131052-308A").await;
    b.type_in("#f-municipality", "Salo").await;
    b.click("#f-consent_data_processing").await;
    b.click("form.intake button[type=submit]").await;
    // A wrong check character: the error is shown next to the field, the rest is kept.
    let err = b.text_at(Locator::Css("#e-hetu")).await;
    assert_eq!(
        err,
        "Henkilötunnuksen tarkistusmerkki ei täsmää. Tarkista numerot."
    );
    assert_eq!(
        c.find(Locator::Css("#f-last_name"))
            .await
            .unwrap()
            .attr("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Öhman")
    );
    let hetu = c.find(Locator::Css("#f-hetu")).await.unwrap();
    hetu.clear().await.unwrap();
    hetu.send_keys("131052-308T").await.unwrap();
    b.click("form.intake button[type=submit]").await;
    b.wait_text("h1", "Seppo Öhman").await;

    // Search as you type (htmx) finds the new participant.
    c.goto(&app.url("/participants")).await.unwrap();
    b.type_in("#q", "öhm").await;
    b.wait_text("#results", "Öhman, Seppo").await;
    b.click_link("Öhman, Seppo").await;
    b.wait_text("h1", "Seppo Öhman").await;

    // Enrol into the programme, mark attendance, see the rate.
    c.goto(&app.url(&format!("/services/{svc}"))).await.unwrap();
    b.click_at(Locator::XPath(
        "//select[@id='enrol-participant_id']/option[contains(., 'Öhman')]",
    ))
    .await;
    b.click("#roster button.primary").await;
    b.wait_text("#seats", "1 / 12").await;
    b.click(&format!("a[href='/services/{svc}/sessions/{ss}']"))
        .await;
    b.click("input[type=radio][value=present]").await;
    b.click("main form button.primary").await;
    // Before any mark the rate reads "—"; after saving, one session present of one.
    // (WebDriver reports the no-break space before % as a plain space.)
    b.wait_text("#group-rate", "100,0 %").await;
    let png = c.screenshot().await.unwrap();
    let _ = std::fs::write(std::env::temp_dir().join("polku-service.png"), png);
    c.clone().close().await.unwrap();
    app.cleanup().await;
}
