//! The job seeker's own channel (issue 15), first part: signing in with a one-time code sent by
//! e-mail — single-use, short-lived, a few tries, a few codes in a while, the same answer for
//! an unknown address — and the plan: goals and steps shown, staff notes never, steps of one's
//! own, steps done. One person never reaches another's; the sessions of staff and job seekers
//! open nothing of each other's.

use crate::common::*;
use chrono::TimeZone;

/// The newest sign-in code sent to `email`, read from the outbox.
pub(crate) async fn code_for(app: &TestApp, email: &str) -> String {
    let body: String = app
        .scalar_for(
            "SELECT body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
            email.to_string(),
        )
        .await;
    let digits = regex::Regex::new(r"\b\d{6}\b").unwrap();
    digits.find(&body).unwrap().as_str().to_string()
}

pub(crate) async fn mails_to(app: &TestApp, email: &str) -> i64 {
    app.scalar_for(
        "SELECT COUNT(*) FROM outbox WHERE recipient = $1",
        email.to_string(),
    )
    .await
}

/// A job seeker's browser: (client, CSRF of its portal session).
pub(crate) async fn visitor(app: &TestApp) -> (reqwest::Client, String) {
    let client = TestApp::new_client();
    let csrf = app.csrf_of(&client, "/my/sign-in").await;
    (client, csrf)
}

/// Enters a participant with an e-mail address: their page.
pub(crate) async fn person_with_email(
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
pub(crate) async fn goal_with_step(
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
pub(crate) async fn maija_in_voima(
    app: &TestApp,
) -> (polku_domain::ids::OrgId, i64, String, String) {
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
pub(crate) async fn timo_too(app: &TestApp, csrf: &str, project: i64) -> String {
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
        assert!(
            polku_usecases::portal::sign_in(&core, (&form, false), &fresh)
                .await
                .is_ok()
        );
        assert!(
            polku_usecases::portal::sign_in(&core, (&form, false), &fresh)
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
pub(crate) async fn signed_in_as(app: &TestApp, email: &str) -> (reqwest::Client, String) {
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
        assert!(
            html.contains(&format!("href=\"#service-{group}-rule\""))
                && html.contains(&format!("id=\"service-{group}-rule\"")),
            "the summary links to the reason in the group's card"
        );
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
