//! The employer register: bad input is refused in place and writes nothing, and another
//! organisation's employers do not exist for you.

use crate::common::*;
use polku_domain::authz::Role;

db_test!(
    employers_refuse_bad_input_and_stay_in_their_organisation,
    |app| async move {
        let org = app.org("VOIMA").await;
        app.user(org, "pk@voima.example", Role::Admin).await;
        let project = app.project(org, "S21358").await;
        let csrf = app.login("pk@voima.example").await;
        let employers = || app.scalar::<i64>("SELECT COUNT(*) FROM employers");

        // A Y-tunnus with a wrong check digit: refused, in Finnish, with what was typed kept.
        let form = [("business_id", "0112038-8"), ("name", "Yrityssalo Oy")];
        let (status, html, _) = app.post("/employers", &csrf, &form).await;
        assert_eq!(status, 422);
        assert!(
            html.contains("Y-tunnuksen tarkistusnumero ei täsmää."),
            "{html}"
        );
        assert!(html.contains("value=\"Yrityssalo Oy\""));
        assert_eq!(employers().await, 0, "nothing written");
        assert!(
            !html.contains("name=\"same_name\""),
            "no namesake to confirm"
        );
        let form = [("business_id", "0112038-9"), ("name", "Yrityssalo Oy")];
        let (status, _, loc) = app.post("/employers", &csrf, &form).await;
        assert_eq!(status, 303);
        let employer = loc.unwrap();
        // The same Y-tunnus again is a duplicate.
        let form = [("business_id", "0112038-9"), ("name", "Yrityssalo")];
        let (status, html, _) = app.post("/employers", &csrf, &form).await;
        assert_eq!(status, 422);
        assert!(html.contains("Työnantaja tällä Y-tunnuksella on jo rekisterissä."));
        assert_eq!(employers().await, 1);
        // The same name under another Y-tunnus is asked about, and saved once confirmed.
        let form = [("business_id", "2345671-3"), ("name", "YRITYSSALO OY")];
        let (status, html, _) = app.post("/employers", &csrf, &form).await;
        assert_eq!(status, 422);
        assert!(html.contains("Rekisterissä on jo samanniminen työnantaja."));
        assert!(html.contains("name=\"same_name\""), "the box to confirm");
        assert_eq!(employers().await, 1);
        let form = [
            ("business_id", "2345671-3"),
            ("name", "YRITYSSALO OY"),
            ("same_name", "on"),
        ];
        assert_eq!(app.post("/employers", &csrf, &form).await.0, 303);
        assert_eq!(employers().await, 2);

        // Work practice for two months; an extension that overlaps it is refused in place.
        let (_, _, person) = app.enter(&csrf, project, "131052-308T", "Berg").await;
        let x = person.unwrap().rsplit('/').next().unwrap().to_string();
        let period = ("2.3.2026", "30.4.2026");
        let (status, loc) = app.work_practice(&csrf, (&employer, &x), period, &[]).await;
        assert_eq!(status, 303);
        let placement = loc.unwrap();
        for (start, end) in [("15.4.2026", "30.6.2026"), ("1.2.2026", "28.2.2026")] {
            let form = [
                ("starts_on", start),
                ("ends_on", end),
                ("reason", "Harjoittelu jatkuu"),
            ];
            let (status, html, _) = app
                .post(&format!("{placement}/extensions"), &csrf, &form)
                .await;
            assert_eq!(status, 422, "{start}–{end}");
            assert!(html.contains("Jatkojakso alkaa ennen kuin edellinen jakso on päättynyt."));
            assert!(html.contains(&format!("value=\"{start}\"")));
        }
        let ends: String = app.scalar("SELECT ends_on FROM placements").await;
        assert_eq!(ends, "2026-04-30", "the placement is unchanged");
        let extensions: i64 = app
            .scalar("SELECT COUNT(*) FROM placement_extensions")
            .await;
        assert_eq!(extensions, 0, "nothing written");
        // Once ended, a placement is neither extended nor ended again, and says so.
        let end = [
            ("result", "interrupted"),
            ("ended_on", "2.3.2026"),
            ("reason", "Terveyssyy"),
        ];
        let (status, _, _) = app.post(&format!("{placement}/end"), &csrf, &end).await;
        assert_eq!(status, 303);
        let api = format!(
            "/api/v1/placements/{}/extensions",
            placement.rsplit('/').next().unwrap()
        );
        let token = app.api_token(&app.client, &csrf, "t").await;
        let r = app
            .client
            .post(app.url(&api))
            .bearer_auth(&token)
            .json(&serde_json::json!({"starts_on": "2026-05-01", "ends_on": "2026-06-30", "reason": "x"}))
            .sent()
            .await;
        assert_eq!(r.status().as_u16(), 422);
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(body.to_string().contains("placement-ended"), "{body}");
        let (status, html, _) = app.post(&format!("{placement}/end"), &csrf, &end).await;
        assert_eq!(status, 422);
        assert!(html.contains("Jakso on jo päättynyt"));

        // A closed opening takes no more proposals, and says why.
        let form = [("kind", "hidden_job"), ("title", "Varastotyöntekijä")];
        let (status, _, loc) = app
            .post(&format!("{employer}/openings"), &csrf, &form)
            .await;
        assert_eq!(status, 303);
        let opening = loc.unwrap();
        let closed = [("status", "closed")];
        let (status, _, _) = app.post(&format!("{opening}/status"), &csrf, &closed).await;
        assert_eq!(status, 303);
        let who = [("participant_id", x.as_str())];
        let (status, html, _) = app.post(&format!("{opening}/proposals"), &csrf, &who).await;
        assert_eq!(status, 422);
        assert!(html.contains("Paikka ei ole enää haettavana"), "{html}");
        let (_, list) = app.get("/openings").await;
        assert!(
            !list.contains("Varastotyöntekijä"),
            "not among the open ones"
        );

        // Another organisation's admin finds no such employer, on the pages or in the API.
        let other = app.org("AURA").await;
        app.user(other, "pk@aura.example", Role::Admin).await;
        let client = TestApp::new_client();
        let csrf = app.login_as(&client, "pk@aura.example").await;
        let token = app.api_token(&client, &csrf, "t").await;
        let id = employer.rsplit('/').next().unwrap();
        for path in [employer.clone(), placement.clone()] {
            let s = client.get(app.url(&path)).sent().await.status();
            assert_eq!(s.as_u16(), 404, "{path}");
        }
        let s = client
            .get(app.url(&format!("/api/v1/employers/{id}")))
            .bearer_auth(&token)
            .sent()
            .await
            .status();
        assert_eq!(s.as_u16(), 404);
        let list = client.get(app.url("/employers")).text_body().await;
        assert!(!list.contains("Yrityssalo"), "not in their register");
    }
);

/// A valid Y-tunnus for the `n`-th test employer.
fn business_id(n: u32) -> String {
    (1_000_000 + n * 13..)
        .find_map(polku_domain::validated::BusinessId::of_number)
        .unwrap()
        .as_str()
        .to_string()
}

db_test!(
    the_register_pages_on_without_losing_namesakes,
    |app| async move {
        let org = app.org("VOIMA").await;
        app.user(org, "pk@voima.example", Role::Admin).await;
        app.login("pk@voima.example").await;
        // 130 employers, ten of them all called "Paja": more than a page of 100.
        let mut tx = app.db.begin().await.unwrap();
        for n in 0..130u32 {
            let name = if n % 13 == 0 {
                "Paja".to_string()
            } else {
                format!("Paja {n:03}")
            };
            let e = polku_domain::employer::EmployerForm {
                business_id: business_id(n),
                name,
                ..Default::default()
            }
            .parse()
            .unwrap();
            polku_store::employers::create(&mut tx, org, &e, app.clock_now())
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        let link = regex::Regex::new(r#"href="/employers\?q=paja&amp;after=(\d+)""#).unwrap();
        let (_, first) = app.get("/employers?q=paja").await;
        let after = &link.captures(&first).expect("a next page")[1];
        let (_, second) = app.get(&format!("/employers?q=paja&after={after}")).await;
        assert!(link.captures(&second).is_none(), "two pages");
        let rows = |html: &str| {
            html.matches("<th scope=\"row\"><a href=\"/employers/")
                .count()
        };
        assert_eq!((rows(&first), rows(&second)), (100, 30));
    }
);

db_test!(an_interaction_records_who_took_part, |app| async move {
    let org = app.org("VOIMA").await;
    let me = app.user(org, "pk@voima.example", Role::Admin).await;
    let project = app.project(org, "S21358").await;
    let other = app.org("AURA").await;
    app.user(other, "c@aura.example", Role::Counsellor).await;
    let aura_project = app.project(other, "S20363").await;
    let csrf = app.login("pk@voima.example").await;
    let (_, _, person) = app.enter(&csrf, project, "131052-308T", "Berg").await;
    let x = person.unwrap().rsplit('/').next().unwrap().to_string();
    let form = [("business_id", "0112038-9"), ("name", "Salon Konepaja Oy")];
    let employer = app.post("/employers", &csrf, &form).await.2.unwrap();
    let contact = [("name", "Jari Lehto"), ("role", "tuotantopäällikkö")];
    assert_eq!(
        app.post(&format!("{employer}/contacts"), &csrf, &contact)
            .await
            .0,
        303
    );
    let c: i64 = app.scalar("SELECT id FROM employer_contacts").await;
    let (me, c) = (me.0.to_string(), c.to_string());
    let interactions = format!("{employer}/interactions");
    let event = |who: &str| {
        vec![
            ("kind", "recruitment_event".to_string()),
            ("date", "2.3.2026".into()),
            ("summary", "Rekrytointipäivä".into()),
            ("others_count", "12".into()),
            ("staff_id", me.clone()),
            ("contact_id", c.clone()),
            ("participant_id", who.to_string()),
        ]
    };
    let written = || app.scalar::<i64>("SELECT COUNT(*) FROM employer_interactions");

    // Another organisation's participant cannot be recorded as taking part.
    let aura = TestApp::new_client();
    let aura_csrf = app.login_as(&aura, "c@aura.example").await;
    let theirs = app
        .enter_with(&aura, &aura_csrf, aura_project, "010160-9984", "Laine")
        .await;
    let theirs = theirs.unwrap().rsplit('/').next().unwrap().to_string();
    let form = event(&theirs);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, html, _) = app.post(&interactions, &csrf, &form).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("id=\"interaction-staff-"),
        "the form again: {html}"
    );
    assert!(
        html.contains(&format!("value=\"{me}\" checked")),
        "ticks kept"
    );
    assert_eq!(written().await, 0);

    let form = event(&x);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post(&interactions, &csrf, &form).await.0, 303);
    let (_, page) = app.get(&employer).await;
    assert!(
        page.contains("Osallistujat: Test User, Jari Lehto, Berg, "),
        "{page}"
    );
    assert!(page.contains("(12 muuta osallistujaa)"));

    // A contact person who left is removed, asked first; the event stays, without them.
    assert!(page.contains("Poistetaanko Jari Lehto ja hänen tietonsa rekisteristä?"));
    let remove = format!("{employer}/contacts/{c}/remove");
    assert_eq!(app.post(&remove, &csrf, &[]).await.0, 303);
    let (_, page) = app.get(&employer).await;
    assert!(!page.contains("Jari Lehto"), "{page}");
    assert!(page.contains("Osallistujat: Test User, Berg, "));
    assert_eq!(app.post(&remove, &csrf, &[]).await.0, 404, "gone");
});

db_test!(
    an_employer_shared_with_a_partner_is_seen_there_without_the_owner_s_participants,
    |app| async move {
        let org = app.org("VOIMA").await;
        app.user(org, "pk@voima.example", Role::Admin).await;
        let project = app.project(org, "S21358").await;
        let kela = app.org("Kela").await;
        app.user(kela, "c@kela.example", Role::Counsellor).await;
        let aura = app.org("AURA").await;
        let mut tx = app.db.begin().await.unwrap();
        let pid = polku_domain::ids::ProjectId(project);
        polku_store::projects::add_partner(&mut tx, pid, kela, "co_implementer")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let csrf = app.login("pk@voima.example").await;
        let (_, _, person) = app.enter(&csrf, project, "131052-308T", "Berg").await;
        let x = person.unwrap().rsplit('/').next().unwrap().to_string();
        let form = [("business_id", "0112038-9"), ("name", "Salon Konepaja Oy")];
        let employer = app.post("/employers", &csrf, &form).await.2.unwrap();
        let period = ("2.3.2026", "30.4.2026");
        let (_, placement) = app.work_practice(&csrf, (&employer, &x), period, &[]).await;
        let placement = placement.unwrap();

        let partner = TestApp::new_client();
        let partner_csrf = app.login_as(&partner, "c@kela.example").await;
        let status = |path: &str| {
            let r = partner.get(app.url(path)).sent();
            async move { r.await.status().as_u16() }
        };
        assert_eq!(status(&employer).await, 404, "not shared yet");

        // Only a partner of one of the owner's projects can be chosen.
        let shares = format!("{employer}/shares");
        let (code, html, _) = app
            .post(&shares, &csrf, &[("org_id", &aura.0.to_string())])
            .await;
        assert_eq!(code, 422);
        assert!(html.contains("id=\"e-share-org_id\""), "{html}");
        let kela_id = kela.0.to_string();
        assert_eq!(
            app.post(&shares, &csrf, &[("org_id", &kela_id)]).await.0,
            303
        );
        let (_, page) = app.get(&employer).await;
        assert!(page.contains("Jaettu kumppaneille: Kela"), "{page}");

        // The partner sees the employer in its register, not who was placed there; changes
        // and the placement itself are refused.
        let r = partner.get(app.url(&employer)).sent().await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("Salon Konepaja Oy") && html.contains("Kumppani on jakanut"));
        assert!(
            !html.contains("Berg"),
            "no participant of the owner's: {html}"
        );
        assert!(
            !html.contains("Jaettu kumppaneille"),
            "nor whom else it is shared with"
        );
        let r = partner.get(app.url("/employers")).sent().await;
        assert!(r.text().await.unwrap().contains("Salon Konepaja Oy"));
        assert_eq!(status(&placement).await, 404);
        let r = partner
            .post(app.url(&format!("{employer}/contacts")))
            .form(&[("csrf", partner_csrf.as_str()), ("name", "Uusi Henkilö")])
            .sent()
            .await;
        assert_eq!(r.status(), 403);
    }
);
