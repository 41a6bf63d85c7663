//! A job seeker on a 320 px phone signs in with the code the local SMTP server received, adds
//! a step of their own and marks it done, signs up for a module and sends a message; the
//! counsellor sees it and answers; the job seeker answers a survey by keyboard alone, reads the
//! answer and downloads their data. Every page passes axe-core and none scrolls sideways.

use super::Browser;
use crate::common::*;

/// axe-core finds nothing on the page, and it does not scroll sideways at the phone's width,
/// with the text at its size and at 200 % (WCAG 1.4.4). Lists the page as checked.
async fn fits_and_passes_axe(b: &Browser, page: &str) {
    let found = b.axe().await;
    assert!(found.is_empty(), "{page}: {found:#?}");
    assert!(b.overflow().await <= 0.0, "{page} scrolls sideways");
    b.c.execute("document.documentElement.style.fontSize = '200%';", vec![])
        .await
        .unwrap();
    let at_200 = b.overflow().await;
    let wide = b.too_wide().await;
    b.c.execute("document.documentElement.style.fontSize = '';", vec![])
        .await
        .unwrap();
    assert!(
        at_200 <= 0.0,
        "{page} scrolls sideways with the text at 200 %: {at_200}px: {wide}"
    );
    eprintln!("checked (axe-core, 320 px, text 200 %): {page}");
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
    let note = [("body", "Sisäinen: jaksaminen huolettaa")];
    assert_eq!(
        app.post(&format!("{person}/notes"), &csrf, &note).await.0,
        303
    );
    let org =
        polku_domain::ids::OrgId(app.scalar::<i64>("SELECT owner_org_id FROM projects").await);
    app.programme(org, "Excel-moduuli", "12").await;
    // A feedback survey for the project, to answer by keyboard alone.
    let (_, _, survey) = app
        .post(
            "/surveys",
            &csrf,
            &[("title", "Palautekysely"), ("anonymous", "on")],
        )
        .await;
    let survey = survey.unwrap();
    for q in [
        [
            ("kind", "scale"),
            ("text", "Kuinka tyytyväinen olet?"),
            ("options", ""),
        ],
        [
            ("kind", "choice"),
            ("text", "Mistä kuulit meistä?"),
            ("options", "Lehdestä\nKaverilta"),
        ],
        [("kind", "text"), ("text", "Mitä muuta?"), ("options", "")],
    ] {
        assert_eq!(
            app.post(&format!("{survey}/questions"), &csrf, &q).await.0,
            303
        );
    }
    let to = [("to", "project"), ("project_id", &project.to_string())];
    assert_eq!(app.post(&format!("{survey}/send"), &csrf, &to).await.0, 303);
    // Its notice is mailed like any other; here only the sign-in code is read from the server.
    sqlx::query("DELETE FROM outbox")
        .execute(app.db.pool())
        .await
        .unwrap();
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

    // A module on the study menu.
    b.click_link("Ilmoittaudu").await;
    b.wait_text("h1", "Ilmoittaudu").await;
    fits_and_passes_axe(&b, "sign-ups").await;
    b.click("main section.card form button.primary").await;
    b.wait_text("main .notice", "Sinulla on paikka").await;
    // A message to the counsellor.
    b.click_link("Viestit").await;
    b.wait_text("h1", "Viestit").await;
    b.type_in("#message-body", "Pääsenkö torstain ryhmään?")
        .await;
    b.click("main form button.primary").await;
    b.wait_text("ol.messages", "Pääsenkö torstain ryhmään?")
        .await;
    fits_and_passes_axe(&b, "messages").await;

    // The counsellor, in the same browser (the two sessions do not mix), sees and answers it.
    b.login(&app, "c@voima.example", PASSWORD).await;
    b.wait_text("#unread", "Berg, Maija").await;
    b.click_link("Berg, Maija").await;
    b.wait_text("#messages", "Pääsenkö torstain ryhmään?").await;
    b.type_in("#message-body", "Pääset, tervetuloa!").await;
    b.click("#messages form button").await;
    b.wait_text("#messages", "Pääset, tervetuloa!").await;

    // Her self-assessment at the start.
    b.c.goto(&app.url("/my/assessment")).await.unwrap();
    b.wait_text("h1", "Itsearvio").await;
    for item in polku_domain::assessment::AssessmentItem::ALL {
        b.click(&format!("#{}-3", item.field())).await;
    }
    b.click("main form button.primary").await;
    b.wait_text("main .notice", "Tallennettu").await;
    fits_and_passes_axe(&b, "self-assessment").await;

    // The survey, by keyboard alone: Tab to the first answer, arrows along the scale and the
    // options, typing, Enter to send.
    use fantoccini::key::Key;
    b.c.goto(&app.url("/my/surveys")).await.unwrap();
    b.wait_text("h1", "Kyselyt").await;
    fits_and_passes_axe(&b, "surveys").await;
    let sv: i64 = app.scalar("SELECT MAX(id) FROM surveys").await;
    b.tab_to(&format!("survey-{sv}")).await;
    b.press(Key::Enter).await;
    b.wait_text("h1", "Palautekysely").await;
    fits_and_passes_axe(&b, "a survey").await;
    let passed = b.tab_to("q1-1").await;
    assert!(
        passed.len() < 20,
        "the first answer is near the top: {passed:?}"
    );
    b.press(Key::Right).await;
    b.press(Key::Right).await;
    b.press(Key::Right).await;
    assert_eq!(b.focused().await, "q1-4");
    b.press(Key::Tab).await;
    assert_eq!(b.focused().await, "q2-1");
    b.press(Key::Down).await;
    b.press(Key::Tab).await;
    assert_eq!(b.focused().await, "answer-q3");
    b.press("Kiitos avusta").await;
    b.press(Key::Tab).await;
    b.press(Key::Enter).await;
    b.wait_text("main .notice", "Kiitos! Vastauksesi on tallennettu.")
        .await;
    fits_and_passes_axe(&b, "surveys, answered").await;
    let kept: (i64, String, String) = sqlx::query_as(
        "SELECT (SELECT score FROM survey_answers WHERE score IS NOT NULL), (SELECT choice FROM survey_answers WHERE choice IS NOT NULL), (SELECT text FROM survey_answers WHERE text IS NOT NULL)",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        kept,
        (4, "Kaverilta".to_string(), "Kiitos avusta".to_string())
    );

    // She reads the answer and downloads her data: no staff note in it.
    b.c.goto(&app.url("/my/messages")).await.unwrap();
    b.wait_text("ol.messages", "Pääset, tervetuloa!").await;
    b.click_link("Omat tiedot").await;
    b.wait_text("h1", "Omat tiedot").await;
    fits_and_passes_axe(&b, "my data").await;
    let data =
        b.c.execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/my/data/download?format=json').then(r => r.text()).then(done);",
            vec![],
        )
        .await
        .unwrap();
    let data = data.as_str().unwrap_or_default().to_string();
    assert!(
        data.contains("Pääset, tervetuloa!") && data.contains("Excel-moduuli"),
        "{data}"
    );
    assert!(!data.contains("jaksaminen"), "no staff note");
    b.c.clone().close().await.unwrap();
    app.cleanup().await;
}
