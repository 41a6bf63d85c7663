//! A job seeker on a 320 px phone signs in with the code the local SMTP server received, sees
//! their plan, adds a step of their own and marks it done. Every page passes axe-core and none
//! scrolls sideways.

use super::Browser;
use crate::common::*;

async fn fits_and_passes_axe(b: &Browser, page: &str) {
    let found = b.axe().await;
    assert!(found.is_empty(), "{page}: {found:#?}");
    assert!(b.overflow().await <= 0.0, "{page} scrolls sideways");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_seeker_signs_in_with_the_mailed_code_on_a_small_phone() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let (_, project, csrf) = app.voima_counsellor().await;
    let mut form = intake(project, "131052-308T", "Berg");
    form.push(("email", "maija@example.fi".into()));
    let (_, _, person) = app.post("/participants", &csrf, &borrow(&form)).await;
    let person = person.unwrap();
    let goal = [("kind", "work"), ("description", "Työpaikka varastolta")];
    assert_eq!(
        app.post(&format!("{person}/goals"), &csrf, &goal).await.0,
        303
    );
    let (port, inbox) = smtp_sink().await;
    let mailer = polku::mail::Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Polku <polku@test.example>",
    )
    .unwrap();

    let b = Browser::phone(320).await;
    b.c.goto(&app.url("/my")).await.unwrap();
    // The phone's browser asks for English; she reads Finnish.
    b.wait_text("h1", "Sign in to My Polku").await;
    b.choose("#lang-select", "Suomi").await;
    b.click("form.lang button").await;
    b.wait_text("h1", "Kirjaudu Omaan Polkuun").await;
    fits_and_passes_axe(&b, "sign-in").await;
    b.type_in("#f-email", "maija@example.fi").await;
    b.click("main form button.primary").await;
    b.wait_text("h1", "Kirjoita koodi").await;
    fits_and_passes_axe(&b, "code").await;
    // The code comes over SMTP.
    assert_eq!(
        polku::mail::deliver_pending(&app.db, &mailer, &app.clock)
            .await
            .unwrap(),
        1
    );
    let mail = inbox.lock().unwrap().last().cloned().unwrap();
    assert!(mail.contains("To: maija@example.fi"), "{mail}");
    let code = regex::Regex::new(r"\b\d{6}\b")
        .unwrap()
        .find(&mail)
        .unwrap()
        .as_str()
        .to_string();
    b.type_in("#f-code", &code).await;
    b.click("main form button.primary").await;
    b.wait_text("h1", "Hei Maija!").await;
    b.wait_text("main", "Työpaikka varastolta").await;
    fits_and_passes_axe(&b, "my plan").await;
    b.type_in("input[name=description]", "Soita varastolle")
        .await;
    b.click("main section form:last-of-type button").await;
    b.wait_text("main .notice", "Tallennettu").await;
    b.wait_text("ul.steps", "Soita varastolle").await;
    b.click("ul.steps button").await;
    b.wait_text("ul.steps", "✓ Soita varastolle").await;
    fits_and_passes_axe(&b, "my plan, a step done").await;
    b.c.clone().close().await.unwrap();
    app.cleanup().await;
}
