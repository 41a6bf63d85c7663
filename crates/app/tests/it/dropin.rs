use crate::common::*;
use polku_domain::authz::Role;

db_test!(
    drop_in_week_with_partner_shifts_and_visits,
    |app| async move {
        let salo = app.org("Salon kaupunki").await;
        let te = app.org("Varsinais-Suomen TE-toimisto").await;
        let yritys = app.org("Yrityssalo Oy").await;
        app.user(salo, "c@salo.example", Role::Counsellor).await;
        app.user(te, "te@te.example", Role::PartnerStaff).await;
        app.user(yritys, "y@yritys.example", Role::PartnerStaff)
            .await;
        let project = app.project(salo, "S21358").await;
        let csrf = app.login("c@salo.example").await;
        let (_, _, loc) = app.enter(&csrf, project, "131052-308T", "Kävijä").await;
        let pid: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();

        let (status, _, loc) = app
            .post(
                "/dropin",
                &csrf,
                &[
                    ("name", "Voimala"),
                    ("address", "Vilhonkatu 10"),
                    ("town", "Salo"),
                ],
            )
            .await;
        assert_eq!(status, 303);
        let point = loc.unwrap().split('?').next().unwrap().to_string();
        assert_eq!(
            app.post(
                &format!("{point}/hours"),
                &csrf,
                &[("weekday", "0"), ("opens", "9"), ("closes", "15")]
            )
            .await
            .0,
            303
        );
        let (status, html, _) = app
            .post(
                &format!("{point}/hours"),
                &csrf,
                &[("weekday", "1"), ("opens", "15"), ("closes", "9")],
            )
            .await;
        assert_eq!(
            (status, html.contains("Päivämäärä on ristiriidassa")),
            (422, true)
        );
        // Monday 2.3.2026: one open slot for partners, one given to Kela-like TE office directly.
        assert_eq!(
            app.post(
                &format!("{point}/shifts"),
                &csrf,
                &[
                    ("date", "2.3.2026"),
                    ("start_time", "10"),
                    ("end_time", "12"),
                    ("topic", "Työnhaku")
                ]
            )
            .await
            .0,
            303
        );
        assert_eq!(
            app.post(
                &format!("{point}/shifts"),
                &csrf,
                &[
                    ("date", "2.3.2026"),
                    ("start_time", "12"),
                    ("end_time", "14"),
                    ("org_id", &te.to_string())
                ]
            )
            .await
            .0,
            303
        );
        let open: i64 = app
            .scalar("SELECT id FROM duty_shifts WHERE org_id IS NULL")
            .await;

        // A company takes the open slot; the TE office is then too late and is told so.
        let y = TestApp::new_client();
        let y_csrf = app.login_as(&y, "y@yritys.example").await;
        let r = y
            .post(app.url(&format!("{point}/shifts/{open}/take")))
            .form(&[("csrf", y_csrf.as_str())])
            .sent()
            .await;
        assert_eq!(r.status(), 303);
        let t = TestApp::new_client();
        let t_csrf = app.login_as(&t, "te@te.example").await;
        let r = t
            .post(app.url(&format!("{point}/shifts/{open}/take")))
            .form(&[("csrf", t_csrf.as_str())])
            .sent()
            .await;
        assert_eq!(r.status(), 409);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("Joku muu tallensi tiedot sillä välin"));
        // Only the holder can give a shift back.
        let r = t
            .post(app.url(&format!("{point}/shifts/{open}/release")))
            .form(&[("csrf", t_csrf.as_str())])
            .sent()
            .await;
        assert_eq!(r.status(), 403);
        let html = t
            .get(app.url(&format!("{point}?week=2.3.2026")))
            .text_body()
            .await;
        assert!(
            html.contains("10.00–12.00 <strong>Yrityssalo Oy</strong> – Työnhaku")
                && html.contains("12.00–14.00 <strong>Varsinais-Suomen TE-toimisto</strong>"),
            "{html}"
        );

        // Visits: anonymous visitors apart from registered participants.
        assert_eq!(
            app.post(
                &format!("{point}/visits"),
                &csrf,
                &[
                    ("date", "2.3.2026"),
                    ("anonymous_count", "3"),
                    ("topic", "Infotilaisuus")
                ]
            )
            .await
            .0,
            303
        );
        assert_eq!(
            app.post(
                &format!("{point}/visits"),
                &csrf,
                &[
                    ("date", "2.3.2026"),
                    ("participant_id", &pid.to_string()),
                    ("topic", "CV-apu")
                ]
            )
            .await
            .0,
            303
        );
        let (status, html, _) = app
            .post(
                &format!("{point}/visits"),
                &csrf,
                &[
                    ("date", "2.3.2026"),
                    ("participant_id", &pid.to_string()),
                    ("anonymous_count", "2"),
                ],
            )
            .await;
        assert_eq!(
            (status, html.contains("Valinta ei kelpaa")),
            (422, true),
            "one kind of visitor per line"
        );
        let (_, html) = app.get(&format!("{point}?week=2026-03-04")).await;
        assert!(
            html.contains(r#"<strong id="registered-total">1</strong>"#)
                && html.contains(r#"<strong id="anonymous-total">3</strong>"#)
        );
        assert!(html.contains("Kävijä, Maija") && html.contains("3 kävijää – Infotilaisuus"));
        // A partner sees the counts, never who came.
        let html = t
            .get(app.url(&format!("{point}?week=2.3.2026")))
            .text_body()
            .await;
        assert!(
            html.contains(r#"<strong id="anonymous-total">3</strong>"#) && !html.contains("Kävijä")
        );
        assert_eq!(
            t.get(app.url(&format!("{point}?week=2.3.2026&format=csv")))
                .sent()
                .await
                .status(),
            403
        );
        // The organiser's export, and the visit on the participant's timeline.
        let r = app
            .client
            .get(app.url(&format!("{point}?week=2.3.2026&format=csv")))
            .sent()
            .await;
        let body = r.bytes().await.unwrap();
        let text = String::from_utf8(body[3..].to_vec()).unwrap();
        assert!(
            text.contains("2.3.2026;Kävijä, Maija;;CV-apu")
                && text.contains("2.3.2026;;3;Infotilaisuus"),
            "{text}"
        );
        let (_, html) = app.get(&format!("/participants/{pid}")).await;
        assert!(html.contains("Käynti palvelupisteessä</span>: Voimala – CV-apu"));
    }
);

db_test!(annual_calendar_and_ical_feed, |app| async move {
    let salo = app.org("Salon kaupunki").await;
    app.user(salo, "c@salo.example", Role::Counsellor).await;
    let csrf = app.login("c@salo.example").await;
    let (svc, _) = app.programme(salo, "Rekrytointimessut, Salo", "50").await;
    let _ = svc;
    let (_, _, loc) = app
        .post(
            "/dropin",
            &csrf,
            &[("name", "Voimala"), ("address", "Vilhonkatu 10, Salo")],
        )
        .await;
    let point = loc.unwrap();
    app.post(
        &format!("{point}/shifts"),
        &csrf,
        &[
            ("date", "9.11.2026"),
            ("start_time", "10"),
            ("end_time", "12"),
        ],
    )
    .await;
    let (_, html) = app.get("/calendar?year=2026").await;
    let march = html.find("Maaliskuu").unwrap();
    let november = html.find("Marraskuu").unwrap();
    assert!(html[march..].contains("2.3.2026 9.00–12.00 · Rekrytointimessut, Salo"));
    assert!(html[november..].contains("9.11.2026 10.00–12.00 · Voimala"));
    let r = app
        .client
        .get(app.url("/calendar.ics?year=2026"))
        .sent()
        .await;
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = r.text().await.unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
    assert!(
        ics.contains("DTSTART;TZID=Europe/Helsinki:20260302T090000")
            && ics.contains("SUMMARY:Rekrytointimessut\\, Salo")
    );
    // A subscription address works without a login; a wrong one does not.
    let (_, html, _) = app.post("/calendar/feed", &csrf, &[]).await;
    let url = regex::Regex::new(r#"id="feed-url">(/ical/[0-9a-f]+)<"#)
        .unwrap()
        .captures(&html)
        .unwrap()[1]
        .to_string();
    let feed = reqwest::get(app.url(&url)).await.unwrap();
    assert_eq!(feed.status(), 200);
    assert!(feed.text().await.unwrap().contains("UID:session-"));
    assert_eq!(
        reqwest::get(app.url("/ical/0000")).await.unwrap().status(),
        404
    );
});
