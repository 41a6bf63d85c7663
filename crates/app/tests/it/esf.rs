//! ESF+ indicators against a hand-computed fixture, the seeds' reported shares from the demo,
//! small-cell suppression, and every output format.

use crate::common::*;
use polku_domain::authz::{Actor, Role};
use polku_domain::participant::{Exit, ExitStatus, IntakeForm};
use polku_domain::text::Checkbox;
use serde_json::Value;

struct P<'a> {
    gender: &'a str,
    birth: &'a str,
    hetu: &'a str,
    status: &'a str,
    since: &'a str,
    education: &'a str,
    entry: &'a str,
    municipality: &'a str,
    sensitive: (&'a str, &'a str, &'a str, &'a str),
}

async fn add(
    app: &TestApp,
    actor: &Actor,
    project: i64,
    p: &P<'_>,
    // Date, status, and whether a qualification was gained upon leaving.
    exit: Option<(&str, ExitStatus, bool)>,
    follow_up: Option<(ExitStatus, bool)>,
) -> i64 {
    let f = IntakeForm {
        project_id: project.to_string(),
        first_name: "Testi".into(),
        last_name: "Henkilö".into(),
        hetu: p.hetu.into(),
        birth_date: p.birth.into(),
        gender: p.gender.into(),
        municipality: p.municipality.into(),
        education: p.education.into(),
        labour_status: p.status.into(),
        unemployed_since: p.since.into(),
        disability: p.sensitive.0.into(),
        third_country_national: p.sensitive.1.into(),
        foreign_background: p.sensitive.2.into(),
        homeless: p.sensitive.3.into(),
        entry_date: p.entry.into(),
        consent_data_processing: Checkbox(true),
        ..Default::default()
    };
    let intake = f
        .parse(chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap())
        .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let id = polku_store::participants::create(
        &mut tx,
        &app.cipher,
        actor.org,
        &intake,
        actor,
        app.clock_now(),
    )
    .await
    .unwrap();
    if let Some((date, status, qualification)) = exit {
        let d = polku_domain::dates::parse_date(date).unwrap();
        polku_store::participants::set_exit(
            &mut tx,
            id,
            &Exit {
                date: d,
                status,
                qualification,
                in_education: status == ExitStatus::Education,
                version: 1,
            },
            app.clock_now(),
        )
        .await
        .unwrap();
        polku_store::follow_ups::schedule(&mut tx, id, d, app.clock_now())
            .await
            .unwrap();
        if let Some((s, improved)) = follow_up {
            polku_store::follow_ups::record(&mut tx, id, s, improved, actor, app.clock_now())
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
    id.0
}

fn counts(report: &Value, code: &str) -> [Option<i64>; 4] {
    let row = report["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap();
    let c = &row["counts"];
    [
        c["women"].as_i64(),
        c["men"].as_i64(),
        c["non_binary"].as_i64(),
        c["total"].as_i64(),
    ]
}

db_test!(
    indicators_match_the_hand_computed_fixture,
    |app| async move {
        let org = app.org("Hanke Oy").await;
        let user = app
            .user(org, "pm@hanke.example", Role::ProjectManager)
            .await;
        let actor = Actor {
            user,
            org,
            role: Role::ProjectManager,
        };
        let project = app.project(org, "S99999").await;
        let no = ("no", "no", "no", "no");
        // P1, twice: first participation gives the entry data, the second the exit.
        let p1 = P {
            gender: "woman",
            birth: "",
            hetu: "010160-9984",
            status: "unemployed",
            since: "1.1.2024",
            education: "isced_3",
            entry: "5.1.2026",
            municipality: "Salo",
            sensitive: ("yes", "no", "no", "no"),
        };
        add(
            app,
            &actor,
            project,
            &p1,
            Some(("30.1.2026", ExitStatus::JobSearching, false)),
            None,
        )
        .await;
        add(
            app,
            &actor,
            project,
            &P {
                status: "inactive",
                entry: "2.2.2026",
                ..p1
            },
            Some(("27.2.2026", ExitStatus::SelfEmployed, false)),
            None,
        )
        .await;
        // P2: 22 at entry, unemployed 9 months: long-term (under 25); refused foreign background;
        // left employed with a qualification gained: counts in both EECR03 and EECR04.
        let p2 = P {
            gender: "man",
            birth: "15.6.2003",
            hetu: "",
            status: "unemployed",
            since: "1.6.2025",
            education: "isced_0_2",
            entry: "2.3.2026",
            municipality: "Salo",
            sensitive: ("no", "no", "refused", "no"),
        };
        add(
            app,
            &actor,
            project,
            &p2,
            Some(("1.3.2026", ExitStatus::EmployedOpen, true)),
            Some((ExitStatus::EmployedOpen, false)),
        )
        .await;
        // P3: non-binary, employed at entry, improved at follow-up.
        let p3 = P {
            gender: "non_binary",
            birth: "1.1.1990",
            hetu: "",
            status: "employed",
            since: "",
            education: "isced_7",
            entry: "2.3.2026",
            municipality: "Salo",
            sensitive: no,
        };
        add(
            app,
            &actor,
            project,
            &p3,
            Some(("2.3.2026", ExitStatus::EmployedOpen, false)),
            Some((ExitStatus::EmployedSubsidised, true)),
        )
        .await;
        // P4: 17 at entry, a student, third-country national, left to education.
        let p4 = P {
            gender: "woman",
            birth: "2.3.2009",
            hetu: "",
            status: "in_education",
            since: "",
            education: "isced_0_2",
            entry: "2.3.2026",
            municipality: "Salo",
            sensitive: ("no", "yes", "no", "no"),
        };
        add(
            app,
            &actor,
            project,
            &p4,
            Some(("2.3.2026", ExitStatus::Education, false)),
            None,
        )
        .await;
        // P5: 56, unemployed exactly 6 months (not long-term from 25), homeless, from rural Karkkila, still in.
        let p5 = P {
            gender: "man",
            birth: "1.1.1970",
            hetu: "",
            status: "unemployed",
            since: "2.9.2025",
            education: "isced_4",
            entry: "2.3.2026",
            municipality: "Karkkila",
            sensitive: ("no", "no", "no", "yes"),
        };
        add(app, &actor, project, &p5, None, None).await;
        // P6: no gender, no education: counts only in the total and is listed for fixing.
        let p6 = P {
            gender: "",
            birth: "1.1.1980",
            hetu: "",
            status: "unemployed",
            since: "",
            education: "",
            entry: "2.3.2026",
            municipality: "Salo",
            sensitive: no,
        };
        let p6_id = add(app, &actor, project, &p6, None, None).await;

        // The degree of urbanisation is imported, as an operator would (values of this test).
        let degurba = std::env::temp_dir().join(format!("polku-degurba-{}.csv", unique()));
        std::fs::write(&degurba, "kunta;degurba\nKarkkila;3\n734;2\n").unwrap();
        let n = polku::reference::import(
            &app.db,
            polku_store::reference::Kind::Degurba,
            &degurba,
            "test",
            &app.clock,
        )
        .await
        .unwrap();
        assert_eq!(n, 2);
        let _ = std::fs::remove_file(&degurba);

        let report = app.esf_bytes("S99999", "json", true).await;
        let r: Value = serde_json::from_slice(&report).unwrap();
        assert_eq!(r["persons"], 6);
        assert_eq!(r["leavers"], 4);
        let s = |w, m, n, t| [Some(w), Some(m), Some(n), Some(t)];
        let expected = [
            ("EECO01", s(2, 2, 1, 6)),
            ("EECO02", s(1, 2, 0, 3)),
            ("EECO03", s(1, 1, 0, 2)),
            ("EECO04", s(1, 0, 0, 1)),
            ("EECO05", s(0, 0, 1, 1)),
            ("EECO06", s(1, 0, 0, 1)),
            ("EECO07", s(0, 1, 0, 1)),
            ("EECO08", s(1, 1, 0, 2)),
            ("EECO09", s(1, 1, 0, 2)),
            ("EECO10", s(1, 1, 0, 2)),
            ("EECO11", s(0, 0, 1, 1)),
            ("EECO12", s(1, 0, 0, 1)),
            ("EECO13", s(1, 0, 0, 1)),
            ("EECO14", s(0, 0, 0, 0)),
            ("EECO15", s(0, 0, 0, 0)),
            ("EECO16", s(0, 1, 0, 1)),
            ("EECO17", s(0, 1, 0, 1)),
            ("EECR01", s(0, 0, 0, 0)),
            ("EECR02", s(1, 0, 0, 1)),
            ("EECR03", s(0, 1, 0, 1)),
            ("EECR04", s(1, 1, 1, 3)),
            ("EECR05", s(0, 1, 1, 2)),
            ("EECR06", s(0, 0, 1, 1)),
        ];
        for (code, want) in expected {
            assert_eq!(counts(&r, code), want, "{code}");
        }
        assert_eq!(r["refused"]["EECO14"], 1);
        assert_eq!(r["incomplete_records"], 1);
        // The benchmark's baseline, the same aggregation hand-written in SQL, agrees exactly.
        let base = polku::bench::baseline(&app.db, &app.cipher, project)
            .await
            .unwrap();
        assert_eq!(
            base,
            polku::bench::product(&app.db, &app.cipher, project)
                .await
                .unwrap()
        );
        assert_eq!(base["EECO03"], [1, 1, 0, 2]);

        // The page lists the incomplete record for fixing; an auditor sees small cells suppressed.
        app.login("pm@hanke.example").await;
        let (_, html) = app.get(&format!("/projects/{project}/esf")).await;
        assert!(
            html.contains(&format!(
                "/participants/{p6_id}/edit\">Testi Henkilö</a>: Sukupuoli, Koulutustaso"
            )),
            "incomplete listed"
        );
        assert!(html.contains("EECO03 Pitkäaikaistyöttömät</th><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">2</td>"));
        assert!(
            html.contains("<svg") && html.contains("role=\"img\""),
            "chart"
        );
        let funder = app.org("ELY").await;
        app.user(funder, "auditor@ely.example", Role::Auditor).await;
        let a = TestApp::new_client();
        app.login_as(&a, "auditor@ely.example").await;
        let html = a
            .get(app.url(&format!("/projects/{project}/esf")))
            .text_body()
            .await;
        let suppressed = "EECO01 Osallistujat yhteensä</th><td class=\"num\">&#60;5</td><td class=\"num\">&#60;5</td><td class=\"num\">&#60;5</td><td class=\"num\">6</td>";
        assert!(
            html.contains(suppressed),
            "small cells suppressed for the funder"
        );
        assert!(!html.contains("Testi Henkilö"), "no names for the funder");
        let public = app.esf_bytes("S99999", "json", false).await;
        let r: Value = serde_json::from_slice(&public).unwrap();
        assert_eq!(counts(&r, "EECO01"), [None, None, None, Some(6)]);
        assert_eq!(
            counts(&r, "EECO14"),
            [Some(0), Some(0), Some(0), Some(0)],
            "zero is not a small cell"
        );
        assert_eq!(
            r["refused"]["EECO14"],
            Value::Null,
            "one refusal is a small cell"
        );
    }
);

db_test!(
    demo_reproduces_the_seeds_reported_shares,
    |app| async move {
        polku::demo::load(&app.db, &app.cipher, &app.clock)
            .await
            .unwrap();
        let voima: Value = app.esf_json("S21358", true).await;
        assert_eq!(voima["persons"], 257);
        let outcome = |r: &Value, s: &str| {
            r["outcomes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["status"] == s)
                .unwrap()["count"]
                .as_i64()
                .unwrap()
        };
        let pct = |n: i64, of: i64| (n as f64) * 100.0 / of as f64;
        let employed = outcome(&voima, "employed_open")
            + outcome(&voima, "employed_subsidised")
            + outcome(&voima, "self_employed");
        // Seed: 44 % employed, 14.5 % education, 4.5 % outside the labour force, 19 % job seeking, 18 % unemployed.
        assert!((pct(employed, 257) - 44.0).abs() < 0.5);
        assert!((pct(outcome(&voima, "education"), 257) - 14.5).abs() < 0.6);
        assert!((pct(outcome(&voima, "outside_labour_force"), 257) - 4.5).abs() < 0.5);
        assert!((pct(outcome(&voima, "job_searching"), 257) - 19.0).abs() < 0.5);
        assert!((pct(outcome(&voima, "unemployed"), 257) - 18.0).abs() < 0.5);
        let aura: Value = app.esf_json("S20363", true).await;
        // Seed: 58 % of 244 employed, started vocational training or a business.
        assert_eq!(aura["persons"], 244);
        assert!(
            (pct(aura["employed_training_business"].as_i64().unwrap(), 244) - 58.0).abs() < 0.5
        );
        for code in ["S20363", "S20364", "S20494", "S21358", "KOPA-2011"] {
            let id: i64 = app
                .scalar_for("SELECT id FROM projects WHERE code = $1", code)
                .await;
            let m = polku::bench::esf(&app.db, &app.cipher, id, 1)
                .await
                .unwrap();
            assert!(
                m.participants > 0,
                "{code}: the SQL baseline agrees with the report"
            );
        }
        // Seen from outside the projects, no hidden cell follows by subtraction: no row of an
        // indicator and no age column holds exactly one hidden cell.
        for code in ["S20363", "S20364", "S20494", "S21358", "KOPA-2011"] {
            let public: Value = app.esf_json(code, false).await;
            let rows = public["indicators"].as_array().unwrap();
            for row in rows {
                let c = counts(&public, row["code"].as_str().unwrap());
                let hidden = c.iter().filter(|v| v.is_none()).count();
                assert_ne!(hidden, 1, "{code} {}: {c:?}", row["code"]);
            }
            let bands = public["age_bands"].as_array().unwrap();
            for key in ["women", "men", "non_binary", "total"] {
                let mut column: Vec<&Value> = bands.iter().map(|b| &b["counts"][key]).collect();
                column.push(&public["gender"][key]);
                let hidden = column.iter().filter(|v| v.is_null()).count();
                assert_ne!(hidden, 1, "{code} age bands, {key}");
            }
            let mut outcomes: Vec<&Value> = public["outcomes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| &o["count"])
                .collect();
            outcomes.push(&public["leavers"]);
            assert_ne!(
                outcomes.iter().filter(|v| v.is_null()).count(),
                1,
                "{code} outcomes"
            );
        }
        let aura_csv = String::from_utf8(app.esf_bytes("S20363", "csv", true).await).unwrap();
        assert!(
            aura_csv.contains("Työllistyi, aloitti koulutuksen tai perusti yrityksen;142;58,2"),
            "{aura_csv}"
        );
    }
);

db_test!(report_in_every_format, |app| async move {
    let org = app.org("Salon kaupunki").await;
    app.user(org, "pm@salo.example", Role::ProjectManager).await;
    let token_user = app.user(org, "api@salo.example", Role::Auditor).await;
    let project = app.project(org, "S21358").await;
    let _ = token_user;
    app.login("pm@salo.example").await;
    let get = |fmt: &str| {
        app.client
            .get(app.url(&format!("/projects/{project}/esf?format={fmt}")))
            .send()
    };
    let r = get("pdf").await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // The PDF's text, as a reader extracts it: Finnish characters intact.
    let text = pdf_text(&pdf, "esf", app.db.backend());
    assert!(text.contains("Loppuraportin tiivistelmä: S21358"), "{text}");
    assert!(
        text.contains("Työllistyi, aloitti koulutuksen tai perusti yrityksen")
            && text.contains("Pitkäaikaistyöttömät")
    );
    let r = get("xlsx").await.unwrap();
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
    let csv = get("csv").await.unwrap().text().await.unwrap();
    assert!(csv.starts_with("\u{feff}Seurantatiedot: suunniteltu ja toteutunut"));
    let json: Value = get("json").await.unwrap().json().await.unwrap();
    assert_eq!(json["project"]["code"], "S21358");
    // The API gives the same JSON to a token holder.
    let csrf = app.csrf_of(&app.client, "/account/tokens").await;
    let token = app.api_token(&app.client, &csrf, "r").await;
    let api: Value = reqwest::Client::new()
        .get(app.url("/api/v1/projects/S21358/reports/esf"))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(api["indicators"], json["indicators"]);
});

db_test!(follow_up_six_months_after_leaving, |app| async move {
    let (_, project, csrf) = app
        .counsellor_in("Salon kaupunki", "c@salo.example", "S21358")
        .await;
    let mut form = intake(project, "131052-308T", "Seurattava");
    form.push(("counsellor_id", "1".into()));
    let (_, _, loc) = app.post("/participants", &csrf, &borrow(&form)).await;
    let loc = loc.unwrap();
    assert_eq!(
        app.post(
            &format!("{loc}/exit"),
            &csrf,
            &[
                ("exit_date", "31.3.2026"),
                ("exit_status", "employed_subsidised"),
                ("version", "1")
            ]
        )
        .await
        .0,
        303
    );
    let due: String = app.scalar("SELECT due_date FROM follow_ups").await;
    assert_eq!(due, "2026-09-30", "six months after leaving");
    let (_, html) = app.get(&loc).await;
    assert!(html.contains("Seuranta-aika: <strong>30.9.2026</strong>"));
    let (_, html) = app.get("/").await;
    assert!(!html.contains("Seurannat tehtävänä"), "not due yet");
    // Two weeks before the due date the task shows on the counsellor's front page.
    app.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 9, 17, 9, 0, 0).unwrap());
    let (_, html) = app.get("/").await;
    assert!(
        html.contains("Seurannat tehtävänä")
            && html.contains("Seurattava, Maija</a> (S21358) – Seuranta-aika 30.9.2026"),
        "{html}"
    );
    assert_eq!(
        app.post(
            &format!("{loc}/follow-up"),
            &csrf,
            &[("status", "employed_open"), ("improved", "on")]
        )
        .await
        .0,
        303
    );
    let (_, html) = app.get("/").await;
    assert!(!html.contains("Seurannat tehtävänä"), "done");
    let (_, html) = app.get(&loc).await;
    assert!(html.contains(
        "Tilanne seurannassa: työllistyi avoimille työmarkkinoille, työmarkkina-asema parantunut"
    ));
    let r: Value = app.esf_json("S21358", true).await;
    assert_eq!(counts(&r, "EECR05")[3], Some(1));
    assert_eq!(
        counts(&r, "EECR06")[3],
        Some(0),
        "unemployed at entry: EECR06 is for those employed at entry"
    );
});

db_test!(
    a_qualification_beside_a_job_through_the_exit_form,
    |app| async move {
        let (_, project, csrf) = app.voima_counsellor().await;
        let (_, _, loc) = app
            .enter(&csrf, project, &hetu(11, 4, 66, 910), "Tutkinto")
            .await;
        let page = loc.unwrap();
        let form = [
            ("exit_date", "20.3.2026"),
            ("exit_status", "employed_open"),
            ("qualification", "on"),
            ("version", "1"),
        ];
        let (status, _, _) = app.post(&format!("{page}/exit"), &csrf, &form).await;
        assert_eq!(status, 303);
        let (_, html) = app.get(&page).await;
        assert!(
            html.contains(r#"id="exit-qualification" name="qualification" checked"#),
            "the form shows what was saved"
        );
        let r = app.esf_json("S21358", true).await;
        for code in ["EECR03", "EECR04"] {
            assert_eq!(counts(&r, code)[3], Some(1), "{code}");
        }
        assert_eq!(counts(&r, "EECR02")[3], Some(0));
        // The page says how each figure is counted, links the Annex, and that EECO17 waits
        // for the degree of urbanisation.
        let (_, html) = app.get(&format!("/projects/{project}/esf")).await;
        assert!(html.contains("poistumistilanteesta riippumatta"), "{html}");
        assert!(html.contains("CELEX:32021R1057"));
        assert!(html.contains("polku reference import --kind degurba"));
    }
);
