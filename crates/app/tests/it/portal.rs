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

db_test!(
    a_job_seeker_signs_in_with_a_code_and_keeps_their_plan,
    |app| async move {
        let (_, project, csrf) = app.voima_counsellor().await;
        let person = person_with_email(
            app,
            &csrf,
            project,
            ("131052-308T", "Berg", "maija@example.fi"),
        )
        .await;
        app.post(
            &format!("{person}/goals"),
            &csrf,
            &[("kind", "work"), ("description", "Työpaikka varastolta")],
        )
        .await;
        let goal: i64 = app.scalar("SELECT id FROM goals").await;
        app.post(
            &format!("{person}/goals/{goal}/steps"),
            &csrf,
            &[("description", "Päivitä CV")],
        )
        .await;
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
        let (_, project, csrf) = app.voima_counsellor().await;
        let maija = person_with_email(
            app,
            &csrf,
            project,
            ("131052-308T", "Berg", "maija@example.fi"),
        )
        .await;
        person_with_email(
            app,
            &csrf,
            project,
            ("010160-9984", "Aho", "timo@example.fi"),
        )
        .await;
        app.post(
            &format!("{maija}/goals"),
            &csrf,
            &[("kind", "work"), ("description", "Maijan tavoite")],
        )
        .await;
        let goal: i64 = app.scalar("SELECT id FROM goals").await;
        app.post(
            &format!("{maija}/goals/{goal}/steps"),
            &csrf,
            &[("description", "Maijan askel")],
        )
        .await;
        let step: i64 = app.scalar("SELECT id FROM steps").await;

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
