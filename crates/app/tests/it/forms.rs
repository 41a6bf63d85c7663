//! The small forms on a person's page: a refused one is shown again in place — the whole page
//! with its menu, status 422, the form holding what was typed and the refused field's error
//! next to it, linked from the error summary.

use crate::common::TestApp;

/// The error shown for `field` of `form`, which must be there and say something.
fn error_of(html: &str, form: &str, field: &str) -> String {
    let id = format!("id=\"e-{form}-{field}\">");
    let at = html
        .find(&id)
        .unwrap_or_else(|| panic!("no error for {form}/{field}"));
    let text = &html[at + id.len()..];
    let text = &text[..text.find('<').unwrap()];
    assert!(!text.trim().is_empty(), "empty error for {form}/{field}");
    text.to_string()
}

/// Submits `typed` (`field=value&…`) to `url`; the page must come back whole and refused, with the field
/// marked and the summary linking to it. Returns the page.
async fn refuse(
    app: &TestApp,
    csrf: &str,
    url: &str,
    (form, field): (&str, &str),
    typed: &str,
) -> String {
    let pairs: Vec<(&str, &str)> = typed
        .split('&')
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let (status, html, _) = app.post(url, csrf, &pairs).await;
    assert_eq!(status, 422, "{form}/{field}");
    assert!(html.contains("<nav"), "the menu is there");
    assert!(
        html.contains(&format!("href=\"#{form}-{field}\"")),
        "summary links to {form}-{field}"
    );
    assert!(
        html.contains(&format!("aria-describedby=\"e-{form}-{field}\"")),
        "{form}-{field} is described by its error"
    );
    error_of(&html, form, field);
    html
}

db_test!(
    refused_small_forms_come_back_with_what_was_typed,
    |app| async move {
        let (_, csrf, person) = app
            .person_in("VOIMA", "c@voima.example", "S21358", "131052-308T", "Öhman")
            .await;

        // Guidance contact: a duration out of range keeps the summary and the date typed.
        let r = refuse(
            app,
            &csrf,
            &format!("{person}/contacts"),
            ("contact", "duration_min"),
            "kind=phone&date=27.2.2026&duration_min=0&summary=Soitto työkokeilusta",
        )
        .await;
        assert_eq!(
            error_of(&r, "contact", "duration_min"),
            "Anna luku väliltä 1–1\u{a0}440.",
            "the message names the range"
        );
        assert!(r.contains("value=\"Soitto työkokeilusta\""));
        assert!(r.contains("value=\"27.2.2026\""));
        assert!(r.contains("<option value=\"phone\" selected>"));

        // Goal: an impossible target date keeps the description.
        let r = refuse(
            app,
            &csrf,
            &format!("{person}/goals"),
            ("goal", "target_date"),
            "kind=training&description=Trukkikortti&target_date=31.13.2026",
        )
        .await;
        assert!(r.contains("value=\"Trukkikortti\"") && r.contains("value=\"31.13.2026\""));
        assert!(r.contains("<option value=\"training\" selected>"));

        // Step of a goal: the goal's own form comes back, not the others'.
        let ok = app
            .post(
                &format!("{person}/goals"),
                &csrf,
                &[("kind", "work"), ("description", "Palkkatyö")],
            )
            .await;
        assert_eq!(ok.0, 303);
        let goal: i64 = sqlx::query_scalar("SELECT id FROM goals")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        let r = refuse(
            app,
            &csrf,
            &format!("{person}/goals/{goal}/steps"),
            (&format!("step-{goal}"), "due_date"),
            "description=CV kuntoon&due_date=huomenna",
        )
        .await;
        assert!(r.contains("value=\"CV kuntoon\"") && r.contains("value=\"huomenna\""));

        // Note: an empty one is refused; the page does not lose the other forms' defaults.
        refuse(
            app,
            &csrf,
            &format!("{person}/notes"),
            ("note", "body"),
            "body=   ",
        )
        .await;

        // Consent: a kind that does not exist.
        let r = refuse(
            app,
            &csrf,
            &format!("{person}/consents"),
            ("consent", "kind"),
            "kind=newsletter&granted=no",
        )
        .await;
        assert!(r.contains("<option value=\"no\" selected>"));

        // Exit: a date before entry (2.3.2026) keeps the chosen status and the ticked box.
        let r = refuse(
            app,
            &csrf,
            &format!("{person}/exit"),
            ("exit", "exit_date"),
            "exit_date=1.3.2026&exit_status=education&in_education=on&version=1",
        )
        .await;
        assert!(r.contains("value=\"1.3.2026\""));
        assert!(r.contains("<option value=\"education\" selected>"));
        assert!(r.contains("id=\"exit-in_education\" name=\"in_education\" checked"));

        // Follow-up (open once the person has left): no finding chosen, the ticked box kept.
        assert_eq!(
            app.exit_as(&csrf, &person, "2.3.2026", "job_searching")
                .await,
            303
        );
        let r = refuse(
            app,
            &csrf,
            &format!("{person}/follow-up"),
            ("follow-up", "status"),
            "status=&improved=on",
        )
        .await;
        assert!(r.contains("id=\"follow-up-improved\" name=\"improved\" checked"));

        // Nothing refused was stored.
        let stored: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM steps) + (SELECT COUNT(*) FROM notes)",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
        assert_eq!(stored, 0);
    }
);

db_test!(
    refused_group_and_drop_in_forms_come_back_with_what_was_typed,
    |app| async move {
        let (org, _, csrf) = app.voima_counsellor().await;
        let (service, _) = app.programme(org, "CV-paja", "10").await;
        let group = format!("/services/{service}");

        // A session that ends before it starts keeps the place typed.
        let r = refuse(
            app,
            &csrf,
            &format!("{group}/sessions"),
            ("session", "end_time"),
            "date=9.3.2026&start_time=12&end_time=9&place=Salon kirjasto",
        )
        .await;
        assert!(r.contains("value=\"Salon kirjasto\"") && r.contains("value=\"9.3.2026\""));
        assert!(r.contains("<details open>"), "the folded form is open");

        // Enrolling nobody.
        refuse(
            app,
            &csrf,
            &format!("{group}/enrol"),
            ("enrol", "participant_id"),
            "participant_id=",
        )
        .await;

        // The drop-in point's shift and visit forms.
        let (status, _, loc) = app
            .post("/dropin", &csrf, &[("name", "Voimala"), ("town", "Salo")])
            .await;
        assert_eq!(status, 303);
        let point = loc.unwrap().split('?').next().unwrap().to_string();
        let r = refuse(
            app,
            &csrf,
            &format!("{point}/shifts"),
            ("shift", "start_time"),
            "date=4.3.2026&start_time=25&end_time=12&topic=Työnhaku",
        )
        .await;
        assert!(r.contains("value=\"Työnhaku\"") && r.contains("value=\"25\""));
        let r = refuse(
            app,
            &csrf,
            &format!("{point}/visits"),
            ("visit", "anonymous_count"),
            "date=2.3.2026&anonymous_count=&topic=Avoin neuvonta",
        )
        .await;
        assert!(r.contains("value=\"Avoin neuvonta\"") && r.contains("value=\"2.3.2026\""));
    }
);

db_test!(
    refused_project_forms_come_back_with_what_was_typed,
    |app| async move {
        let org = app.org("VOIMA").await;
        app.user(
            org,
            "pp@voima.example",
            polku_domain::authz::Role::ProjectManager,
        )
        .await;
        let project = app.project(org, "S21358").await;
        let csrf = app.login("pp@voima.example").await;
        let page = format!("/projects/{project}");

        // A target group with an age out of range keeps its name, the rest and the ticks.
        let r = refuse(
            app,
            &csrf,
            &format!("{page}/target-groups"),
            ("tg", "min_age"),
            "name=Yli 54-vuotiaat&min_age=5&min_subsidy_days=200&unemployed_only=on",
        )
        .await;
        assert!(r.contains("value=\"Yli 54-vuotiaat\"") && r.contains("value=\"200\""));
        assert!(r.contains("name=\"unemployed_only\" checked"));
        assert!(r.contains("<details open>"), "the folded form is open");

        // A partner without an organisation keeps the chosen role.
        let r = refuse(
            app,
            &csrf,
            &format!("{page}/partners"),
            ("partner", "org_id"),
            "org_id=&role=funder",
        )
        .await;
        assert!(r.contains("<option value=\"funder\" selected>"));
    }
);

db_test!(a_save_says_it_saved_once, |app| async move {
    let (_, csrf, person) = app
        .person_in("VOIMA", "c@voima.example", "S21358", "131052-308T", "Öhman")
        .await;
    let saved = r#"<div class="notice" role="status">Tallennettu.</div>"#;
    let (_, before) = app.get(&person).await;
    assert!(!before.contains(saved), "nothing saved yet");
    assert_eq!(app.add_contact(&csrf, &person, "Soitto").await, 303);
    let (_, after) = app.get(&person).await;
    assert!(after.contains(saved), "the page says it saved");
    let (_, again) = app.get(&person).await;
    assert!(!again.contains(saved), "once");
});

db_test!(
    attendance_is_everyone_present_then_the_exceptions,
    |app| async move {
        let (org, project, csrf) = app.voima_counsellor().await;
        let (service, session) = app.programme(org, "CV-paja", "20").await;
        let mut people = vec![];
        for (i, name) in ["Aho", "Berg", "Costa"].iter().enumerate() {
            let hetu = crate::fixtures::hetu(10 + i as u32, 5, 61, 902);
            let (_, _, loc) = app.enter(&csrf, project, &hetu, name).await;
            let id: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
            let enrol = [("participant_id", id.to_string())];
            let enrol: Vec<(&str, &str)> = enrol.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, _, _) = app
                .post(&format!("/services/{service}/enrol"), &csrf, &enrol)
                .await;
            assert_eq!(status, 303);
            people.push(id);
        }
        // Buttons with a consequence name their object, and ask first: the cancel button opens
        // a question that says what happens, and only the button under it cancels.
        let (_, html) = app.get(&format!("/services/{service}")).await;
        assert!(
            html.contains("<details class=\"confirm\"><summary>Peru: Maija Berg</summary>"),
            "{html}"
        );
        assert!(html.contains(
            "Maija Berg menettää paikkansa ryhmässä. Jos jonossa on joku, ensimmäinen saa paikan."
        ));
        assert!(html.contains(">Vahvista – Peru: Maija Berg</button>"));
        // Exiting is a folded form that says what it does, its button naming the person.
        let (_, html) = app.get(&format!("/participants/{}", people[0])).await;
        assert!(html.contains("<summary>Päätä osallistuminen: Maija Aho</summary>"));
        assert!(html.contains(">Tallenna poistuminen: Maija Aho</button>"));
        // One exception and the button for everyone else: two clicks on the page.
        let absent = format!("a_{}", people[1]);
        let form = [(absent.as_str(), "absent"), ("rest", "present")];
        let (status, _, _) = app
            .post(
                &format!("/services/{service}/sessions/{session}"),
                &csrf,
                &form,
            )
            .await;
        assert_eq!(status, 303);
        let marks = app.marks(session).await;
        assert_eq!(
            marks,
            vec![
                (people[0], "present".to_string()),
                (people[1], "absent".to_string()),
                (people[2], "present".to_string()),
            ]
        );
        // A mark that is not one of the choices (a tampered or stale form): the roster comes
        // back with the marks as sent, and nothing is saved.
        let typed = format!("a_{}=absent&a_{}=maybe", people[0], people[2]);
        let r = refuse(
            app,
            &csrf,
            &format!("/services/{service}/sessions/{session}"),
            ("attendance", "attendance"),
            &typed,
        )
        .await;
        assert!(r.contains(&format!(
            "name=\"a_{}\" value=\"absent\" checked>",
            people[0]
        )));
        assert_eq!(app.marks(session).await[0].1, "present", "nothing saved");
    }
);
