//! Every page of Polku on a 375 px phone, over the demo's data — the staff UI, the pages a link
//! opens without a sign-in, and the job seeker's own channel: none scrolls sideways and axe-core
//! finds no WCAG 2.1 A/AA violation; the test prints the one list of pages it checked. The pages
//! come from the route tables, so a new page is checked as soon as it is added there.

use super::Browser;
use crate::common::*;
use crate::routes::{path_for, ROUTES};
use polku::demo::DEMO_PASSWORD;
use polku_domain::ids::UserId;

/// GET routes that are not HTML pages a person reads: downloads, feeds and htmx fragments.
fn is_page(route: &str) -> bool {
    !(route.starts_with("/api/")
        || route.ends_with(".ics")
        || route.ends_with("/export")
        || route.ends_with("/data")
        || route.ends_with("/progress")
        || route.contains("/files/"))
}

/// The pages checked so far and what was wrong with them.
#[derive(Default)]
struct Sweep {
    checked: Vec<String>,
    problems: Vec<String>,
}

impl Sweep {
    /// Opens `path` and records what is wrong with it.
    async fn visit(&mut self, b: &Browser, app: &TestApp, path: &str) {
        b.c.goto(&app.url(path)).await.unwrap();
        // Each page is the page itself, not an error page in its place (a route whose ids
        // were not filled in), unless the visit is to the error page on purpose.
        let error = b
            .number("return document.getElementById('error-page') ? 1 : 0;")
            .await;
        if error > 0.0 && !path.contains("999999") {
            self.problems.push(format!("{path}: an error page"));
        }
        self.inspect(b, path).await;
    }

    /// Records what is wrong with the page showing now, under `label`.
    async fn inspect(&mut self, b: &Browser, label: &str) {
        let overflow = b.overflow().await;
        if overflow > 0.0 {
            let what = b.too_wide().await;
            self.problems.push(format!(
                "{label}: {overflow} px wider than the phone: {what}"
            ));
        }
        for v in b.axe().await {
            self.problems.push(format!("{label}: {v}"));
        }
        // POLKU_SHOTS=<folder> keeps a screenshot of each page, to look at.
        if let Ok(dir) = std::env::var("POLKU_SHOTS") {
            let name = label
                .trim_start_matches('/')
                .replace(['/', '?', '=', ' '], "_");
            let png = b.c.screenshot().await.unwrap();
            std::fs::write(format!("{dir}/{name}.png"), png).unwrap();
        }
        self.checked.push(label.to_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_staff_page_fits_a_phone_and_passes_axe() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    polku::demo::load(&app.db, &app.cipher, &app.clock)
        .await
        .unwrap();
    // VOIMA's project running today (forms open): a participant in its weekly group, the group
    // and a session, the drop-in point; a colleague, and a spreadsheet waiting to be imported.
    // And the seeds' history: VOIMA's closed project with its big ESF+ tables, an archived
    // record, a group of 2019 and the drop-in week of March 2019.
    let id = |sql: &'static str, of: i64| app.scalar_for::<i64, i64>(sql, of);
    let mut fixed = vec![];
    for sql in [
        "SELECT owner_org_id FROM projects WHERE code = 'S21358'",
        "SELECT id FROM projects WHERE code = 'S21358-2'",
        "SELECT id FROM projects WHERE code = 'S21358'",
        "SELECT id FROM users WHERE email = 'paakayttaja.voima@polku.example'",
    ] {
        fixed.push(app.scalar::<i64>(sql).await);
    }
    let [org, p, old_p, admin] = fixed[..] else {
        unreachable!()
    };
    let s = id("SELECT MIN(id) FROM services WHERE project_id = $1", p).await;
    let x = id(
        "SELECT MIN(participant_id) FROM enrolments WHERE service_id = $1",
        s,
    )
    .await;
    let ss = id(
        "SELECT MAX(id) FROM service_sessions WHERE service_id = $1",
        s,
    )
    .await;
    let d = id("SELECT MAX(id) FROM dropin_points WHERE org_id = $1", org).await;
    let old_d = id("SELECT MIN(id) FROM dropin_points WHERE org_id = $1", org).await;
    let u = id(
        "SELECT MIN(id) FROM users WHERE org_id = $1 AND role = 'counsellor'",
        org,
    )
    .await;
    let e = id("SELECT MIN(id) FROM employers WHERE org_id = $1", org).await;
    let o = id(
        "SELECT MAX(opening_id) FROM opening_proposals WHERE opening_id > $1",
        0,
    )
    .await;
    let pl = id(
        "SELECT MIN(pl.id) FROM placements pl JOIN employers e ON e.id = pl.employer_id WHERE e.org_id = $1",
        org,
    )
    .await;
    let old_s = id("SELECT MIN(id) FROM services WHERE project_id = $1", old_p).await;
    let old_x = id("SELECT MIN(c.participant_id) FROM contacts c JOIN participants x ON x.id = c.participant_id WHERE x.project_id = $1", old_p).await;
    let history = [
        format!("/projects/{old_p}/esf"),
        format!("/participants/{old_x}"),
        format!("/services/{old_s}"),
        format!("/dropin/{old_d}?week=2019-03-04"),
        "/participants?q=virtanen".to_string(),
        "/participants/999999".to_string(),
    ];
    let i = app
        .import_file(polku_domain::ids::OrgId(org), p, admin)
        .await;
    let ei = app
        .employer_import_file(polku_domain::ids::OrgId(org), admin)
        .await;
    let ct = app.coach_training(polku_domain::ids::OrgId(org)).await;
    // A referral VOIMA sent and one still waiting in the college's inbox.
    let rs = id("SELECT MIN(id) FROM referrals WHERE from_org_id = $1", org).await;
    let rr = id(
        "SELECT MAX(id) FROM referrals WHERE from_org_id = $1 AND status = 'sent' AND to_service_id IS NOT NULL",
        org,
    )
    .await;

    let sv = id("SELECT MIN(id) FROM surveys WHERE org_id = $1", org).await;
    // An employer's link to the survey (only its hash is stored: this one is known).
    sqlx::query("INSERT INTO survey_invitations (survey_id, audience, employer_id, token_hash, sent_on) VALUES ($1, 'employer', $2, $3, '2026-03-02')")
        .bind(sv)
        .bind(e)
        .bind(polku_store::tokens::hash("ab12cd"))
        .execute(app.db.pool())
        .await
        .unwrap();
    // A participant VOIMA referred to the college, who took them in (a thread with the
    // college's staff), asked to answer the survey too, with an e-mail address to sign in to
    // their own channel.
    let asked = id(
        "SELECT MIN(r.from_participant_id) FROM referrals r WHERE r.from_org_id = $1 AND r.to_participant_id IS NOT NULL AND r.consent_withdrawn_on IS NULL",
        org,
    )
    .await;
    let thread = id(
        "SELECT MIN(to_participant_id) FROM referrals WHERE from_participant_id = $1",
        asked,
    )
    .await;
    sqlx::query("INSERT INTO survey_invitations (survey_id, audience, participant_id, token_hash, sent_on) VALUES ($1, 'participant', $2, $3, '2026-03-02') ON CONFLICT DO NOTHING")
        .bind(sv)
        .bind(asked)
        .bind(polku_store::tokens::hash("ef34ab"))
        .execute(app.db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE participants SET email = 'oma@polku.example' WHERE id = $1")
        .bind(asked)
        .execute(app.db.pool())
        .await
        .unwrap();

    let b = Browser::phone(375).await;
    let mut sweep = Sweep::default();
    sweep.visit(&b, &app, "/login").await;
    // The pages of a new account: setting one's password from an invitation link, and the
    // first administrator's set-up of a Polku with no users yet.
    let mut tx = app.db.begin().await.unwrap();
    let now = app.clock_now();
    let later = now + chrono::Duration::hours(72);
    polku_store::users::create_password_link(&mut tx, UserId(u), "ab12", now, later)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sweep.visit(&b, &app, "/password/ab12").await;
    sweep.visit(&b, &app, "/survey/ab12cd").await;
    let empty = TestApp::spawn(Engine::Sqlite).await;
    let token = polku::setup_token_if_needed(&empty.db)
        .await
        .unwrap()
        .unwrap();
    b.c.goto(&empty.url(&format!("/setup/{token}")))
        .await
        .unwrap();
    sweep.inspect(&b, "/setup/{token}").await;
    empty.cleanup().await;
    let width = b
        .number("return document.documentElement.clientWidth;")
        .await;
    assert_eq!(width, 375.0, "the emulated phone's viewport");
    b.login(&app, "paakayttaja.voima@polku.example", DEMO_PASSWORD)
        .await;
    let pages = ROUTES.iter().filter(|(m, r, _)| *m == "GET" && is_page(r));
    // Those of a referral received are visited as the receiver, below.
    for (_, route, _) in pages.clone().filter(|(_, r, _)| !r.contains("{rr}")) {
        let path = path_for(
            route,
            &[
                ("rs", rs),
                ("i", i),
                ("ei", ei),
                ("ct", ct),
                ("d", d),
                ("ss", ss),
                ("s", s),
                ("p", p),
                ("x", x),
                ("u", u),
                ("e", e),
                ("o", o),
                ("pl", pl),
                ("sv", sv),
            ],
        );
        sweep.visit(&b, &app, &path).await;
    }
    for path in &history {
        sweep.visit(&b, &app, path).await;
    }
    // The college's partner staff: the inbox, the referral received and accepting it.
    b.c.delete_all_cookies().await.unwrap();
    b.login(&app, "opisto@polku.example", DEMO_PASSWORD).await;
    for (_, route, _) in pages.filter(|(_, r, _)| r.contains("{rr}") || *r == "/referrals") {
        sweep.visit(&b, &app, &path_for(route, &[("rr", rr)])).await;
    }
    b.c.delete_all_cookies().await.unwrap();
    b.login(&app, "paakayttaja.voima@polku.example", DEMO_PASSWORD)
        .await;
    // A refused form: the person's page again with the error summary and the field marked.
    b.c.goto(&app.url(&format!("/participants/{x}")))
        .await
        .unwrap();
    b.click("#contacts summary").await;
    b.type_in("#contact-duration_min", "0").await;
    b.type_in("#contact-summary", "Puhelu").await;
    b.click("#contacts form button[type=submit]").await;
    b.wait_text(".error-summary", "Kesto").await;
    sweep
        .inspect(&b, &format!("/participants/{x}/contacts (refused)"))
        .await;
    // Checkboxes at their intended size, square; the focus ring stands out from the page.
    b.c.goto(&app.url("/participants/new")).await.unwrap();
    let (w, h) = (
        b.number("return document.querySelector('#f-consent_data_processing').getBoundingClientRect().width;").await,
        b.number("return document.querySelector('#f-consent_data_processing').getBoundingClientRect().height;").await,
    );
    assert!(w >= 24.0 && w == h, "checkbox {w}×{h} px");
    let ring = super::focus_ring_contrast(&b).await;
    assert!(ring >= 3.0, "focus ring contrast {ring:.2}:1");
    // The front page as each of the other roles sees it.
    for email in [
        "ohjaaja.voima@polku.example",
        "pp.voima@polku.example",
        "yritys.voima@polku.example",
        "auditor@polku.example",
        "admin@polku.example",
    ] {
        b.c.delete_all_cookies().await.unwrap();
        b.login(&app, email, DEMO_PASSWORD).await;
        b.c.goto(&app.url("/")).await.unwrap();
        sweep.inspect(&b, &format!("/ ({email})")).await;
    }
    // The job seeker's own channel, signed in with the code mailed to them: every page of it.
    b.c.delete_all_cookies().await.unwrap();
    b.c.goto(&app.url("/my/sign-in")).await.unwrap();
    sweep.inspect(&b, "/my/sign-in").await;
    b.type_in("#f-email", "oma@polku.example").await;
    b.click("main form button.primary").await;
    b.wait_text("main .notice", "").await;
    sweep.inspect(&b, "/my/code").await;
    let code = crate::portal::code_for(&app, "oma@polku.example").await;
    b.type_in("#f-code", &code).await;
    b.click("main form button.primary").await;
    b.wait_text("nav", "").await;
    for route in crate::portal_routes::PAGES {
        let path = route
            .replace("{sv}", &sv.to_string())
            .replace("{w}", &thread.to_string());
        sweep.visit(&b, &app, &path).await;
    }
    // Where strong identification is configured: its offer beside the code, and a return
    // from the provider that did not succeed.
    let (_provider, node) = crate::oidc_provider::Provider::with_node(&app, "131052-308T").await;
    b.c.delete_all_cookies().await.unwrap();
    for (path, label) in [
        ("/my/sign-in", "/my/sign-in (strong identification offered)"),
        (
            "/my/sign-in/strong/done?error=access_denied",
            "/my/sign-in/strong/done (identification did not succeed)",
        ),
    ] {
        b.c.goto(&format!("{node}{path}")).await.unwrap();
        sweep.inspect(&b, label).await;
    }
    println!(
        "checked at 375 px with axe-core (WCAG 2.1 A/AA):\n  {}",
        sweep.checked.join("\n  ")
    );
    assert!(
        sweep.problems.is_empty(),
        "{} problems:\n{}",
        sweep.problems.len(),
        sweep.problems.join("\n")
    );
    app.cleanup().await;
}
