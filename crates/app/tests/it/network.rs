//! Referrals between organisations (issue 14): the receiver sees only what the consent names,
//! reads are audited in both organisations' logs, partner staff reach only people referred to
//! them, a withdrawn consent leaves only the fact of the referral, and the last place of a
//! group goes to exactly one of two receivers accepting at once.

use crate::common::*;
use polku_domain::authz::Role;

/// A client signed in as `email`: (client, CSRF).
async fn signed_in(app: &TestApp, email: &str) -> (reqwest::Client, String) {
    let client = TestApp::new_client();
    let csrf = app.login_as(&client, email).await;
    (client, csrf)
}

async fn get_as(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let r = client.get(app.url(path)).sent().await;
    (r.status().as_u16(), r.text().await.unwrap())
}

db_test!(
    a_referral_shares_what_its_consent_names_and_no_more,
    |app| async move {
        // The city refers; the college receives, through its partner staff.
        let (_, csrf, person) = app
            .person_in("Kaupunki", "c@city.example", "S1", "131052-308T", "Berg")
            .await;
        let college = app.org("Opisto").await;
        let city = app
            .scalar::<i64>("SELECT id FROM organisations WHERE name = 'Kaupunki'")
            .await;
        app.user(college, "ps@college.example", Role::PartnerStaff)
            .await;
        let college_project = app.project(college, "S2").await;
        let (group, _) = app.programme(college, "Tietotekniikka", "10").await;
        app.post(
            &format!("{person}/goals"),
            &csrf,
            &[
                ("kind", "training"),
                ("description", "Tietotekniikan perusteet"),
            ],
        )
        .await;
        app.post(
            &format!("{person}/notes"),
            &csrf,
            &[("body", "Jaettava: aamut sopivat")],
        )
        .await;
        app.post(
            &format!("{person}/notes"),
            &csrf,
            &[("body", "Sisäinen: velkajärjestely")],
        )
        .await;
        let shared_note: i64 = app
            .scalar("SELECT id FROM notes WHERE body LIKE 'Jaettava%'")
            .await;
        let x: i64 = person.rsplit('/').next().unwrap().parse().unwrap();
        let sent = || app.scalar::<i64>("SELECT COUNT(*) FROM referrals");

        // Without the participant's consent: refused in place, what was typed kept.
        let college_id = college.0.to_string();
        let group_id = group.to_string();
        let note_id = shared_note.to_string();
        let form = [
            ("to_org_id", college_id.as_str()),
            ("to_service_id", group_id.as_str()),
            ("reason", "Tietotekniikan ryhmä"),
            ("share_contact", "on"),
            ("share_plan", "on"),
            ("note_id", note_id.as_str()),
        ];
        let (status, html, _) = app
            .post(&format!("/participants/{x}/referrals"), &csrf, &form)
            .await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-referral-consent\""), "{html}");
        assert!(html.contains("Tietotekniikan ryhmä</textarea>"));
        assert!(html.contains(&format!("value=\"{shared_note}\" checked")));
        assert_eq!(sent().await, 0, "nothing sent");

        let mut with_consent = form.to_vec();
        with_consent.push(("consent", "on"));
        // The group chosen names its organisation: no need to choose both.
        with_consent.retain(|(k, _)| *k != "to_org_id");
        let (status, _, loc) = app
            .post(
                &format!("/participants/{x}/referrals"),
                &csrf,
                &with_consent,
            )
            .await;
        assert_eq!(status, 303);
        let referral = loc.unwrap();
        let r: i64 = referral.rsplit('/').next().unwrap().parse().unwrap();

        // The college's partner staff: the referral in the inbox, only the shared items.
        let ps = signed_in(app, "ps@college.example").await;
        let (status, inbox) = get_as(app, &ps.0, "/referrals").await;
        assert_eq!(status, 200);
        assert!(
            inbox.contains("Maija Berg") && inbox.contains("Kaupunki"),
            "{inbox}"
        );
        let (status, page) = get_as(app, &ps.0, &referral).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("id=\"shared-contact\""));
        assert!(
            page.contains("Tietotekniikan perusteet"),
            "the plan is shared"
        );
        assert!(
            page.contains("Jaettava: aamut sopivat"),
            "the chosen note is shared"
        );
        assert!(!page.contains("velkajärjestely"), "a note not chosen stays");
        assert!(
            !page.contains("131052-308T"),
            "the identity code was not chosen"
        );
        // The city's record itself stays out of reach.
        assert_eq!(get_as(app, &ps.0, &person).await.0, 404);
        // The read is in both organisations' logs.
        for org in [city, college.0] {
            let sql = format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'referral' AND entity_id = {r} AND action = 'read' AND org_id = {org}");
            assert!(app.scalar::<i64>(&sql).await >= 1, "read logged in {org}");
        }

        // Accepting: the intake comes filled with what was shared; it makes the college's own
        // record, enrolled in the group.
        let (status, accept) = get_as(app, &ps.0, &format!("{referral}/accept")).await;
        assert_eq!(status, 200);
        assert!(accept.contains("value=\"Berg\""), "{accept}");
        let mut f = intake(college_project, "", "Berg");
        f.retain(|(k, _)| *k != "hetu");
        f.push(("birth_date", "13.10.1952".into()));
        let version = app
            .scalar_for::<i64, _>("SELECT version FROM referrals WHERE id = $1", r)
            .await
            .to_string();
        f.push(("version", version));
        let (status, body, loc) =
            post_as(app, &ps, &format!("{referral}/accept"), &borrow(&f)).await;
        let errors: Vec<&str> = body
            .match_indices("class=\"error\"")
            .map(|(i, _)| &body[i..(i + 160).min(body.len())])
            .collect();
        assert_eq!(status, 303, "{errors:?}");
        assert_eq!(loc.as_deref(), Some(referral.as_str()));
        let own: i64 = app
            .scalar_for("SELECT to_participant_id FROM referrals WHERE id = $1", r)
            .await;
        let enrolled: String = app
            .scalar_for(
                "SELECT status FROM enrolments WHERE participant_id = $1",
                own,
            )
            .await;
        assert_eq!(enrolled, "enrolled");
        // Partner staff reach the record that came by referral, and no other of theirs.
        assert_eq!(
            get_as(app, &ps.0, &format!("/participants/{own}")).await.0,
            200
        );
        app.user(college, "c@college.example", Role::Counsellor)
            .await;
        let cc = signed_in(app, "c@college.example").await;
        let other = app
            .enter_with(&cc.0, &cc.1, college_project, "010160-9984", "Muu")
            .await
            .unwrap();
        assert_eq!(get_as(app, &ps.0, &other).await.0, 404);
        // Answering twice is refused: the referral is no longer waiting.
        let (status, _, _) = post_as(app, &ps, &format!("{referral}/accept"), &borrow(&f)).await;
        assert_eq!(status, 422);

        // Started and completed; a day to come refused in place.
        let (status, html, _) = post_as(
            app,
            &ps,
            &format!("{referral}/progress"),
            &[("status", "started"), ("on", "3.3.2026"), ("version", "2")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-progress-on\""), "{html}");
        for (step, version) in [("started", "2"), ("completed", "3")] {
            let (status, body, _) = post_as(
                app,
                &ps,
                &format!("{referral}/progress"),
                &[("status", step), ("on", "2.3.2026"), ("version", version)],
            )
            .await;
            assert_eq!(status, 303, "{step}: {body}");
        }
        // A stale version is a conflict, not an overwrite.
        let (status, _, _) = post_as(
            app,
            &ps,
            &format!("{referral}/progress"),
            &[("status", "interrupted"), ("version", "2")],
        )
        .await;
        assert_ne!(status, 303);

        // The city sees the answer and the attendance.
        let (_, city_view) = app.get(&referral).await;
        assert!(
            city_view.contains("päättynyt suunnitellusti"),
            "{city_view}"
        );
        assert!(
            city_view.contains("id=\"attendance-count\">0/0"),
            "{city_view}"
        );
        let (_, page) = app.get(&person).await;
        assert!(
            page.contains("Opisto: Tietotekniikka</a> – päättynyt suunnitellusti"),
            "{page}"
        );

        // She leaves; having been referred shows as an outcome of her exit, and in the report.
        assert_eq!(
            app.exit_as(&csrf, &person, "2.3.2026", "education").await,
            303
        );
        let (_, page) = app.get(&person).await;
        assert!(page.contains("id=\"exit-referred\">kyllä (1)"), "{page}");
        let (_, report) = app.get("/referrals/report?from=1.1.2026&to=2.3.2026").await;
        assert!(
            report.contains("Päättäneistä ohjattu muihin palveluihin: 1 / 1"),
            "{report}"
        );
        assert!(report.contains("<th scope=\"row\">Opisto</th>"));
        let r = app
            .client
            .get(app.url("/referrals/report?from=1.1.2026&to=2.3.2026&format=csv"))
            .sent()
            .await;
        assert_eq!(r.status(), 200);
        let csv = r.text().await.unwrap();
        assert!(
            csv.contains("Opisto") && csv.contains("Tietotekniikka"),
            "{csv}"
        );

        // The participant withdraws consent: the college sees only that the referral existed.
        let (status, _, _) = app
            .post(&format!("{referral}/withdraw-consent"), &csrf, &[])
            .await;
        assert_eq!(status, 303);
        let (status, page) = get_as(app, &ps.0, &referral).await;
        assert_eq!(status, 200);
        assert!(page.contains("id=\"consent-withdrawn\""));
        for gone in [
            "Berg",
            "Tietotekniikan perusteet",
            "Jaettava",
            "shared-contact",
            "Tietotekniikan ryhmä",
        ] {
            assert!(!page.contains(gone), "{gone} still shown");
        }
        let (_, inbox) = get_as(app, &ps.0, "/referrals").await;
        assert!(!inbox.contains("Berg") && inbox.contains("suostumus peruttu"));
        // Only the sender withdraws; the receiver cannot.
        assert_eq!(
            post_as(app, &ps, &format!("{referral}/withdraw-consent"), &[])
                .await
                .0,
            403
        );
    }
);

db_test!(
    a_full_group_queues_and_its_last_place_goes_to_one,
    |app| async move {
        let (city, project, city_csrf) =
            app.counsellor_in("Kaupunki", "c@city.example", "S1").await;
        let college = app.org("Opisto").await;
        app.user(college, "c@college.example", Role::Counsellor)
            .await;
        let college_project = app.project(college, "S2").await;
        let (group, _) = app.programme(college, "Viimeinen paikka", "1").await;
        let mut referrals = vec![];
        for (i, name) in ["Aalto", "Berg", "Cederberg"].iter().enumerate() {
            let (_, _, loc) = app
                .enter(&city_csrf, project, &hetu(13, 10, 52, 300 + i as u32), name)
                .await;
            let x: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
            referrals.push(app.referral((city, x), (college, Some(group))).await);
        }
        let client = TestApp::new_client();
        let csrf = app.login_as(&client, "c@college.example").await;
        let token = app.api_token(&client, &csrf, "t").await;
        let accept = |r: i64, h: String| {
            let body =
                serde_json::json!({"version": 1, "intake": intake_json(college_project, &h)});
            let token = token.clone();
            async move {
                app.api_post(&token, &format!("/api/v1/referrals/{r}/accept"), body)
                    .await
            }
        };
        // Two receivers take the last place at once: exactly one gets it.
        let (a, b) = tokio::join!(
            accept(referrals[0], hetu(1, 2, 60, 101)),
            accept(referrals[1], hetu(1, 2, 60, 102))
        );
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
        let a: serde_json::Value = a.json().await.unwrap();
        let b: serde_json::Value = b.json().await.unwrap();
        let mut got = vec![
            a["enrolment"].as_str().unwrap().to_string(),
            b["enrolment"].as_str().unwrap().to_string(),
        ];
        got.sort();
        assert_eq!(got, ["enrolled", "waiting"]);
        // The group is full: the next one referred to it waits.
        let c = accept(referrals[2], hetu(1, 2, 60, 103)).await;
        let c: serde_json::Value = c.json().await.unwrap();
        assert_eq!(c["enrolment"], "waiting");
        let seats: i64 = app
            .scalar_for("SELECT enrolled_count FROM services WHERE id = $1", group)
            .await;
        assert_eq!(seats, 1);
        // Accepting an answered referral again is refused; nothing changes.
        let again = accept(referrals[2], hetu(1, 2, 60, 104)).await;
        assert_eq!(again.status(), 422);

        // Through the API: what the consent shares, and the person's place in the group.
        let detail: serde_json::Value = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/referrals/{}", referrals[2])))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(detail["referral"]["status"], "accepted");
        assert_eq!(detail["shared"]["plan"], serde_json::json!([]));
        assert_eq!(detail["shared"]["hetu"], serde_json::Value::Null);
        assert_eq!(detail["attendance"]["status"], "waiting");

        // The report counts them on both sides.
        let r = reqwest::Client::new()
            .get(app.url("/api/v1/referrals/report?from=2026-01-01&to=2026-03-02"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let report: serde_json::Value = r.json().await.unwrap();
        let line = &report["lines"][0];
        assert_eq!(line["sent"], false);
        assert_eq!(line["other_org"], "Kaupunki");
        assert_eq!(
            (line["total"].as_i64(), line["accepted"].as_i64()),
            (Some(3), Some(3))
        );
        assert_eq!(line["acceptance_permille"], 1000);
    }
);

db_test!(
    erasing_the_person_leaves_the_referral_counted_and_nothing_shared,
    |app| async move {
        let (_, csrf, person) = app
            .person_in("Kaupunki", "c@city.example", "S1", "131052-308T", "Berg")
            .await;
        let city: i64 = app
            .scalar("SELECT id FROM organisations WHERE name = 'Kaupunki'")
            .await;
        app.user(
            polku_domain::ids::OrgId(city),
            "pm@city.example",
            Role::ProjectManager,
        )
        .await;
        let college = app.org("Opisto").await;
        app.user(college, "ps@college.example", Role::PartnerStaff)
            .await;
        app.post(
            &format!("{person}/notes"),
            &csrf,
            &[("body", "Jaettava muistiinpano")],
        )
        .await;
        let note: i64 = app.scalar("SELECT id FROM notes").await;
        let x = person.rsplit('/').next().unwrap();
        let (college_id, note_id) = (college.0.to_string(), note.to_string());
        let form = [
            ("to_org_id", college_id.as_str()),
            ("reason", "Opinnot"),
            ("note_id", note_id.as_str()),
            ("consent", "on"),
        ];
        let (status, _, loc) = app
            .post(&format!("/participants/{x}/referrals"), &csrf, &form)
            .await;
        assert_eq!(status, 303);
        let referral = loc.unwrap();

        let pm = signed_in(app, "pm@city.example").await;
        let erase = [("reason", "request"), ("confirm", "yes")];
        let (status, _, _) = post_as(app, &pm, &format!("{person}/erase"), &erase).await;
        assert_eq!(status, 303);
        // The referral is still counted; why it was made and the note are gone.
        let (reason, linked): (Option<String>, i64) = sqlx::query_as(
            "SELECT r.reason, (SELECT COUNT(*) FROM referral_notes) FROM referrals r",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!((reason, linked), (None, 0));
        let ps = signed_in(app, "ps@college.example").await;
        let (status, page) = get_as(app, &ps.0, &referral).await;
        assert_eq!(status, 200);
        assert!(
            !page.contains("Berg") && !page.contains("Jaettava muistiinpano"),
            "{page}"
        );
    }
);
