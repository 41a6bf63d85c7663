//! Every route × every role, table-driven: who may use it, and that everyone else is refused.
//! When a route is added to a router(), it is added here; API routes are checked against the
//! OpenAPI document so none can be missed.

use crate::common::*;
use polku_domain::authz::Role;

const ALL: &[Role] = &[
    Role::Admin,
    Role::ProjectManager,
    Role::Counsellor,
    Role::EmployerCoordinator,
    Role::PartnerStaff,
    Role::Auditor,
    Role::Operator,
];
const STAFF_WITH_PERSONAL_DATA: &[Role] = &[
    Role::Admin,
    Role::ProjectManager,
    Role::Counsellor,
    Role::EmployerCoordinator,
];
const CASEWORK: &[Role] = &[Role::Admin, Role::ProjectManager, Role::Counsellor];
const PROJECT_ADMIN: &[Role] = &[Role::Admin, Role::ProjectManager];
const ADMIN: &[Role] = &[Role::Admin];
const USER_ADMINS: &[Role] = &[Role::Admin, Role::Operator];
const AUDIT_READERS: &[Role] = &[Role::Admin, Role::ProjectManager, Role::Auditor];
/// Who keep the catalogue and run their organisation's groups (sessions, attendance).
const CATALOGUE_EDITORS: &[Role] = &[
    Role::Admin,
    Role::ProjectManager,
    Role::Counsellor,
    Role::PartnerStaff,
];
/// Who sees the employer register, proposes and places participants.
const EMPLOYER_WORK: &[Role] = &[
    Role::Admin,
    Role::ProjectManager,
    Role::Counsellor,
    Role::EmployerCoordinator,
];
/// Who keeps the register itself.
const EMPLOYER_REGISTER: &[Role] = &[Role::Admin, Role::ProjectManager, Role::EmployerCoordinator];
/// Who answers and follows the referrals sent to the organisation.
const REFERRAL_DESK: &[Role] = &[
    Role::Admin,
    Role::ProjectManager,
    Role::Counsellor,
    Role::PartnerStaff,
];
const SHIFT_TAKERS: &[Role] = &[
    Role::Admin,
    Role::ProjectManager,
    Role::Counsellor,
    Role::EmployerCoordinator,
    Role::PartnerStaff,
];

/// (method, path, roles allowed). `{p}` project id, `{code}` its code, `{x}` participant, `{g}` goal,
/// `{s}` service, `{ss}` its session, `{t}` the admin's token, `{u}` a counsellor's account.
pub const ROUTES: &[(&str, &str, &[Role])] = &[
    ("GET", "/", ALL),
    ("GET", "/projects", ALL),
    ("GET", "/projects/new", PROJECT_ADMIN),
    ("POST", "/projects", PROJECT_ADMIN),
    ("GET", "/projects/{p}", ALL),
    ("GET", "/projects/{p}/edit", PROJECT_ADMIN),
    ("POST", "/projects/{p}", PROJECT_ADMIN),
    ("POST", "/projects/{p}/target-groups", PROJECT_ADMIN),
    ("POST", "/projects/{p}/partners", PROJECT_ADMIN),
    ("GET", "/projects/{p}/esf", ALL),
    ("GET", "/projects/{p}/import", CASEWORK),
    // Not a spreadsheet: refused as unreadable (422) once access is granted.
    ("POST", "/projects/{p}/import", CASEWORK),
    ("GET", "/imports/{i}", CASEWORK),
    // Without the consent statement: 422 once access is granted; nothing is imported.
    ("POST", "/imports/{i}/run", CASEWORK),
    ("GET", "/imports/{i}/progress", CASEWORK),
    ("GET", "/employers/import", EMPLOYER_REGISTER),
    // Not a spreadsheet: 422 once access is granted.
    ("POST", "/employers/import", EMPLOYER_REGISTER),
    ("GET", "/imports/{ei}", EMPLOYER_REGISTER),
    // The first allowed caller imports the file (303); the others find it imported (409).
    ("POST", "/imports/{ei}/run", EMPLOYER_REGISTER),
    ("GET", "/imports/{ei}/progress", EMPLOYER_REGISTER),
    ("GET", "/participants", STAFF_WITH_PERSONAL_DATA),
    ("GET", "/participants/new", CASEWORK),
    ("POST", "/participants", CASEWORK),
    ("GET", "/participants/{x}", STAFF_WITH_PERSONAL_DATA),
    ("GET", "/participants/{x}/edit", CASEWORK),
    ("POST", "/participants/{x}", CASEWORK),
    ("POST", "/participants/{x}/exit", CASEWORK),
    ("POST", "/participants/{x}/notes", CASEWORK),
    ("POST", "/participants/{x}/goals", CASEWORK),
    ("POST", "/participants/{x}/goals/{g}/steps", CASEWORK),
    ("POST", "/participants/{x}/consents", CASEWORK),
    ("POST", "/participants/{x}/contacts", CASEWORK),
    // Nothing chosen: refused in place (422) once access is granted.
    ("POST", "/participants/{x}/referred-by", CASEWORK),
    // An empty message: refused in place (422) once access is granted.
    ("POST", "/participants/{x}/messages", CASEWORK),
    (
        "GET",
        "/api/v1/participants/{x}/messages",
        STAFF_WITH_PERSONAL_DATA,
    ),
    ("POST", "/api/v1/participants/{x}/messages", CASEWORK),
    ("POST", "/participants/{x}/requests/{rq}/handled", CASEWORK),
    (
        "POST",
        "/api/v1/participants/{x}/requests/{rq}/handled",
        CASEWORK,
    ),
    ("GET", "/referrals", REFERRAL_DESK),
    ("GET", "/referrals/new", CASEWORK),
    ("GET", "/referrals/report", REFERRAL_DESK),
    // Without consent: refused in place (422) once access is granted.
    ("POST", "/participants/{x}/referrals", CASEWORK),
    // {rr}: a referral another organisation sent to this one; {rs}: one this one sent.
    ("GET", "/referrals/{rr}", REFERRAL_DESK),
    ("GET", "/referrals/{rs}", CASEWORK),
    ("GET", "/referrals/{rr}/accept", REFERRAL_DESK),
    // An empty intake, no one chosen, no step: refused (422); the referral stays unanswered.
    ("POST", "/referrals/{rr}/accept", REFERRAL_DESK),
    ("POST", "/referrals/{rr}/link", REFERRAL_DESK),
    ("POST", "/referrals/{rr}/progress", REFERRAL_DESK),
    // The first allowed caller records the withdrawal (303); the others find it done (422).
    ("POST", "/referrals/{rs}/withdraw-consent", CASEWORK),
    ("GET", "/api/v1/referrals", REFERRAL_DESK),
    ("GET", "/api/v1/referrals/report", REFERRAL_DESK),
    ("POST", "/api/v1/participants/{x}/referrals", CASEWORK),
    ("GET", "/api/v1/referrals/{rr}", REFERRAL_DESK),
    ("POST", "/api/v1/referrals/{rr}/accept", REFERRAL_DESK),
    ("POST", "/api/v1/referrals/{rr}/progress", REFERRAL_DESK),
    ("POST", "/api/v1/referrals/{rs}/withdraw-consent", CASEWORK),
    ("POST", "/participants/{x}/follow-up", CASEWORK),
    ("GET", "/participants/{x}/data", CASEWORK),
    ("POST", "/participants/{x}/erase", PROJECT_ADMIN),
    ("GET", "/services", ALL),
    ("GET", "/services/new", CATALOGUE_EDITORS),
    ("POST", "/services", CATALOGUE_EDITORS),
    ("GET", "/services/{s}", ALL),
    ("POST", "/services/{s}/sessions", CATALOGUE_EDITORS),
    ("POST", "/services/{s}/enrol", CATALOGUE_EDITORS),
    // Partner staff enrol and cancel only people referred to them; {x} was not.
    ("POST", "/services/{s}/enrolments/{x}/cancel", CASEWORK),
    ("POST", "/services/{s}/approval", CASEWORK),
    ("GET", "/services/{s}/sessions/{ss}", CATALOGUE_EDITORS),
    ("POST", "/services/{s}/sessions/{ss}", CATALOGUE_EDITORS),
    ("GET", "/services/{s}/export", CATALOGUE_EDITORS),
    ("GET", "/dropin", ALL),
    ("POST", "/dropin", CATALOGUE_EDITORS),
    ("GET", "/dropin/{d}", ALL),
    ("POST", "/dropin/{d}/hours", CATALOGUE_EDITORS),
    ("POST", "/dropin/{d}/shifts", CATALOGUE_EDITORS),
    ("POST", "/dropin/{d}/shifts/{sh}/take", SHIFT_TAKERS),
    ("POST", "/dropin/{d}/shifts/{sh}/release", SHIFT_TAKERS),
    ("POST", "/dropin/{d}/visits", CASEWORK),
    ("GET", "/employers", EMPLOYER_WORK),
    ("GET", "/employers/new", EMPLOYER_REGISTER),
    ("POST", "/employers", EMPLOYER_REGISTER),
    ("GET", "/employers/{e}", EMPLOYER_WORK),
    ("GET", "/employers/{e}/edit", EMPLOYER_REGISTER),
    ("POST", "/employers/{e}", EMPLOYER_REGISTER),
    ("POST", "/employers/{e}/contacts", EMPLOYER_REGISTER),
    (
        "POST",
        "/employers/{e}/contacts/{c}/remove",
        EMPLOYER_REGISTER,
    ),
    ("POST", "/employers/{e}/interactions", EMPLOYER_REGISTER),
    // No partner chosen: refused in place (422) once access is granted.
    ("POST", "/employers/{e}/shares", EMPLOYER_REGISTER),
    // An empty form: refused in place (422) once access is granted.
    ("POST", "/employers/{e}/coaches", EMPLOYER_REGISTER),
    ("GET", "/coach-trainings", EMPLOYER_WORK),
    ("POST", "/coach-trainings", EMPLOYER_REGISTER),
    ("GET", "/coach-trainings/{ct}", EMPLOYER_WORK),
    (
        "POST",
        "/coach-trainings/{ct}/attendance",
        EMPLOYER_REGISTER,
    ),
    ("POST", "/placements/{pl}/meetings", EMPLOYER_WORK),
    ("POST", "/employers/{e}/openings", EMPLOYER_REGISTER),
    ("POST", "/employers/{e}/placements", EMPLOYER_WORK),
    ("GET", "/openings", EMPLOYER_WORK),
    ("GET", "/openings/{o}", EMPLOYER_WORK),
    ("POST", "/openings/{o}/status", EMPLOYER_REGISTER),
    ("POST", "/openings/{o}/proposals", EMPLOYER_WORK),
    ("POST", "/openings/{o}/proposals/{x}", EMPLOYER_REGISTER),
    ("GET", "/placements/{pl}", EMPLOYER_WORK),
    ("POST", "/placements/{pl}/extensions", EMPLOYER_WORK),
    ("POST", "/placements/{pl}/end", EMPLOYER_WORK),
    ("GET", "/api/v1/employers", EMPLOYER_WORK),
    ("POST", "/api/v1/employers", EMPLOYER_REGISTER),
    ("GET", "/api/v1/employers/{e}", EMPLOYER_WORK),
    ("PUT", "/api/v1/employers/{e}", EMPLOYER_REGISTER),
    ("POST", "/api/v1/employers/{e}/contacts", EMPLOYER_REGISTER),
    (
        "DELETE",
        "/api/v1/employers/{e}/contacts/{c}",
        EMPLOYER_REGISTER,
    ),
    (
        "POST",
        "/api/v1/employers/{e}/interactions",
        EMPLOYER_REGISTER,
    ),
    ("POST", "/api/v1/employers/{e}/openings", EMPLOYER_REGISTER),
    ("POST", "/api/v1/employers/{e}/placements", EMPLOYER_WORK),
    ("GET", "/api/v1/openings", EMPLOYER_WORK),
    ("GET", "/api/v1/openings/{o}", EMPLOYER_WORK),
    ("PUT", "/api/v1/openings/{o}/status", EMPLOYER_REGISTER),
    ("POST", "/api/v1/openings/{o}/proposals", EMPLOYER_WORK),
    (
        "POST",
        "/api/v1/openings/{o}/proposals/{x}",
        EMPLOYER_REGISTER,
    ),
    ("GET", "/api/v1/placements/{pl}", EMPLOYER_WORK),
    ("POST", "/api/v1/placements/{pl}/extensions", EMPLOYER_WORK),
    ("POST", "/api/v1/placements/{pl}/end", EMPLOYER_WORK),
    ("POST", "/api/v1/employers/{e}/coaches", EMPLOYER_REGISTER),
    ("POST", "/api/v1/employers/{e}/shares", EMPLOYER_REGISTER),
    ("GET", "/api/v1/coach-trainings", EMPLOYER_WORK),
    ("POST", "/api/v1/coach-trainings", EMPLOYER_REGISTER),
    ("GET", "/api/v1/coach-trainings/{ct}", EMPLOYER_WORK),
    (
        "PUT",
        "/api/v1/coach-trainings/{ct}/attendance",
        EMPLOYER_REGISTER,
    ),
    ("POST", "/api/v1/placements/{pl}/meetings", EMPLOYER_WORK),
    ("GET", "/calendar", ALL),
    ("GET", "/calendar.ics", ALL),
    ("POST", "/calendar/feed", ALL),
    // /ical/{token} needs no login by design (calendar apps cannot log in): tests/it/dropin.rs.
    // /setup/{token} and /password/{token} need no login: their one-time token is the
    // authority (tests/it/auth.rs, tests/it/security.rs).
    ("GET", "/admin/orgs", USER_ADMINS),
    ("POST", "/admin/orgs", USER_ADMINS),
    ("GET", "/admin/users", USER_ADMINS),
    ("POST", "/admin/users", USER_ADMINS),
    ("POST", "/admin/users/{u}/unlock", USER_ADMINS),
    ("GET", "/admin/webhooks", USER_ADMINS),
    // No events ticked: refused (422) once access is granted.
    ("POST", "/admin/webhooks", USER_ADMINS),
    ("GET", "/audit", AUDIT_READERS),
    ("GET", "/account/tokens", ALL),
    ("POST", "/account/tokens", ALL),
    ("GET", "/api/v1/me", ALL),
    ("GET", "/api/v1/projects", ALL),
    ("POST", "/api/v1/projects", PROJECT_ADMIN),
    ("GET", "/api/v1/projects/{code}", ALL),
    ("GET", "/api/v1/projects/{code}/reports/esf", ALL),
    ("GET", "/api/v1/participants", STAFF_WITH_PERSONAL_DATA),
    ("POST", "/api/v1/participants", CASEWORK),
    ("GET", "/api/v1/participants/{x}", STAFF_WITH_PERSONAL_DATA),
    ("POST", "/api/v1/participants/{x}/exit", CASEWORK),
    ("GET", "/api/v1/participants/{x}/data", CASEWORK),
    (
        "GET",
        "/api/v1/participants/{x}/plan",
        STAFF_WITH_PERSONAL_DATA,
    ),
    (
        "GET",
        "/api/v1/participants/{x}/notes",
        STAFF_WITH_PERSONAL_DATA,
    ),
    ("POST", "/api/v1/participants/{x}/notes", CASEWORK),
    (
        "GET",
        "/api/v1/participants/{x}/contacts",
        STAFF_WITH_PERSONAL_DATA,
    ),
    ("POST", "/api/v1/participants/{x}/contacts", CASEWORK),
    (
        "GET",
        "/api/v1/participants/{x}/referred-by",
        STAFF_WITH_PERSONAL_DATA,
    ),
    ("POST", "/api/v1/participants/{x}/referred-by", CASEWORK),
    ("POST", "/api/v1/participants/{x}/goals", CASEWORK),
    ("POST", "/api/v1/participants/{x}/goals/{g}/steps", CASEWORK),
    ("POST", "/api/v1/participants/{x}/consents", CASEWORK),
    ("POST", "/api/v1/participants/{x}/follow-up", CASEWORK),
    ("GET", "/api/v1/services", ALL),
    ("POST", "/api/v1/services", CATALOGUE_EDITORS),
    ("GET", "/api/v1/services/{s}", ALL),
    ("POST", "/api/v1/services/{s}/sessions", CATALOGUE_EDITORS),
    ("POST", "/api/v1/services/{s}/enrolments", CATALOGUE_EDITORS),
    (
        "POST",
        "/api/v1/services/{s}/enrolments/{x}/cancel",
        CASEWORK,
    ),
    ("POST", "/api/v1/services/{s}/approval", CASEWORK),
    (
        "GET",
        "/api/v1/services/{s}/sessions/{ss}/attendance",
        CATALOGUE_EDITORS,
    ),
    (
        "PUT",
        "/api/v1/services/{s}/sessions/{ss}/attendance",
        CATALOGUE_EDITORS,
    ),
    ("GET", "/api/v1/dropin", ALL),
    ("POST", "/api/v1/dropin", CATALOGUE_EDITORS),
    ("GET", "/api/v1/dropin/{d}", ALL),
    ("PUT", "/api/v1/dropin/{d}/hours", CATALOGUE_EDITORS),
    ("POST", "/api/v1/dropin/{d}/shifts", CATALOGUE_EDITORS),
    ("POST", "/api/v1/dropin/{d}/shifts/{sh}/take", SHIFT_TAKERS),
    (
        "POST",
        "/api/v1/dropin/{d}/shifts/{sh}/release",
        SHIFT_TAKERS,
    ),
    ("POST", "/api/v1/dropin/{d}/visits", CASEWORK),
    ("GET", "/api/v1/calendar", ALL),
    ("GET", "/api/v1/users", USER_ADMINS),
    ("POST", "/api/v1/users", USER_ADMINS),
    ("POST", "/api/v1/users/{u}/unlock", USER_ADMINS),
    ("GET", "/api/v1/organisations", USER_ADMINS),
    ("POST", "/api/v1/organisations", USER_ADMINS),
    ("PUT", "/api/v1/projects/{code}", PROJECT_ADMIN),
    (
        "POST",
        "/api/v1/projects/{code}/target-groups",
        PROJECT_ADMIN,
    ),
    ("POST", "/api/v1/projects/{code}/partners", PROJECT_ADMIN),
    // Erasure without a reason is refused (422) once access is granted: nothing is erased here.
    ("POST", "/api/v1/participants/{x}/erase", PROJECT_ADMIN),
    // Last: it changes state. A token can only be revoked by its owner.
    ("POST", "/account/tokens/{t}/revoke", ADMIN),
];

/// A route with its `{name}` placeholders filled with ids.
pub fn path_for(route: &str, ids: &[(&str, i64)]) -> String {
    ids.iter().fold(route.to_string(), |path, (name, id)| {
        path.replace(&format!("{{{name}}}"), &id.to_string())
    })
}

struct Who {
    role: Role,
    client: reqwest::Client,
    csrf: String,
    token: String,
}

db_test!(every_route_for_every_role, |app| async move {
    let org = app.org("A").await;
    let mut people = vec![];
    for (i, role) in ALL.iter().enumerate() {
        let email = format!("u{i}@a.example");
        app.user(org, &email, *role).await;
        let client = TestApp::new_client();
        let csrf = app.login_as(&client, &email).await;
        let token = app.api_token(&client, &csrf, "t").await;
        people.push(Who {
            role: *role,
            client,
            csrf,
            token,
        });
    }
    let project = app.project(org, "PA1").await;
    let casework = &people[2];
    let form = intake(project, "131052-308T", "Taulukko");
    let mut f = borrow(&form);
    f.push(("csrf", casework.csrf.as_str()));
    let r = casework
        .client
        .post(app.url("/participants"))
        .form(&f)
        .sent()
        .await;
    let loc = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    let x: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
    casework
        .client
        .post(app.url(&format!("/participants/{x}/goals")))
        .form(&[
            ("csrf", casework.csrf.as_str()),
            ("kind", "work"),
            ("description", "g"),
        ])
        .sent()
        .await;
    let g: i64 = app.scalar("SELECT id FROM goals").await;
    let t: i64 = app.scalar("SELECT id FROM api_tokens WHERE user_id = (SELECT id FROM users WHERE email = 'u0@a.example')").await;
    let u: i64 = app
        .scalar("SELECT id FROM users WHERE email = 'u2@a.example'")
        .await;
    let (svc, ss) = app.programme(org, "Startti", "20").await;
    let mut tx = app.db.begin().await.unwrap();
    let point = polku_domain::dropin::PointForm {
        name: "Voimala".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let d = polku_store::dropin::create(&mut tx, org, &point, app.clock_now())
        .await
        .unwrap();
    let shift = polku_domain::dropin::ShiftForm {
        date: "2.3.2026".into(),
        start_time: "10".into(),
        end_time: "12".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let sh = polku_store::dropin::add_shift(&mut tx, d, &shift)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let i = app.import_file(org, project, u).await;
    let ei = app.employer_import_file(org, u).await;
    let (e, o, pl) = app.employer_with_placement(org, x).await;
    let ct = app.coach_training(org).await;
    // Another organisation with a person of its own, to refer to and from.
    let org_b = app.org("B").await;
    app.user(org_b, "b@b.example", Role::Counsellor).await;
    let project_b = app.project(org_b, "PB1").await;
    let b = TestApp::new_client();
    let b_csrf = app.login_as(&b, "b@b.example").await;
    let y = app
        .enter_with(&b, &b_csrf, project_b, "010160-9984", "Toinen")
        .await
        .unwrap();
    let y: i64 = y.rsplit('/').next().unwrap().parse().unwrap();
    let rr = app.referral((org_b, y), (org, None)).await;
    let rs = app.referral((org, x), (org_b, None)).await;
    // A request to correct, as the person made it in their own channel.
    let mut tx = app.db.begin().await.unwrap();
    let kind = polku_domain::portal::DataRequestKind::Correct;
    let rq = polku_store::portal::add_request(
        &mut tx,
        polku_domain::ids::ParticipantId(x),
        (kind, "Osoite on väärin"),
        app.clock_now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // The contact person each allowed caller removes (put back before each call).
    let c: i64 = 7_000;
    let anon = TestApp::new_client();

    for (method, route, allowed) in ROUTES {
        let path = path_for(
            route,
            &[
                ("sh", sh),
                ("i", i),
                ("ei", ei),
                ("d", d),
                ("ss", ss),
                ("s", svc),
                ("p", project),
                ("x", x),
                ("g", g),
                ("t", t),
                ("u", u),
                ("e", e),
                ("o", o),
                ("pl", pl),
                ("ct", ct),
                ("c", c),
                ("rr", rr),
                ("rs", rs),
                ("rq", rq),
            ],
        )
        .replace("{code}", "PA1");
        let api = path.starts_with("/api/");
        // Anonymous: pages go to the login page (POSTs may stop at CSRF first), the API answers 401.
        let r = if *method == "GET" {
            anon.get(app.url(&path))
        } else if api {
            anon.request(method.parse().unwrap(), app.url(&path))
                .json(&serde_json::json!({}))
        } else {
            anon.post(app.url(&path)).form(&[("x", "y")])
        };
        let r = r.sent().await;
        let s = r.status().as_u16();
        if api {
            assert_eq!(s, 401, "anonymous {method} {path}");
        } else {
            let to_login = r
                .headers()
                .get("location")
                .is_some_and(|l| l.to_str().unwrap().starts_with("/login"));
            assert!(
                (s == 303 && to_login) || (*method == "POST" && s == 403),
                "anonymous {method} {path}: {s}"
            );
        }
        for who in &people {
            if route.ends_with("/cancel") {
                // Each allowed caller needs someone to cancel: enrol the participant again.
                let mut tx = app.db.begin().await.unwrap();
                let _ = polku_store::services::enrol(
                    &mut tx,
                    svc,
                    polku_domain::ids::ParticipantId(x),
                    false,
                    app.clock_now(),
                )
                .await;
                tx.commit().await.unwrap();
            }
            if route.contains("/contacts/{c}") {
                sqlx::query("INSERT INTO employer_contacts (id, employer_id, name, created_at) VALUES ($1, $2, 'Poistettava', '2026-03-02T09:00:00Z') ON CONFLICT (id) DO NOTHING")
                    .bind(c)
                    .bind(e)
                    .execute(app.db.pool())
                    .await
                    .unwrap();
            }
            if route.ends_with("/release") {
                // Each allowed caller needs a shift held by its organisation to give back.
                let mut tx = app.db.begin().await.unwrap();
                let _ = polku_store::dropin::take_shift(&mut tx, sh, org).await;
                tx.commit().await.unwrap();
            }
            let req = match (*method, api) {
                ("GET", true) => who.client.get(app.url(&path)).bearer_auth(&who.token),
                ("GET", false) => who.client.get(app.url(&path)),
                (_, true) => who
                    .client
                    .request(method.parse().unwrap(), app.url(&path))
                    .bearer_auth(&who.token)
                    .json(&serde_json::json!({})),
                (_, false) => who
                    .client
                    .post(app.url(&path))
                    .form(&[("csrf", who.csrf.as_str())]),
            };
            let s = req.sent().await.status().as_u16();
            let may = allowed.contains(&who.role);
            if may {
                assert!(
                    !matches!(s, 401 | 403 | 404),
                    "{:?} may {method} {path}, got {s}",
                    who.role
                );
            } else {
                assert!(
                    matches!(s, 403 | 404),
                    "{:?} may not {method} {path}, got {s}",
                    who.role
                );
            }
        }
    }

    // Every operation of the API document is in the table (path parameters by position).
    let shape = |p: &str| {
        regex::Regex::new(r"\{[a-z]+\}")
            .unwrap()
            .replace_all(p, "{}")
            .to_string()
    };
    let doc = app.openapi().await;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in item.as_object().unwrap().keys() {
            let m = m.to_uppercase();
            let known = ROUTES
                .iter()
                .any(|(rm, rp, _)| *rm == m && shape(rp) == shape(path));
            assert!(known, "{m} {path} is not in the route table");
        }
    }
});
