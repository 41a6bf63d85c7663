//! Workplace coaches (issue 13): a coach added at the employer or named on a placement is one
//! person whose record gathers the placements they supported and the training days they
//! attended; the project's report counts the coaches trained and their workplaces; meetings
//! follow a placement; another organisation's training day does not exist for you.

use crate::common::*;
use polku_domain::authz::Role;

db_test!(
    coaches_are_trained_support_placements_and_are_counted,
    |app| async move {
        let org = app.org("KoPa").await;
        app.user(org, "pk@kopa.example", Role::Admin).await;
        let project = app.project(org, "S21999").await;
        let other = app.org("AURA").await;
        app.user(other, "tk@aura.example", Role::EmployerCoordinator)
            .await;
        let csrf = app.login("pk@kopa.example").await;
        let form = [("business_id", "0112038-9"), ("name", "Salon Konepaja Oy")];
        let employer = app.post("/employers", &csrf, &form).await.2.unwrap();

        // A coach added at the employer; the same name again is refused in place.
        let coach = [("name", "Timo Trukki"), ("role", "Työnjohtaja")];
        let (status, _, _) = app
            .post(&format!("{employer}/coaches"), &csrf, &coach)
            .await;
        assert_eq!(status, 303);
        let (status, html, _) = app
            .post(
                &format!("{employer}/coaches"),
                &csrf,
                &[("name", "timo trukki ")],
            )
            .await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-coach-name\""), "{html}");
        assert!(html.contains("value=\"timo trukki \""), "what was typed");

        // A work practice names the same coach (in other letters): one person, one placement.
        let (_, _, person) = app.enter(&csrf, project, "131052-308T", "Berg").await;
        let x = person.unwrap().rsplit('/').next().unwrap().to_string();
        let coach = [("coach", "TIMO TRUKKI")];
        let period = ("2.3.2026", "30.4.2026");
        let (status, loc) = app
            .work_practice(&csrf, (&employer, &x), period, &coach)
            .await;
        assert_eq!(status, 303);
        let placement = loc.unwrap();
        let coaches: i64 = app.scalar("SELECT COUNT(*) FROM workplace_coaches").await;
        assert_eq!(coaches, 1, "the named coach is the one added");
        let (_, page) = app.get(&employer).await;
        assert!(page.contains("Timo Trukki</strong>, Työnjohtaja"), "{page}");
        assert!(
            page.contains("0 koulutuspäivää, ohjannut 1 jakson"),
            "{page}"
        );

        // Three weeks on: a training day for the project; the coach invited, then present.
        app.clock.set(app.clock_now() + chrono::Duration::days(21));
        let form = [
            ("project_id", project.to_string()),
            ("title", "Työpaikkaohjaajakoulutus 1/2".into()),
            ("date", "10.3.2026".into()),
            ("hours", "6".into()),
        ];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _, loc) = app.post("/coach-trainings", &csrf, &form).await;
        assert_eq!(status, 303);
        let training = loc.unwrap();
        let c: i64 = app.scalar("SELECT id FROM workplace_coaches").await;
        let invite = [("coach_id", c.to_string())];
        let invite: Vec<(&str, &str)> = invite.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let attendance = format!("{training}/attendance");
        assert_eq!(app.post(&attendance, &csrf, &invite).await.0, 303);
        let (_, html) = app.get(&training).await;
        assert!(html.contains("Timo Trukki"), "{html}");
        let report = app.esf_json("S21999", true).await;
        assert_eq!(
            report["coaches_trained"]["coaches"], 0,
            "invited is not trained"
        );
        let status = format!("status_{c}");
        let present = [(status.as_str(), "present")];
        assert_eq!(app.post(&attendance, &csrf, &present).await.0, 303);
        let report = app.esf_json("S21999", true).await;
        assert_eq!(report["coaches_trained"]["coaches"], 1);
        assert_eq!(report["coaches_trained"]["workplaces"], 1);
        let (_, page) = app.get(&employer).await;
        assert!(
            page.contains("1 koulutuspäivä, ohjannut 1 jakson"),
            "{page}"
        );

        // A meeting before the placement began is refused in place; on a day within, saved.
        let meetings = format!("{placement}/meetings");
        let early = [
            ("kind", "supervision"),
            ("date", "1.3.2026"),
            ("notes", "Aloitus"),
        ];
        let (status, html, _) = app.post(&meetings, &csrf, &early).await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-meeting-date\""), "{html}");
        let ok = [
            ("kind", "supervision"),
            ("date", "16.3.2026"),
            ("notes", "Sujuu hyvin"),
        ];
        assert_eq!(app.post(&meetings, &csrf, &ok).await.0, 303);
        let (_, html) = app.get(&placement).await;
        assert!(html.contains("Työpaikkaohjaus: Sujuu hyvin"), "{html}");

        // Another organisation's coordinator: the training day is not there.
        let aura = TestApp::new_client();
        app.login_as(&aura, "tk@aura.example").await;
        let r = aura.get(app.url(&training)).sent().await;
        assert_eq!(r.status(), 404);
    }
);
