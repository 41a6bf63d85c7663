//! The job seeker's own channel (issue 15), second part: messages with the counsellor and
//! their files, the person's own data and requests, and the self-assessment.

use crate::common::*;
use crate::portal::{maija_in_voima, signed_in_as, timo_too};

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

/// Sends a message with a file as the browser's form would: (status, body).
async fn with_file(
    app: &TestApp,
    (client, csrf): &(reqwest::Client, String),
    path: &str,
    (body, name, bytes): (&str, &str, Vec<u8>),
) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("body", body.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    let r = client.post(app.url(path)).multipart(form).sent().await;
    (r.status().as_u16(), r.text().await.unwrap())
}

db_test!(
    a_message_carries_a_file_both_ways_and_only_to_its_people,
    |app| async move {
        let (_, project, csrf, person) = maija_in_voima(app).await;
        timo_too(app, &csrf, project).await;
        let maija = signed_in_as(app, "maija@example.fi").await;
        // A page is no attachment; an empty file neither: said in place, the text kept.
        let (status, html) = with_file(
            app,
            &maija,
            "/my/messages",
            ("Tässä CV", "cv.html", b"<p>".to_vec()),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("id=\"e-message-file\"") && html.contains("Tässä CV</textarea>"),
            "{html}"
        );
        let pdf = b"%PDF-1.4 Maijan CV".to_vec();
        let (status, _) = with_file(
            app,
            &maija,
            "/my/messages",
            ("Tässä CV", "CV Maija.pdf", pdf.clone()),
        )
        .await;
        assert_eq!(status, 303);
        let file: i64 = app.scalar("SELECT id FROM message_attachments").await;
        // She and her counsellor download it as it was sent, as a download, never as a page.
        let r = maija
            .0
            .get(app.url(&format!("/my/messages/files/{file}")))
            .sent()
            .await;
        assert_eq!(
            r.headers()["content-disposition"],
            "attachment; filename=\"CV_Maija.pdf\""
        );
        assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
        let (_, page) = app.get(&person).await;
        assert!(
            page.contains(&format!("/files/{file}\">CV Maija.pdf</a>")),
            "{page}"
        );
        let r = app
            .client
            .get(app.url(&format!("{person}/files/{file}")))
            .sent()
            .await;
        assert_eq!(r.headers()["content-type"], "application/pdf");
        // Timo does not reach it.
        let timo = signed_in_as(app, "timo@example.fi").await;
        let r = timo
            .0
            .get(app.url(&format!("/my/messages/files/{file}")))
            .sent()
            .await;
        assert_eq!(r.status(), 404);
        // The counsellor answers with a file of her own.
        let staff = (app.client.clone(), csrf.clone());
        let (status, _) = with_file(
            app,
            &staff,
            &format!("{person}/messages"),
            ("Ohje liitteenä", "ohje.txt", b"Ohje".to_vec()),
        )
        .await;
        assert_eq!(status, 303);
        let page = maija.0.get(app.url("/my/messages")).text_body().await;
        assert!(page.contains(">ohje.txt</a> (1 kB)"), "{page}");
        // Erasure takes the files with the messages.
        app.user(
            polku_domain::ids::OrgId(app.scalar::<i64>("SELECT owner_org_id FROM projects").await),
            "pm@voima.example",
            polku_domain::authz::Role::ProjectManager,
        )
        .await;
        let pm = TestApp::new_client();
        let pm_csrf = app.login_as(&pm, "pm@voima.example").await;
        let (status, _, _) = post_as(
            app,
            &(pm, pm_csrf),
            &format!("{person}/erase"),
            &[("reason", "request"), ("confirm", "yes")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(
            app.scalar::<i64>("SELECT COUNT(*) FROM message_attachments")
                .await,
            0
        );
    }
);
