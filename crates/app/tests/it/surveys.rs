//! Surveys (issue 15): staff build one of scale, choice and free-text questions, send it to a
//! project's or a group's participants and to employers by a link; answers anonymous or
//! linked as chosen; results with charts, response rates, CSV and XLSX, cells under five
//! hidden. Another organisation's survey answers as if it did not exist.

use crate::common::*;
use crate::portal::{person_with_email, signed_in_as};

/// Creates a survey on the page and adds three questions: its page.
async fn survey_with_questions(app: &TestApp, csrf: &str, title: &str, anonymous: bool) -> String {
    let mut form = vec![("title", title)];
    if anonymous {
        form.push(("anonymous", "on"));
    }
    let (status, _, loc) = app.post("/surveys", csrf, &form).await;
    assert_eq!(status, 303);
    let page = loc.unwrap();
    for q in [
        [
            ("kind", "scale"),
            ("text", "Kuinka tyytyväinen olit ohjaukseen?"),
            ("options", ""),
        ],
        [
            ("kind", "choice"),
            ("text", "Mistä kuulit hankkeesta?"),
            ("options", "TE-toimistosta\nKaverilta\nLehdestä"),
        ],
        [
            ("kind", "text"),
            ("text", "Mitä muuta haluat sanoa?"),
            ("options", ""),
        ],
    ] {
        let (status, _, _) = app.post(&format!("{page}/questions"), csrf, &q).await;
        assert_eq!(status, 303, "{q:?}");
    }
    page
}

/// The link in the newest mail to `email`.
async fn link_for(app: &TestApp, email: &str) -> String {
    let body: String = app
        .scalar_for(
            "SELECT body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
            email.to_string(),
        )
        .await;
    let link = regex::Regex::new(r"https?://\S+").unwrap();
    link.find(&body).unwrap().as_str().to_string()
}

fn path_of(link: &str) -> String {
    let after_scheme = link.split_once("://").unwrap().1;
    format!("/{}", after_scheme.split_once('/').unwrap().1)
}

const PEOPLE: [(&str, &str, &str); 6] = [
    ("131052-308T", "Berg", "maija@example.fi"),
    ("010160-9984", "Aho", "timo@example.fi"),
    ("020262-123V", "Koski", "p3@example.fi"),
    ("030363-123K", "Laine", "p4@example.fi"),
    ("040464-1239", "Niemi", "p5@example.fi"),
    ("050565-1230", "Salo", "p6@example.fi"),
];

db_test!(
    an_anonymous_survey_goes_to_a_project_and_employers_and_hides_small_cells,
    |app| async move {
        let (org, project, csrf) = app.voima_counsellor().await;
        for who in PEOPLE {
            person_with_email(app, &csrf, project, who).await;
        }

        // A survey without a name is said in place; a choice needs two options.
        let (status, html, _) = app.post("/surveys", &csrf, &[("title", " ")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-survey-title\""), "{html}");
        let page = survey_with_questions(app, &csrf, "Loppukysely", true).await;
        let sv: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
        let one_option = [
            ("kind", "choice"),
            ("text", "Yksi vaihtoehto?"),
            ("options", "Vain tämä"),
        ];
        let (status, html, _) = app
            .post(&format!("{page}/questions"), &csrf, &one_option)
            .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("id=\"e-question-options\"")
                && html.contains("value=\"Yksi vaihtoehto?\""),
            "refused in place with the question kept: {html}"
        );

        // Sent to the project: each participant once, told by e-mail with the link to their page.
        let send = [("to", "project"), ("project_id", &project.to_string())];
        let (status, _, _) = app.post(&format!("{page}/send"), &csrf, &send).await;
        assert_eq!(status, 303);
        let link = link_for(app, "maija@example.fi").await;
        assert!(link.ends_with(&format!("/my/surveys/{sv}")), "{link}");
        app.post(&format!("{page}/send"), &csrf, &send).await;
        let invited: i64 = app.scalar("SELECT COUNT(*) FROM survey_invitations").await;
        assert_eq!(invited, 6, "sending again asks no one twice");
        assert_eq!(crate::portal::mails_to(app, "maija@example.fi").await, 1);
        // Open: its questions no longer change.
        let late = [("kind", "text"), ("text", "Myöhäinen"), ("options", "")];
        let (status, html, _) = app.post(&format!("{page}/questions"), &csrf, &late).await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"question-form\""), "{html}");

        // Maija answers in her own channel: what is missing is said in place, her text kept.
        let maija = signed_in_as(app, "maija@example.fi").await;
        let list = maija.0.get(app.url("/my/surveys")).text_body().await;
        assert!(list.contains("Loppukysely"), "{list}");
        let own = format!("/my/surveys/{sv}");
        let (status, html, _) = post_as(app, &maija, &own, &[("q3", "Maijan oma palaute")]).await;
        assert_eq!(status, 422);
        assert!(
            html.contains("href=\"#answer-q1\"")
                && html.contains("id=\"answer-q1\"")
                && html.contains("Maijan oma palaute"),
            "{html}"
        );
        let answer = [("q1", "4"), ("q2", "2"), ("q3", "Maijan oma palaute")];
        let (status, _, loc) = post_as(app, &maija, &own, &answer).await;
        assert_eq!((status, loc.as_deref()), (303, Some("/my/surveys")));
        let (status, html, _) = post_as(app, &maija, &own, &answer).await;
        assert_eq!(status, 422, "one answer each");
        assert!(html.contains("id=\"survey-answered\""), "{html}");
        let linked: i64 = app
            .scalar("SELECT COUNT(*) FROM survey_responses WHERE participant_id IS NOT NULL OR answered_on IS NOT NULL")
            .await;
        assert_eq!(linked, 0, "an anonymous answer names no one, nor its day");

        // One answer: the counts show as <5, the free text not at all — on the page and in the CSV.
        let results = format!("{page}/results");
        let (status, html) = app.get(&results).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("&lt;5") && !html.contains("Maijan oma palaute"),
            "{html}"
        );
        let csv = app
            .client
            .get(app.url(&format!("{results}?format=csv")))
            .text_body()
            .await;
        assert!(
            csv.contains("<5") && !csv.contains("Maijan oma palaute"),
            "{csv}"
        );

        // Four more answer.
        for (i, (_, _, email)) in PEOPLE[2..].iter().enumerate() {
            let who = signed_in_as(app, email).await;
            let text = if i == 0 {
                "Ryhmä auttoi"
            } else {
                "Hyvä ohjaus"
            };
            let score = if i < 3 { "4" } else { "5" };
            let form = [("q1", score), ("q2", "1"), ("q3", text)];
            assert_eq!(post_as(app, &who, &own, &form).await.0, 303, "{email}");
        }
        let (_, html) = app.get(&results).await;
        // Five answers: the total, the mean and the free texts show; the scale's 4 × "4" and
        // 1 × "5" are each under five, so hidden.
        assert!(
            html.contains("role=\"img\"") && html.contains("id=\"chart-q1-title\""),
            "{html}"
        );
        assert!(
            html.contains("Maijan oma palaute") && html.contains("Hyvä ohjaus"),
            "five answers: texts shown"
        );
        assert!(html.contains("4,2"), "mean shown: {html}");
        let data: serde_json::Value = app
            .client
            .get(app.url(&format!("/api/v1/surveys/{sv}/results")))
            .bearer_auth(app.api_token(&app.client, &csrf, "k").await)
            .json_body()
            .await;
        let counts = |q: &serde_json::Value| -> Vec<serde_json::Value> {
            let options = q["options"].as_array().unwrap();
            options.iter().map(|o| o["count"].clone()).collect()
        };
        let q1 = &data["questions"][0];
        assert_eq!(q1["answers"], 5);
        assert_eq!(
            counts(q1),
            vec![
                0.into(),
                0.into(),
                0.into(),
                serde_json::Value::Null,
                serde_json::Value::Null
            ]
        );
        assert_eq!(
            counts(&data["questions"][1]),
            vec![serde_json::Value::Null, serde_json::Value::Null, 0.into()],
            "4 and 1 hidden, 0 shown"
        );
        assert_eq!(data["rates"][0]["invited"], 6);
        assert_eq!(data["rates"][0]["answered"], 5);
        let xlsx = app
            .client
            .get(app.url(&format!("{results}?format=xlsx")))
            .sent()
            .await;
        assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");

        // Employers who agreed to be contacted, each by its own link; one without consent is not asked.
        app.employer_to_ask(
            org,
            ("1234567-1", "Konepaja Oy"),
            Some("hr@konepaja.fi"),
            true,
        )
        .await;
        app.employer_to_ask(
            org,
            ("2345678-0", "Kauppa Oy"),
            Some("info@kauppa.fi"),
            true,
        )
        .await;
        app.employer_to_ask(org, ("7654321-2", "Kielto Oy"), Some("ei@kielto.fi"), false)
            .await;
        let to_employers = [("to", "employers")];
        assert_eq!(
            app.post(&format!("{page}/send"), &csrf, &to_employers)
                .await
                .0,
            303
        );
        assert_eq!(crate::portal::mails_to(app, "ei@kielto.fi").await, 0);
        let link = path_of(&link_for(app, "hr@konepaja.fi").await);
        assert!(link.starts_with("/survey/"), "{link}");
        let employer = TestApp::new_client();
        let form = employer.get(app.url(&link)).text_body().await;
        assert!(
            form.contains("Kuinka tyytyväinen olit ohjaukseen?"),
            "the link opens without signing in: {form}"
        );
        let e_csrf = csrf_in(&form);
        let answer = [
            ("csrf", e_csrf.as_str()),
            ("q1", "5"),
            ("q2", "3"),
            ("q3", ""),
        ];
        let r = employer.post(app.url(&link)).form(&answer).sent().await;
        assert_eq!(r.status(), 303);
        let again = employer.post(app.url(&link)).form(&answer).sent().await;
        assert_eq!(again.status(), 422, "an employer answers once");
        let unknown = employer.get(app.url("/survey/0123abcd")).sent().await;
        assert_eq!(unknown.status(), 404);
        let stored: Option<String> = app
            .scalar("SELECT MAX(token_hash) FROM survey_invitations")
            .await;
        assert!(
            !stored
                .unwrap()
                .contains(link.trim_start_matches("/survey/")),
            "only a hash is kept"
        );
        let (_, html) = app.get(&results).await;
        assert!(
            html.contains("Työnantajat") && html.contains("50,0"),
            "employers' rate 1/2: {html}"
        );

        // Another organisation's counsellor finds nothing, on the page or in the API.
        let other = TestApp::new_client();
        let o_org = app.org("Muu").await;
        app.user(
            o_org,
            "o@muu.example",
            polku_domain::authz::Role::Counsellor,
        )
        .await;
        let o_csrf = app.login_as(&other, "o@muu.example").await;
        let o_token = app.api_token(&other, &o_csrf, "o").await;
        for path in [page.clone(), results.clone()] {
            assert_eq!(
                other.get(app.url(&path)).sent().await.status(),
                404,
                "{path}"
            );
        }
        let api = other
            .get(app.url(&format!("/api/v1/surveys/{sv}/results")))
            .bearer_auth(&o_token)
            .sent()
            .await;
        assert_eq!(api.status(), 404);
        let theirs = other.get(app.url("/surveys")).text_body().await;
        assert!(!theirs.contains("Loppukysely"));

        // Closed: no more answers, by the portal or by a link.
        let (status, _, _) = app.post(&format!("{page}/close"), &csrf, &[]).await;
        assert_eq!(status, 303);
        let timo = signed_in_as(app, "timo@example.fi").await;
        let (status, html, _) = post_as(app, &timo, &own, &[("q1", "3"), ("q2", "1")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"survey-closed\""), "{html}");
        let second = path_of(&link_for(app, "info@kauppa.fi").await);
        let page = employer.get(app.url(&second)).text_body().await;
        assert!(page.contains("id=\"survey-closed\""), "{page}");
    }
);

db_test!(
    a_linked_survey_to_a_group_shows_who_answered_until_erasure,
    |app| async move {
        let (org, project, csrf) = app.voima_counsellor().await;
        let maija = person_with_email(app, &csrf, project, PEOPLE[0]).await;
        person_with_email(app, &csrf, project, PEOPLE[1]).await;
        let x: i64 = maija.rsplit('/').next().unwrap().parse().unwrap();
        let (group, _) = app.programme(org, "Työnhakupaja", "10").await;
        let mut tx = app.db.begin().await.unwrap();
        let person = polku_domain::ids::ParticipantId(x);
        polku_store::services::enrol(&mut tx, group, person, false, app.clock_now())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let page = survey_with_questions(app, &csrf, "Ryhmän palaute", false).await;
        let sv: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
        // A group must be named.
        let (status, html, _) = app
            .post(&format!("{page}/send"), &csrf, &[("to", "group")])
            .await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-send-service_id\""), "{html}");
        let send = [("to", "group"), ("service_id", &group.to_string())];
        assert_eq!(app.post(&format!("{page}/send"), &csrf, &send).await.0, 303);
        let invited: i64 = app.scalar("SELECT COUNT(*) FROM survey_invitations").await;
        assert_eq!(invited, 1, "only the group's participant");

        // Timo was not asked: the survey is not his to see.
        let timo = signed_in_as(app, "timo@example.fi").await;
        let r = timo
            .0
            .get(app.url(&format!("/my/surveys/{sv}")))
            .sent()
            .await;
        assert_eq!(r.status(), 404);

        let maija_c = signed_in_as(app, "maija@example.fi").await;
        let answer = [("q1", "5"), ("q2", "2"), ("q3", "Kiitos Maijalta")];
        let (status, _, _) = post_as(app, &maija_c, &format!("/my/surveys/{sv}"), &answer).await;
        assert_eq!(status, 303);
        let (_, html) = app.get(&format!("{page}/results")).await;
        assert!(
            html.contains("id=\"survey-respondents\"")
                && html.contains("Berg")
                && html.contains("Kiitos Maijalta"),
            "a linked survey names who answered: {html}"
        );

        // Erased, she is unlinked and her free text goes; the answer stays counted.
        let mut tx = app.db.begin().await.unwrap();
        polku_store::erasure::erase(&mut tx, &[person], app.clock_now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (_, html) = app.get(&format!("{page}/results")).await;
        assert!(
            !html.contains("Kiitos Maijalta") && !html.contains("Berg"),
            "{html}"
        );
        let kept: i64 = app.scalar("SELECT COUNT(*) FROM survey_answers").await;
        assert_eq!(kept, 3);
    }
);

db_test!(
    the_api_builds_sends_and_reports_a_survey,
    |app| async move {
        let (_, project, csrf) = app.voima_counsellor().await;
        person_with_email(app, &csrf, project, PEOPLE[0]).await;
        let token = app.api_token(&app.client, &csrf, "api").await;
        let body =
            serde_json::json!({"title": "Palaute", "anonymous": true, "project_id": project});
        let sv = app.api_create(&token, "/api/v1/surveys", body).await;
        let q = serde_json::json!({"kind": "choice", "text": "Mistä kuulit?", "options": ["Lehdestä", "Kaverilta"]});
        let qid = app
            .api_create(&token, &format!("/api/v1/surveys/{sv}/questions"), q)
            .await;
        let bad = serde_json::json!({"kind": "choice", "text": "Yksi?", "options": ["Vain"]});
        let r = app
            .api_post(&token, &format!("/api/v1/surveys/{sv}/questions"), bad)
            .await;
        assert_eq!(r.status(), 422);
        let q = serde_json::json!({"kind": "scale", "text": "Arvosana?"});
        app.api_create(&token, &format!("/api/v1/surveys/{sv}/questions"), q)
            .await;
        let r = app
            .client
            .delete(app.url(&format!("/api/v1/surveys/{sv}/questions/{qid}")))
            .bearer_auth(&token)
            .sent()
            .await;
        assert_eq!(r.status(), 204);
        let detail: serde_json::Value = app
            .client
            .get(app.url(&format!("/api/v1/surveys/{sv}")))
            .bearer_auth(&token)
            .json_body()
            .await;
        assert_eq!(detail["questions"].as_array().unwrap().len(), 1);
        assert_eq!(detail["questions"][0]["position"], 1, "the rest moved up");
        assert_eq!(detail["survey"]["status"], "draft");
        let send = serde_json::json!({"to": "project", "project_id": project});
        let r = app
            .api_post(&token, &format!("/api/v1/surveys/{sv}/send"), send)
            .await;
        assert_eq!(r.status(), 200);
        let sent: serde_json::Value = r.json().await.unwrap();
        assert_eq!(sent["participants"], 1);
        let r = app
            .api_post(
                &token,
                &format!("/api/v1/surveys/{sv}/close"),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(r.status(), 204);
        let list: serde_json::Value = app
            .client
            .get(app.url("/api/v1/surveys"))
            .bearer_auth(&token)
            .json_body()
            .await;
        assert_eq!(list[0]["status"], "closed");
        assert_eq!(list[0]["invited"], 1);
    }
);
