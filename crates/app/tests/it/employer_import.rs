//! Employers from a spreadsheet (issue 13): the register's own checks for every row, an
//! unknown municipality, a bad Y-tunnus and an employer already in the register reported
//! per row in the reader's language, nothing written until the bad rows are skipped, then
//! the good ones with their contact persons in one transaction.

use crate::common::*;
use crate::import::{finished, upload_to};
use polku_domain::authz::Role;

const FILE: &str = "\
Y-tunnus;Yrityksen nimi;Toimiala;Kokoluokka;Kunta;Yhteyshenkilö;Sähköposti;Puhelin
0112038-9;Salon Metalli Oy;C Teollisuus;pieni;Salo;Anna Aho;anna@metalli.example;040 123 4567
2561490-6;Kotihoito Aurinko Oy;Q;keskisuuri;Turku;;;
1572860-0;Rekisterissä Oy;;;;;;
2345678-0;Tuntematon Oy;;;Atlantis;;;
0112038-8;Väärä Oy;;;Salo;;;
";

db_test!(
    employers_are_imported_from_a_spreadsheet_row_by_row_checked,
    |app| async move {
        let org = app.org("VOIMA").await;
        app.user(org, "tk@voima.example", Role::EmployerCoordinator)
            .await;
        app.user(org, "c@voima.example", Role::Counsellor).await;
        let other = app.org("AURA").await;
        app.user(other, "tk@aura.example", Role::EmployerCoordinator)
            .await;
        let employers = || app.scalar::<i64>("SELECT COUNT(*) FROM employers");

        // A counsellor sees the register but does not import into it.
        let csrf = app.login("c@voima.example").await;
        assert_eq!(app.get("/employers/import").await.0, 403);
        let (status, _, _) = app.post("/employers/import", &csrf, &[]).await;
        assert_eq!(status, 403);

        let csrf = app.login("tk@voima.example").await;
        let (list_status, list) = app.get("/employers").await;
        assert_eq!(list_status, 200);
        assert!(list.contains("href=\"/employers/import\""), "{list}");
        let form = [("business_id", "1572860-0"), ("name", "Rekisterissä Oy")];
        assert_eq!(app.post("/employers", &csrf, &form).await.0, 303);

        let page = upload_to(
            app,
            &csrf,
            "/employers/import",
            FILE.as_bytes().to_vec(),
            "tyonantajat.csv",
        )
        .await;
        let (status, html) = app.get(&page).await;
        assert_eq!(status, 200);
        assert!(html.contains("<strong>2</strong> riviä kunnossa"), "{html}");
        assert!(html.contains("<strong>3</strong> riviä, joissa on virheitä"));
        for line in [
            "Rivi 4: Y-tunnus: Työnantaja tällä Y-tunnuksella on jo rekisterissä.",
            "Rivi 5: Paikkakunta: Tuntematon kunta.",
            "Rivi 6: Y-tunnus: Y-tunnuksen tarkistusnumero ei täsmää.",
        ] {
            assert!(html.contains(line), "{line} in {html}");
        }
        assert!(html.contains("<th scope=\"row\">Salon Metalli Oy</th>"));
        assert!(html.contains("<td>Anna Aho</td>"), "the contact person");
        assert!(
            !html.contains("name=\"consent\""),
            "no consent statement for employers"
        );

        // Another organisation's coordinator does not see the file.
        let aura = TestApp::new_client();
        app.login_as(&aura, "tk@aura.example").await;
        let r = aura.get(app.url(&page)).sent().await;
        assert_eq!(r.status(), 404);

        // Nothing is written while rows have errors…
        let run = |skip: bool| {
            let mut form = vec![("csrf", csrf.clone())];
            if skip {
                form.push(("skip_bad", "on".into()));
            }
            app.client
                .post(app.url(&format!("{page}/run")))
                .form(&form)
                .sent()
        };
        let refused = run(false).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("ohitetaan"));
        assert_eq!(employers().await, 1, "nothing written");

        // …and skipping them writes the two good ones, with the contact person.
        let r = run(true).await;
        assert_eq!(r.status(), 303);
        let progress = r.headers()["location"].to_str().unwrap().to_string();
        let done = finished(app, &progress).await;
        assert!(
            done.contains("<strong id=\"imported\">2</strong>"),
            "{done}"
        );
        assert!(done.contains("href=\"/employers\""));
        assert_eq!(employers().await, 3);
        let metalli: (String, Option<String>, Option<String>, Option<String>) = sqlx::query_as(
            "SELECT e.name, e.industry, e.size_class, e.municipality FROM employers e WHERE business_id = '0112038-9'",
        )
        .fetch_one(&mut *app.db.acquire().await.unwrap())
        .await
        .unwrap();
        let expected = (
            "Salon Metalli Oy".to_string(),
            Some("C".into()),
            Some("small".into()),
            Some("734".into()),
        );
        assert_eq!(metalli, expected);
        // The contact person with the employer, and an audit entry for each employer.
        let (contacts, audited): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM employer_contacts WHERE name = 'Anna Aho' AND phone = '040 123 4567'), \
             (SELECT COUNT(*) FROM audit_log WHERE entity = 'employer' AND action = 'create' AND detail LIKE 'import %')",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!((contacts, audited), (1, 2));
        // Imported once: the file cannot be run again.
        assert_eq!(run(true).await.status(), 409);
    }
);
