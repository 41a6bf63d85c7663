//! The job seeker's own channel (issue 15), first part: signing in with a one-time code sent by
//! e-mail — single-use, short-lived, a few tries, a few codes in a while, the same answer for
//! an unknown address — and the plan: goals and steps shown, staff notes never, steps of one's
//! own, steps done. One person never reaches another's; the sessions of staff and job seekers
//! open nothing of each other's.

use crate::common::*;
use chrono::TimeZone;

/// The newest sign-in code sent to `email`, read from the outbox.
async fn code_for(app: &TestApp, email: &str) -> String {
    let body: String = app
        .scalar_for(
            "SELECT body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
            email.to_string(),
        )
        .await;
    let digits = regex::Regex::new(r"\b\d{6}\b").unwrap();
    digits.find(&body).unwrap().as_str().to_string()
}

async fn mails_to(app: &TestApp, email: &str) -> i64 {
    app.scalar_for(
        "SELECT COUNT(*) FROM outbox WHERE recipient = $1",
        email.to_string(),
    )
    .await
}

/// A job seeker's browser: (client, CSRF of its portal session).
async fn visitor(app: &TestApp) -> (reqwest::Client, String) {
    let client = TestApp::new_client();
    let csrf = app.csrf_of(&client, "/my/sign-in").await;
    (client, csrf)
}

/// Enters a participant with an e-mail address: their page.
async fn person_with_email(
    app: &TestApp,
    csrf: &str,
    project: i64,
    (hetu, last_name, email): (&str, &str, &str),
) -> String {
    let mut form = intake(project, hetu, last_name);
    form.push(("email", email.to_string()));
    let (status, _, loc) = app.post("/participants", csrf, &borrow(&form)).await;
    assert_eq!(status, 303, "intake of {last_name}");
    loc.unwrap()
}

/// A work goal with one step on the person's page: (goal, step).
async fn goal_with_step(
    app: &TestApp,
    csrf: &str,
    person: &str,
    (goal, step): (&str, &str),
) -> (i64, i64) {
    let form = [("kind", "work"), ("description", goal)];
    assert_eq!(
        app.post(&format!("{person}/goals"), csrf, &form).await.0,
        303
    );
    let g: i64 = app.scalar("SELECT MAX(id) FROM goals").await;
    let form = [("description", step)];
    let steps = format!("{person}/goals/{g}/steps");
    assert_eq!(app.post(&steps, csrf, &form).await.0, 303);
    (g, app.scalar("SELECT MAX(id) FROM steps").await)
}

/// VOIMA's counsellor signed in, and Maija Berg entered with her e-mail address:
/// (organisation, project, CSRF, her page).
async fn maija_in_voima(app: &TestApp) -> (polku_domain::ids::OrgId, i64, String, String) {
    let (org, project, csrf) = app.voima_counsellor().await;
    let person = person_with_email(
        app,
        &csrf,
        project,
        ("131052-308T", "Berg", "maija@example.fi"),
    )
    .await;
    (org, project, csrf, person)
}

/// Timo Aho too, in the same project.
async fn timo_too(app: &TestApp, csrf: &str, project: i64) -> String {
    let who = ("010160-9984", "Aho", "timo@example.fi");
    person_with_email(app, csrf, project, who).await
}

db_test!(
    a_job_seeker_signs_in_with_a_code_and_keeps_their_plan,
    |app| async move {
        let (_, _, csrf, person) = maija_in_voima(app).await;
        let (goal, _) =
            goal_with_step(app, &csrf, &person, ("Työpaikka varastolta", "Päivitä CV")).await;
        app.post(
            &format!("{person}/notes"),
            &csrf,
            &[("body", "Sisäinen: jaksaminen huolettaa")],
        )
        .await;

        // Not signed in: the sign-in page.
        let v = visitor(app).await;
        let r = v.0.get(app.url("/my")).sent().await;
        assert_eq!(r.headers()["location"], "/my/sign-in");

        // An address no participant has gets the same answer, and no mail.
        let (status, _, loc) =
            post_as(app, &v, "/my/sign-in", &[("email", "nobody@example.fi")]).await;
        assert_eq!((status, loc.as_deref()), (303, Some("/my/code")));
        assert_eq!(mails_to(app, "nobody@example.fi").await, 0);
        // A malformed one is said in place.
        let (status, html, _) = post_as(app, &v, "/my/sign-in", &[("email", "maija")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-email\""), "{html}");

        // The participant's address: a code by mail; a wrong one refused, the right one signs in.
        let (status, _, _) =
            post_as(app, &v, "/my/sign-in", &[("email", "Maija@Example.fi ")]).await;
        assert_eq!(status, 303);
        assert_eq!(mails_to(app, "maija@example.fi").await, 1);
        let code = code_for(app, "maija@example.fi").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let (status, html, _) = post_as(app, &v, "/my/code", &[("code", wrong)]).await;
        assert_eq!(status, 422);
        assert!(html.contains("Koodi on väärin tai vanhentunut"), "{html}");
        let (status, _, loc) = post_as(app, &v, "/my/code", &[("code", &code)]).await;
        assert_eq!((status, loc.as_deref()), (303, Some("/my")));
        let v = (v.0.clone(), app.csrf_of(&v.0, "/my").await);

        // The plan: the goal and the counsellor's step; the staff's note never.
        let (_, page) = (200, v.0.get(app.url("/my")).text_body().await);
        assert!(
            page.contains("Hei Maija!")
                && page.contains("Työpaikka varastolta")
                && page.contains("Päivitä CV"),
            "{page}"
        );
        assert!(!page.contains("jaksaminen"), "a staff note is never shown");
        // A step of her own, refused in place when empty, then saved.
        let steps = format!("/my/goals/{goal}/steps");
        let (status, html, _) = post_as(
            app,
            &v,
            &steps,
            &[("description", ""), ("due_date", "5.3.2026")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            html.contains(&format!("id=\"e-step-{goal}-description\"")),
            "{html}"
        );
        assert!(
            html.contains("value=\"5.3.2026\""),
            "what was typed is kept"
        );
        let (status, _, _) = post_as(
            app,
            &v,
            &steps,
            &[
                ("description", "Soita varastolle"),
                ("due_date", "5.3.2026"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let own: i64 = app
            .scalar("SELECT id FROM steps WHERE by_participant = 1")
            .await;
        let (status, _, _) = post_as(
            app,
            &v,
            &format!("/my/steps/{own}/done"),
            &[("done", "yes")],
        )
        .await;
        assert_eq!(status, 303);
        let page = v.0.get(app.url("/my")).text_body().await;
        assert!(
            page.contains("✓ Soita varastolle – 5.3.2026 <span class=\"muted\">(oma)</span>"),
            "{page}"
        );
        // The counsellor sees her step on the person's page, and the log says she wrote it.
        let (_, staff_page) = app.get(&person).await;
        assert!(staff_page.contains("Soita varastolle"));
        let logged: i64 = app
            .scalar_for("SELECT COUNT(*) FROM audit_log WHERE entity = 'step' AND entity_id = $1 AND user_id IS NULL", own)
            .await;
        assert_eq!(logged, 2, "added and marked done, by the participant");

        // Used once: the same code again is refused.
        let again = visitor(app).await;
        post_as(app, &again, "/my/sign-in", &[("email", "maija@example.fi")]).await;
        let fresh = code_for(app, "maija@example.fi").await;
        let form = polku_domain::portal::SignInForm {
            email: "maija@example.fi".into(),
        };
        let core = app.core();
        assert!(polku_usecases::portal::sign_in(&core, &form, &fresh)
            .await
            .is_ok());
        assert!(
            polku_usecases::portal::sign_in(&core, &form, &fresh)
                .await
                .is_err(),
            "used once"
        );
        // A third code expires after ten minutes; a fourth within the quarter hour is not sent.
        let late = visitor(app).await;
        post_as(app, &late, "/my/sign-in", &[("email", "maija@example.fi")]).await;
        let third = code_for(app, "maija@example.fi").await;
        app.clock
            .set(chrono::Utc.with_ymd_and_hms(2026, 3, 2, 9, 11, 0).unwrap());
        let (status, _, _) = post_as(app, &late, "/my/code", &[("code", &third)]).await;
        assert_eq!(status, 422, "expired");
        post_as(app, &late, "/my/sign-in", &[("email", "maija@example.fi")]).await;
        assert_eq!(
            mails_to(app, "maija@example.fi").await,
            3,
            "no fourth code so soon"
        );
        // Later, five wrong tries use a code up.
        app.clock
            .set(chrono::Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap());
        post_as(app, &late, "/my/sign-in", &[("email", "maija@example.fi")]).await;
        let fifth = code_for(app, "maija@example.fi").await;
        let wrong = if fifth == "000000" {
            "111111"
        } else {
            "000000"
        };
        for _ in 0..5 {
            assert_eq!(
                post_as(app, &late, "/my/code", &[("code", wrong)]).await.0,
                422
            );
        }
        assert_eq!(
            post_as(app, &late, "/my/code", &[("code", &fifth)]).await.0,
            422,
            "tried too often"
        );
    }
);

db_test!(
    one_job_seeker_never_reaches_another_nor_the_staff_pages,
    |app| async move {
        let (_, project, csrf, maija) = maija_in_voima(app).await;
        timo_too(app, &csrf, project).await;
        let (goal, step) =
            goal_with_step(app, &csrf, &maija, ("Maijan tavoite", "Maijan askel")).await;

        let timo = visitor(app).await;
        post_as(app, &timo, "/my/sign-in", &[("email", "timo@example.fi")]).await;
        let code = code_for(app, "timo@example.fi").await;
        assert_eq!(
            post_as(app, &timo, "/my/code", &[("code", &code)]).await.0,
            303
        );
        let timo = (timo.0.clone(), app.csrf_of(&timo.0, "/my").await);
        let page = timo.0.get(app.url("/my")).text_body().await;
        assert!(!page.contains("Maijan"), "{page}");
        // Maija's goal and step answer as if they did not exist.
        let (status, _, _) = post_as(
            app,
            &timo,
            &format!("/my/goals/{goal}/steps"),
            &[("description", "x")],
        )
        .await;
        assert_eq!(status, 404);
        let (status, _, _) = post_as(
            app,
            &timo,
            &format!("/my/steps/{step}/done"),
            &[("done", "yes")],
        )
        .await;
        assert_eq!(status, 404);
        let done: i64 = app
            .scalar("SELECT COUNT(*) FROM steps WHERE done = 1 OR by_participant = 1")
            .await;
        assert_eq!(done, 0, "nothing changed");
        // Without the portal's token a change is refused.
        let r = timo
            .0
            .post(app.url(&format!("/my/steps/{step}/done")))
            .form(&[("done", "yes")])
            .sent()
            .await;
        assert_eq!(r.status(), 403);
        // A job seeker's session opens no staff page; a staff session opens no job seeker's.
        let r = timo.0.get(app.url(&maija)).sent().await;
        assert!(r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login"));
        let r = app.client.get(app.url("/my")).sent().await;
        assert_eq!(r.headers()["location"], "/my/sign-in");
        // Signed out, the plan is gone with the session.
        let (status, _, _) = post_as(app, &timo, "/my/sign-out", &[]).await;
        assert_eq!(status, 303);
        let r = timo.0.get(app.url("/my")).sent().await;
        assert_eq!(r.headers()["location"], "/my/sign-in");
    }
);

/// A job seeker signed in with the code mailed to `email`: (client, CSRF).
async fn signed_in_as(app: &TestApp, email: &str) -> (reqwest::Client, String) {
    let v = visitor(app).await;
    post_as(app, &v, "/my/sign-in", &[("email", email)]).await;
    let code = code_for(app, email).await;
    assert_eq!(
        post_as(app, &v, "/my/code", &[("code", &code)]).await.0,
        303
    );
    let csrf = app.csrf_of(&v.0, "/my").await;
    (v.0, csrf)
}

db_test!(
    a_job_seeker_signs_up_queues_cancels_and_proposes_a_module,
    |app| async move {
        let (org, project, csrf, _) = maija_in_voima(app).await;
        timo_too(app, &csrf, project).await;
        let (group, _) = app.programme(org, "Työnhakupaja", "1").await;
        let other = app.org("Muu").await;
        let (elsewhere, _) = app.programme(other, "Toisen ryhmä", "10").await;

        let maija = signed_in_as(app, "maija@example.fi").await;
        let page = maija.0.get(app.url("/my/services")).text_body().await;
        assert!(
            page.contains("Työnhakupaja") && page.contains("Vapaita paikkoja: 1."),
            "{page}"
        );
        assert!(
            !page.contains("Toisen ryhmä"),
            "another organisation's group is not offered"
        );
        let (status, _, _) =
            post_as(app, &maija, &format!("/my/services/{group}/sign-up"), &[]).await;
        assert_eq!(status, 303);
        let page = maija.0.get(app.url("/my/services")).text_body().await;
        assert!(
            page.contains("Sinulla on paikka") && page.contains("<strong>ilmoittautunut</strong>"),
            "{page}"
        );
        // Signing up twice is said, not done twice.
        let (status, html, _) =
            post_as(app, &maija, &format!("/my/services/{group}/sign-up"), &[]).await;
        assert_eq!(status, 422);
        assert!(html.contains("jo ilmoittautunut"), "{html}");
        let (status, _, _) = post_as(
            app,
            &maija,
            &format!("/my/services/{elsewhere}/sign-up"),
            &[],
        )
        .await;
        assert_eq!(status, 404);

        // The group is full: Timo queues, and gets the place when Maija cancels.
        let timo = signed_in_as(app, "timo@example.fi").await;
        post_as(app, &timo, &format!("/my/services/{group}/sign-up"), &[]).await;
        let page = timo.0.get(app.url("/my/services")).text_body().await;
        assert!(
            page.contains("Olet jonossa") && page.contains("<strong>jonossa</strong>"),
            "{page}"
        );
        let (status, _, _) =
            post_as(app, &maija, &format!("/my/services/{group}/cancel"), &[]).await;
        assert_eq!(status, 303);
        let statuses: Vec<(String, String)> = sqlx::query_as(
            "SELECT x.last_name, e.status FROM enrolments e JOIN participants x ON x.id = e.participant_id ORDER BY x.last_name",
        )
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        assert_eq!(
            statuses,
            vec![
                ("Aho".into(), "enrolled".into()),
                ("Berg".into(), "cancelled".into())
            ]
        );

        // A module of her own: refused in place without a name, then waiting for approval.
        let (status, html, _) = post_as(
            app,
            &maija,
            "/my/services/propose",
            &[("name", ""), ("description", "Excelin alkeet")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("id=\"e-propose-name\"") && html.contains("Excelin alkeet"),
            "{html}"
        );
        let form = [
            ("name", "Excel tutuksi"),
            ("description", "Excelin alkeet"),
            ("starts_on", "20.3.2026"),
        ];
        assert_eq!(
            post_as(app, &maija, "/my/services/propose", &form).await.0,
            303
        );
        let (approval, by): (String, Option<i64>) = sqlx::query_as(
            "SELECT approval, proposed_by_participant_id FROM services WHERE name = 'Excel tutuksi'",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(approval, "pending");
        assert!(by.is_some());
        // Not offered to others before a counsellor approves it.
        let page = timo.0.get(app.url("/my/services")).text_body().await;
        assert!(!page.contains("Excel tutuksi"));
    }
);

db_test!(
    a_job_seeker_and_the_counsellor_write_to_each_other,
    |app| async move {
        let (_, project, csrf, person) = maija_in_voima(app).await;
        timo_too(app, &csrf, project).await;
        let maija = signed_in_as(app, "maija@example.fi").await;

        let (status, html, _) = post_as(app, &maija, "/my/messages", &[("body", "  ")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-message-body\""), "{html}");
        let (status, _, _) = post_as(
            app,
            &maija,
            "/my/messages",
            &[("body", "Pääsenkö torstain ryhmään?")],
        )
        .await;
        assert_eq!(status, 303);

        // The counsellor's front page says a message waits; the person's page shows it, new.
        let (_, home) = app.get("/").await;
        assert!(home.contains("Berg, Maija</a> (1 uusi viesti)"), "{home}");
        let (_, page) = app.get(&person).await;
        assert!(
            page.contains("Pääsenkö torstain ryhmään?") && page.contains("<strong>uusi</strong>"),
            "{page}"
        );
        // Read now: no longer waiting.
        let (_, home) = app.get("/").await;
        assert!(!home.contains("uusi viesti"), "{home}");
        // The answer; Maija is told by e-mail that a message waits, not what it says.
        let (status, _, _) = app
            .post(
                &format!("{person}/messages"),
                &csrf,
                &[("body", "Pääset, tervetuloa!")],
            )
            .await;
        assert_eq!(status, 303);
        let (subject, body): (String, String) = sqlx::query_as(
            "SELECT subject, body FROM outbox WHERE recipient = 'maija@example.fi' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert!(subject.contains("uusi viesti"));
        assert!(!body.contains("tervetuloa"), "the notice holds no content");
        let page = maija.0.get(app.url("/my")).text_body().await;
        assert!(page.contains("Sinulle on 1 uusi viesti."), "{page}");
        let page = maija.0.get(app.url("/my/messages")).text_body().await;
        assert!(
            page.contains("Pääset, tervetuloa!") && page.contains("Pääsenkö torstain ryhmään?")
        );
        let page = maija.0.get(app.url("/my")).text_body().await;
        assert!(!page.contains("uusi viesti"), "read");

        // Timo sees none of it.
        let timo = signed_in_as(app, "timo@example.fi").await;
        let page = timo.0.get(app.url("/my/messages")).text_body().await;
        assert!(!page.contains("torstain") && !page.contains("tervetuloa"));
        // The messages are in the person's timeline and in everything held about them.
        let (_, page) = app.get(&person).await;
        assert!(page.contains("Viesti"));
        let data: serde_json::Value = app
            .client
            .get(app.url(&format!("{person}/data")))
            .json_body()
            .await;
        assert_eq!(data["messages"].as_array().map(Vec::len), Some(2));
        // The log names who wrote what: the participant with no staff member, the counsellor.
        let by_person: i64 = app
            .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'message' AND action = 'create' AND user_id IS NULL")
            .await;
        assert_eq!(by_person, 1);
    }
);

db_test!(
    a_job_seeker_downloads_their_data_and_asks_for_a_correction,
    |app| async move {
        let (_, _, csrf, person) = maija_in_voima(app).await;
        app.post(
            &format!("{person}/notes"),
            &csrf,
            &[("body", "Sisäinen: jaksaminen huolettaa")],
        )
        .await;
        assert_eq!(
            app.add_contact(&csrf, &person, "Keskusteltiin velkajärjestelystä")
                .await,
            303
        );
        let maija = signed_in_as(app, "maija@example.fi").await;
        post_as(
            app,
            &maija,
            "/my/messages",
            &[("body", "Kiitos tapaamisesta")],
        )
        .await;

        // Everything she may download: her record, messages and who handled it — no staff note.
        let data: serde_json::Value = maija
            .0
            .get(app.url("/my/data/download?format=json"))
            .json_body()
            .await;
        assert_eq!(data["participant"]["last_name"], "Berg");
        assert_eq!(data["hetu"], "131052-308T");
        assert_eq!(data["messages"][0]["body"], "Kiitos tapaamisesta");
        assert_eq!(data["notes"], serde_json::json!([]));
        assert_eq!(data["guidance_contacts"][0]["summary"], "");
        assert!(data["audit_log"].as_array().is_some_and(|a| !a.is_empty()));
        let text = data.to_string();
        assert!(
            !text.contains("jaksaminen") && !text.contains("velkajärjestely"),
            "{text}"
        );
        let r = maija
            .0
            .get(app.url("/my/data/download?format=pdf"))
            .sent()
            .await;
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));

        // A request to correct: refused in place without details, then on the counsellor's
        // front page until handled.
        let (status, html, _) =
            post_as(app, &maija, "/my/data/request", &[("kind", "correct")]).await;
        assert_eq!(status, 422);
        assert!(
            html.contains("id=\"e-request-details\"") && html.contains("value=\"correct\" checked"),
            "{html}"
        );
        let form = [
            ("kind", "correct"),
            ("details", "Puhelinnumeroni on 040 123 4567"),
        ];
        assert_eq!(post_as(app, &maija, "/my/data/request", &form).await.0, 303);
        let (_, home) = app.get("/").await;
        assert!(home.contains("Berg, Maija</a>: Korjaa tietoja"), "{home}");
        let request: i64 = app.scalar("SELECT id FROM data_requests").await;
        let (status, _, _) = app
            .post(&format!("{person}/requests/{request}/handled"), &csrf, &[])
            .await;
        assert_eq!(status, 303);
        let (_, home) = app.get("/").await;
        assert!(
            !home.contains("Korjaa tietoja"),
            "handled: off the front page"
        );
        let (_, page) = app.get(&person).await;
        assert!(
            page.contains("Puhelinnumeroni on 040 123 4567 – käsitelty"),
            "{page}"
        );
    }
);

/// The six items answered with `score`, as the form sends them.
fn all_items(score: &str) -> Vec<(String, String)> {
    polku_domain::assessment::AssessmentItem::ALL
        .iter()
        .map(|i| (i.field().to_string(), score.to_string()))
        .collect()
}

db_test!(
    a_job_seeker_assesses_themself_at_entry_and_exit,
    |app| async move {
        let (_, _, _, person) = maija_in_voima(app).await;
        let maija = signed_in_as(app, "maija@example.fi").await;
        let page = maija.0.get(app.url("/my/assessment")).text_body().await;
        assert!(page.contains("Arvio alussa"), "{page}");
        // Two items answered, one off the scale: refused in place, the answer kept.
        let form = [("score_digital_skills", "2"), ("score_job_search", "7")];
        let (status, html, _) = post_as(app, &maija, "/my/assessment", &form).await;
        assert_eq!(status, 422);
        assert!(
            html.contains("id=\"e-assessment-score_job_search\""),
            "{html}"
        );
        assert!(html.contains("id=\"e-assessment-score_coping\""));
        assert!(html.contains("value=\"2\" checked"));
        let entry = all_items("2");
        let entry: Vec<(&str, &str)> = entry
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(post_as(app, &maija, "/my/assessment", &entry).await.0, 303);
        let page = maija.0.get(app.url("/my/assessment")).text_body().await;
        assert!(
            page.contains("Arvio lopussa") && page.contains("id=\"assessment-results\""),
            "{page}"
        );
        let exit = all_items("4");
        let exit: Vec<(&str, &str)> = exit.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(post_as(app, &maija, "/my/assessment", &exit).await.0, 303);
        // The counsellor sees both; the project's report shows the change, hidden as a small
        // cell from the funder.
        let (_, page) = app.get(&person).await;
        assert!(page.contains("id=\"assessment\""), "{page}");
        let own = app.esf_json("S21358", true).await;
        let coping = own["self_assessment"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["item"] == "coping")
            .cloned()
            .unwrap();
        assert_eq!(
            coping,
            serde_json::json!({"item": "coping", "people": 1, "entry_tenths": 20, "exit_tenths": 40})
        );
        let funder = app.esf_json("S21358", false).await;
        assert_eq!(
            funder["self_assessment"][0]["people"],
            serde_json::Value::Null
        );
        assert_eq!(
            funder["self_assessment"][0]["entry_tenths"],
            serde_json::Value::Null
        );
    }
);
