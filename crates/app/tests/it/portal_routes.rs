//! Every route of the job seeker's channel, table-driven: without a sign-in (or with a staff
//! session) nothing opens, and one job seeker never reaches another's data or a staff note.

use crate::common::*;

/// The channel's pages a person reads (its GET routes but downloads and files), for the
/// phone sweep's axe check; `{sv}` a survey they were asked to answer.
pub(crate) const PAGES: &[&str] = &[
    "/my",
    "/my/services",
    "/my/messages",
    "/my/messages/with/{w}",
    "/my/assessment",
    "/my/data",
    "/my/surveys",
    "/my/surveys/{sv}",
];

/// (method, path): `{g}` is Maija's goal, `{st}` her step, `{s}` another organisation's group,
/// `{f}` the file of her message, `{sv}` a survey she was asked to answer, `{w}` the record a
/// partner who took her in holds (her thread with its staff).
const PRIVATE: &[(&str, &str)] = &[
    ("GET", "/my"),
    ("GET", "/my/services"),
    ("GET", "/my/messages"),
    ("GET", "/my/data"),
    ("GET", "/my/assessment"),
    ("GET", "/my/messages/files/{f}"),
    ("GET", "/my/messages/with/{w}"),
    ("POST", "/my/messages/with/{w}"),
    ("GET", "/my/data/download?format=json"),
    ("GET", "/my/data/download?format=pdf"),
    ("POST", "/my/goals/{g}/steps"),
    ("POST", "/my/steps/{st}/done"),
    ("POST", "/my/services/{s}/sign-up"),
    ("POST", "/my/services/{s}/cancel"),
    ("POST", "/my/services/propose"),
    ("POST", "/my/messages"),
    ("POST", "/my/data/request"),
    ("POST", "/my/assessment"),
    ("GET", "/my/surveys"),
    ("GET", "/my/surveys/{sv}"),
    ("POST", "/my/surveys/{sv}"),
];

db_test!(
    every_job_seeker_route_for_strangers_staff_and_others,
    |app| async move {
        // Every page of the channel is in the phone sweep's list.
        for (_, route) in PRIVATE.iter().filter(|(m, _)| *m == "GET") {
            let page = !route.contains("/files/") && !route.contains("/download");
            assert_eq!(
                page,
                PAGES.contains(route),
                "{route}: in PAGES for the axe check"
            );
        }
        let (org, project, csrf) = app.voima_counsellor().await;
        let mut people = vec![];
        for (hetu, name, email) in [
            ("131052-308T", "Berg", "maija@example.fi"),
            ("010160-9984", "Aho", "timo@example.fi"),
        ] {
            let mut form = intake(project, hetu, name);
            form.push(("email", email.to_string()));
            let (_, _, loc) = app.post("/participants", &csrf, &borrow(&form)).await;
            people.push(loc.unwrap());
        }
        let maija = &people[0];
        app.post(
            &format!("{maija}/goals"),
            &csrf,
            &[("kind", "work"), ("description", "Maijan tavoite")],
        )
        .await;
        let g: i64 = app.scalar("SELECT id FROM goals").await;
        app.post(
            &format!("{maija}/goals/{g}/steps"),
            &csrf,
            &[("description", "Maijan askel")],
        )
        .await;
        let st: i64 = app.scalar("SELECT id FROM steps").await;
        app.post(
            &format!("{maija}/notes"),
            &csrf,
            &[("body", "Sisäinen muistiinpano")],
        )
        .await;
        let other = app.org("Muu").await;
        let (s, _) = app.programme(other, "Toisen ryhmä", "10").await;
        let form = [
            ("csrf", ""),
            ("description", "x"),
            ("done", "yes"),
            ("body", "x"),
            ("kind", "correct"),
            ("details", "x"),
            ("name", "x"),
        ];

        // Maija writes to the staff, so there is something of hers to find.
        let maija_client = TestApp::new_client();
        let m_csrf = app.csrf_of(&maija_client, "/my/sign-in").await;
        let ask = |client: reqwest::Client, csrf: String, email: &'static str| async move {
            client
                .post(app.url("/my/sign-in"))
                .form(&[("csrf", csrf.as_str()), ("email", email)])
                .sent()
                .await;
            let body: String = app
                .scalar_for(
                    "SELECT body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
                    email.to_string(),
                )
                .await;
            let code = regex::Regex::new(r"\b\d{6}\b")
                .unwrap()
                .find(&body)
                .unwrap()
                .as_str()
                .to_string();
            let r = client
                .post(app.url("/my/code"))
                .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
                .sent()
                .await;
            assert_eq!(r.status(), 303);
            app.csrf_of(&client, "/my").await
        };
        let m_csrf = ask(maija_client.clone(), m_csrf, "maija@example.fi").await;
        let cv = reqwest::multipart::Part::bytes(b"%PDF Maijan CV".to_vec()).file_name("cv.pdf");
        let with_file = reqwest::multipart::Form::new()
            .text("csrf", m_csrf.clone())
            .text("body", "Maijan viesti")
            .part("file", cv);
        maija_client
            .post(app.url("/my/messages"))
            .multipart(with_file)
            .sent()
            .await;
        let f: i64 = app.scalar("SELECT id FROM message_attachments").await;
        // A survey only Maija was asked to answer.
        let (sv, _) = app.survey(org).await;
        let maija_id: i64 = maija.rsplit('/').next().unwrap().parse().unwrap();
        let mut tx = app.db.begin().await.unwrap();
        let survey = polku_domain::ids::SurveyId(sv);
        polku_store::surveys::set_status(&mut tx, survey, polku_domain::survey::SurveyStatus::Open)
            .await
            .unwrap();
        let today = app.clock_now().date_naive();
        polku_store::surveys::invite_participant(
            &mut tx,
            survey,
            polku_domain::ids::ParticipantId(maija_id),
            today,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let (_, w, _) = app
            .accepted_by_partner((org, maija_id), ("Opisto", "ps@college.example"))
            .await;
        let path = |p: &str| {
            p.replace("{g}", &g.to_string())
                .replace("{st}", &st.to_string())
                .replace("{s}", &s.to_string())
                .replace("{f}", &f.to_string())
                .replace("{sv}", &sv.to_string())
                .replace("{w}", &w.to_string())
        };

        // Strangers and staff: every route sends them to the sign-in (a change without the
        // channel's token is refused before that).
        let stranger = TestApp::new_client();
        let s_csrf = app.csrf_of(&stranger, "/my/sign-in").await;
        for (method, route) in PRIVATE {
            for (who, client, token) in [
                ("stranger", &stranger, s_csrf.as_str()),
                ("staff", &app.client, ""),
            ] {
                let r = if *method == "GET" {
                    client.get(app.url(&path(route))).sent().await
                } else {
                    let mut f = form.to_vec();
                    f[0] = ("csrf", token);
                    client.post(app.url(&path(route))).form(&f).sent().await
                };
                let status = r.status().as_u16();
                let to_sign_in = r
                    .headers()
                    .get("location")
                    .is_some_and(|l| l == "/my/sign-in");
                assert!(
                    (status == 303 && to_sign_in) || (*method == "POST" && status == 403),
                    "{who} {method} {route}: {status}"
                );
            }
        }

        // Timo, signed in: Maija's goal, step and another organisation's group answer 404; no
        // page or download of his shows her data or a staff note.
        let timo = TestApp::new_client();
        let t_csrf = app.csrf_of(&timo, "/my/sign-in").await;
        let t_csrf = ask(timo.clone(), t_csrf, "timo@example.fi").await;
        for (method, route) in PRIVATE {
            let r = if *method == "GET" {
                timo.get(app.url(&path(route))).sent().await
            } else {
                let mut f = form.to_vec();
                f[0] = ("csrf", t_csrf.as_str());
                timo.post(app.url(&path(route))).form(&f).sent().await
            };
            let status = r.status().as_u16();
            let body = String::from_utf8_lossy(&r.bytes().await.unwrap()).to_string();
            if ["{g}", "{st}", "{s}", "{f}", "{sv}", "{w}"]
                .iter()
                .any(|p| route.contains(p))
            {
                assert_eq!(status, 404, "{method} {route}");
            } else {
                assert!(status < 400 || status == 422, "{method} {route}: {status}");
            }
            for theirs in ["Berg", "Maijan", "Sisäinen muistiinpano", "131052"] {
                assert!(!body.contains(theirs), "{method} {route} shows {theirs}");
            }
        }
        let changed: i64 = app
            .scalar("SELECT COUNT(*) FROM steps WHERE done = 1 OR by_participant = 1")
            .await;
        assert_eq!(changed, 0, "nothing of Maija's changed");
        let answered: i64 = app.scalar("SELECT COUNT(*) FROM survey_responses").await;
        assert_eq!(answered, 0, "no answer in Maija's name");
        let to_partner: i64 = app
            .scalar_for("SELECT COUNT(*) FROM messages WHERE participant_id = $1", w)
            .await;
        assert_eq!(to_partner, 0, "nothing written to her partner in her name");
    }
);
