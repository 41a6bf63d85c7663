use crate::common::*;
use polku_domain::authz::Role;

db_test!(lists_export_as_csv_for_excel_and_xlsx, |app| async move {
    let (org, project, csrf) = app
        .counsellor_in("Luksia", "c@luksia.example", "S20364")
        .await;
    app.enter(&csrf, project, "131052-308T", "Öhman").await;
    let r = app
        .client
        .get(app.url("/participants?q=&format=csv"))
        .sent()
        .await;
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("participants.csv"));
    let body = r.bytes().await.unwrap();
    assert_eq!(&body[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    assert!(
        text.starts_with("Sukunimi;Etunimi;Syntymäaika;Hanke;Kotikunta;Aloituspäivä"),
        "{text}"
    );
    assert!(text.contains("Öhman;Maija;13.10.1952;S20364;Salo;2.3.2026"));
    assert!(!text.contains("131052"), "no identity codes in exports");
    let r = app
        .client
        .get(app.url("/participants?q=&format=xlsx"))
        .sent()
        .await;
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
    // Catalogue and roster with attendance.
    let (svc, ss) = app.programme(org, "Lohjan ryhmä", "10").await;
    let pid: i64 = app.scalar("SELECT id FROM participants").await;
    app.post(
        &format!("/services/{svc}/enrol"),
        &csrf,
        &[("participant_id", &pid.to_string())],
    )
    .await;
    let k = format!("a_{pid}");
    app.post(
        &format!("/services/{svc}/sessions/{ss}"),
        &csrf,
        &[(k.as_str(), "present")],
    )
    .await;
    let text = app
        .client
        .get(app.url("/services?format=csv"))
        .text_body()
        .await;
    assert!(
        text.contains(
            "Lohjan ryhmä;ryhmävalmennus;;Luksia;Luksia;lähitapaaminen;;10;1;0;;;hyväksytty"
        ),
        "{text}"
    );
    let text = app
        .client
        .get(app.url(&format!("/services/{svc}/export?format=csv")))
        .text_body()
        .await;
    assert!(
        text.contains("Öhman, Maija;ilmoittautunut;1;0;0;100,0")
            && text.contains("Ryhmän läsnäoloaste;;1;0;0;100,0"),
        "{text}"
    );
    let exports: i64 = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'export'")
        .await;
    assert_eq!(exports, 3, "exports of personal data are audited");
});

db_test!(
    projects_audit_users_and_organisations_export,
    |app| async move {
        let org = app.org("Salon kaupunki").await;
        app.user(org, "admin@salo.example", Role::Admin).await;
        app.project(org, "S21358").await;
        app.project(org, "S20363").await;
        app.login("admin@salo.example").await;
        let (_, html) = app.get("/projects?q=s213").await;
        assert!(
            html.contains("S21358") && !html.contains("S20363"),
            "filtered"
        );
        let text = app
            .client
            .get(app.url("/projects?q=s213&format=csv"))
            .text_body()
            .await;
        assert!(text.contains("Hankekoodi;Nimi;Hakija / toteuttaja;Alkaa;Päättyy;Kunnat"));
        assert!(
            text.contains("S21358;Hanke S21358;Salon kaupunki;1.1.2026;31.12.2027;Salo")
                && !text.contains("S20363"),
            "{text}"
        );
        // The audit log filters by action and day, and exports what it shows.
        let (_, html) = app
            .get("/audit?action=login&from=2.3.2026&to=2.3.2026")
            .await;
        assert!(html.contains("<td>login</td>") && !html.contains("<td>export</td>"));
        let (_, html) = app.get("/audit?action=login&from=3.3.2026").await;
        assert!(!html.contains("<td>login</td>"), "nothing after the day");
        let (status, html) = app.get("/audit?from=32.1.2026").await;
        assert_eq!((status, html.contains("Päivämäärä ei kelpaa")), (422, true));
        // Past 500 entries the page says so and links to the older ones, which page on.
        let user: i64 = app
            .scalar("SELECT id FROM users WHERE email = 'admin@salo.example'")
            .await;
        let admin = polku_domain::authz::Actor {
            user: polku_domain::ids::UserId(user),
            org,
            role: Role::Admin,
        };
        let mut tx = app.db.begin().await.unwrap();
        for i in 0..520 {
            polku_store::audit::Audit::by(&admin, app.clock_now())
                .read(&mut tx, polku_store::audit::Entity::Project(i), "")
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        let (_, html) = app.get("/audit?action=read").await;
        assert!(html.contains("Näytetään 500 merkintää, uusimmat ensin"));
        let older = regex::Regex::new(r#"href="(/audit\?[^"]*before=\d+)""#)
            .unwrap()
            .captures(&html)
            .expect("a link to the older entries")[1]
            .replace("&amp;", "&")
            .replace("&#38;", "&");
        let (_, html) = app.get(&older).await;
        let shown = html.matches("<td>read</td>").count();
        let reads: i64 = app
            .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'read'")
            .await;
        assert!(
            (20..500).contains(&shown),
            "{shown} older entries of {reads}: {older}"
        );
        assert!(!html.contains("Vanhemmat merkinnät"), "the last page");
        let text = app
            .client
            .get(app.url("/audit?action=export&format=csv"))
            .text_body()
            .await;
        assert!(text.starts_with("\u{feff}Aika;Käyttäjä;Toiminto;Kohde"));
        let text = app
            .client
            .get(app.url("/admin/users?format=csv"))
            .text_body()
            .await;
        assert!(text.contains("admin@salo.example;pääkäyttäjä;Salon kaupunki"));
        let text = app
            .client
            .get(app.url("/admin/orgs?format=csv"))
            .text_body()
            .await;
        assert!(text.contains("Salon kaupunki;;hankkeen toteuttaja"));
        // The employer register, as the filter shows it.
        let csrf = app.csrf_of(&app.client, "/employers/new").await;
        for (id, name) in [("0112038-9", "Yrityssalo Oy"), ("2345671-3", "Konepaja Oy")] {
            let form = [
                ("business_id", id),
                ("name", name),
                ("industry", "H"),
                ("town", "Salo"),
            ];
            assert_eq!(app.post("/employers", &csrf, &form).await.0, 303, "{name}");
        }
        let text = app
            .client
            .get(app.url("/employers?q=yritys&format=csv"))
            .text_body()
            .await;
        assert!(
            text.contains("Nimi;Y-tunnus;Toimiala (TOL 2008);Kokoluokka;Paikkakunta"),
            "{text}"
        );
        assert!(
            text.contains("Yrityssalo Oy;0112038-9;H Kuljetus ja varastointi;;Salo;;ei")
                && !text.contains("Konepaja"),
            "{text}"
        );
    }
);
