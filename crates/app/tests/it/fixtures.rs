//! Test data made as users make it: organisations, accounts, projects, groups, people entered
//! through the intake form, and the forms' fields.

use crate::common::{Fetch, TestApp, PASSWORD};
use polku_domain::authz::Role;
use polku_domain::ids::{OrgId, UserId};
use polku_domain::import::Kind;
use polku_domain::validated::Email;
use polku_store::{orgs, users};

impl TestApp {
    pub async fn org(&self, name: &str) -> OrgId {
        let mut tx = self.db.begin().await.unwrap();
        let id = orgs::create(&mut tx, name, None, "project_owner", self.clock_now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// The application layer over this app's database, cipher and clock, for calling use cases
    /// and workers directly.
    pub async fn user(&self, org: OrgId, email: &str, role: Role) -> UserId {
        let hash = polku_web::auth::hash_password(PASSWORD).unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let email = Email::parse(email).unwrap();
        let id = users::create(
            &mut tx,
            users::NewUser {
                org,
                email: &email,
                name: "Test User",
                password_hash: &hash,
                role,
                locale: "fi",
            },
            self.clock_now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// A project owned by `org`, created through the store.
    pub async fn project(&self, org: OrgId, code: &str) -> i64 {
        let form = polku_domain::project::ProjectForm {
            code: code.into(),
            name: format!("Hanke {code}"),
            start_date: "1.1.2026".into(),
            end_date: "31.12.2027".into(),
            municipalities: "Salo".into(),
            ..Default::default()
        };
        let mut tx = self.db.begin().await.unwrap();
        let id =
            polku_store::projects::create(&mut tx, &form.parse().unwrap(), org, self.clock_now())
                .await
                .unwrap();
        tx.commit().await.unwrap();
        id.0
    }

    /// A target group of `project` with `rules`, created through the store.
    pub async fn target_group(
        &self,
        project: i64,
        name: &str,
        rules: &polku_domain::eligibility::Rules,
    ) -> polku_domain::ids::TargetGroupId {
        let mut tx = self.db.begin().await.unwrap();
        let id = polku_store::projects::add_target_group(
            &mut tx,
            polku_domain::ids::ProjectId(project),
            name,
            rules,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// A programme organised by `org` with one session on 2.3.2026 9–12; returns (service, session).
    pub async fn programme(&self, org: OrgId, name: &str, capacity: &str) -> (i64, i64) {
        let draft = polku_domain::services::ServiceForm {
            kind: "group_coaching".into(),
            name: name.into(),
            capacity: capacity.into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let svc = polku_store::services::create(&mut tx, org, org, &draft, self.clock_now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        (svc, self.session(svc, "2.3.2026").await)
    }

    /// A session of the group from 9 to 12 on `date` (d.m.yyyy).
    pub async fn session(&self, service: i64, date: &str) -> i64 {
        let session = polku_domain::services::SessionForm {
            date: date.into(),
            start_time: "9".into(),
            end_time: "12".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let ss = polku_store::services::add_session(&mut tx, service, &session)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        ss
    }

    /// A referral sent today from `from`'s participant `x` to `to` (and its service), sharing
    /// the contact details and the plan; its id.
    pub async fn referral(
        &self,
        (from, x): (OrgId, i64),
        (to, service): (OrgId, Option<i64>),
    ) -> i64 {
        use polku_domain::referral::{NewReferral, Shared};
        let r = NewReferral {
            to_org: to,
            to_service: service.map(polku_domain::ids::ServiceId),
            reason: "Ryhmävalmennus".into(),
            shared: Shared {
                contact: true,
                plan: true,
                ..Default::default()
            },
        };
        let by: i64 = self
            .scalar_for("SELECT MIN(id) FROM users WHERE org_id = $1", from.0)
            .await;
        let mut tx = self.db.begin().await.unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let id = polku_store::referrals::send(
            &mut tx,
            (from, polku_domain::ids::ParticipantId(x)),
            &r,
            (polku_domain::ids::UserId(by), today, self.clock_now()),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id.0
    }

    /// `from`'s participant `x` referred to a new organisation `to`, whose partner staff
    /// (`staff`, signed in on the returned client) accepted with a record of their own:
    /// (referral, the partner's record, (client, CSRF)).
    pub async fn accepted_by_partner(
        &self,
        (from, x): (OrgId, i64),
        (to, staff): (&str, &str),
    ) -> (i64, i64, (reqwest::Client, String)) {
        let to = self.org(to).await;
        self.user(to, staff, Role::PartnerStaff).await;
        let project = self.project(to, &format!("P{}", to.0)).await;
        let r = self.referral((from, x), (to, None)).await;
        let client = TestApp::new_client();
        let csrf = self.login_as(&client, staff).await;
        let mut f = intake(project, "", "Berg");
        f.retain(|(k, _)| *k != "hetu");
        f.push(("birth_date", "13.10.1952".into()));
        let version: i64 = self
            .scalar_for("SELECT version FROM referrals WHERE id = $1", r)
            .await;
        f.push(("version", version.to_string()));
        f.push(("csrf", csrf.clone()));
        let r2 = client
            .post(self.url(&format!("/referrals/{r}/accept")))
            .form(&borrow(&f))
            .sent()
            .await;
        assert_eq!(r2.status(), 303, "accepted");
        let own: i64 = self
            .scalar_for("SELECT to_participant_id FROM referrals WHERE id = $1", r)
            .await;
        (r, own, (client, csrf))
    }

    /// A one-row spreadsheet uploaded for import into `project` by `user`, not yet imported.
    pub async fn import_file(&self, org: OrgId, project: i64, user: i64) -> i64 {
        let csv = b"Etunimi;Sukunimi;Henkil\xc3\xb6tunnus;Kunta;Aloitusp\xc3\xa4iv\xc3\xa4\nMaija;Tuonti;010160-9984;Salo;1.2.2026\n";
        let project = Some(polku_domain::ids::ProjectId(project));
        self.saved_file(org, (Kind::Participants, project), user, csv)
            .await
    }

    /// An uploaded, not yet imported file of employers for `org`, as `user` uploaded it.
    pub async fn employer_import_file(&self, org: OrgId, user: i64) -> i64 {
        let csv = "Y-tunnus;Nimi;Kunta\n2561490-6;Tuonti Oy;Salo\n".as_bytes();
        self.saved_file(org, (Kind::Employers, None), user, csv)
            .await
    }

    async fn saved_file(
        &self,
        org: OrgId,
        into: (Kind, Option<polku_domain::ids::ProjectId>),
        user: i64,
        bytes: &[u8],
    ) -> i64 {
        let mut tx = self.db.begin().await.unwrap();
        let user = polku_domain::ids::UserId(user);
        let now = self.clock_now();
        let i = polku_store::imports::save_file(&mut tx, org, into, user, "a.csv", bytes, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        i
    }

    /// A training day for workplace coaches of `org`, with none on its list yet.
    pub async fn coach_training(&self, org: OrgId) -> i64 {
        let t = polku_domain::coach::TrainingForm {
            title: "Työpaikkaohjaajakoulutus".into(),
            date: "2.3.2026".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let id = polku_store::coaches::add_training(&mut tx, org, &t, self.clock_now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id.0
    }

    /// An employer of `org` with an open opening, and participant `x` placed there for work
    /// practice in March 2026: (employer, opening, placement).
    pub async fn employer_with_placement(&self, org: OrgId, x: i64) -> (i64, i64, i64) {
        let employer = polku_domain::employer::EmployerForm {
            business_id: "0112038-9".into(),
            name: "Yrityssalo Oy".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let opening = polku_domain::placement::OpeningForm {
            kind: "work_practice".into(),
            title: "Varastotyöntekijä".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let placement = polku_domain::placement::PlacementForm {
            participant_id: x.to_string(),
            kind: "work_practice".into(),
            starts_on: "2.3.2026".into(),
            ends_on: "30.4.2026".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let now = self.clock_now();
        let mut tx = self.db.begin().await.unwrap();
        let e = polku_store::employers::create(&mut tx, org, &employer, now)
            .await
            .unwrap();
        let user: i64 = self.scalar("SELECT MIN(id) FROM users").await;
        let user = UserId(user);
        let o = polku_store::placements::add_opening(&mut tx, e, None, &opening, user, now)
            .await
            .unwrap();
        let pl = polku_store::placements::place(&mut tx, e, None, &placement, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        (e.0, o.0, pl.0)
    }

    /// An employer of `org`'s register with one contact person (`email`, if any), who agreed
    /// to be contacted or not.
    pub async fn employer_to_ask(
        &self,
        org: OrgId,
        (business_id, name): (&str, &str),
        email: Option<&str>,
        consent: bool,
    ) -> i64 {
        let employer = polku_domain::employer::EmployerForm {
            business_id: business_id.into(),
            name: name.into(),
            contact_consent: consent.then(|| "on".to_string()),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let contact = polku_domain::employer::ContactPersonForm {
            name: format!("Yhteyshenkilö {name}"),
            email: email.unwrap_or_default().into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let now = self.clock_now();
        let mut tx = self.db.begin().await.unwrap();
        let e = polku_store::employers::create(&mut tx, org, &employer, now)
            .await
            .unwrap();
        polku_store::employers::add_contact(&mut tx, e, &contact, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        e.0
    }

    /// A draft survey of `org` with one scale question: (survey, question).
    pub async fn survey(&self, org: OrgId) -> (i64, i64) {
        let draft = polku_domain::survey::SurveyForm {
            title: "Palautekysely".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let question = polku_domain::survey::QuestionForm {
            kind: "scale".into(),
            text: "Kuinka tyytyväinen olit?".into(),
            options: String::new(),
        }
        .parse()
        .unwrap();
        let user: i64 = self.scalar("SELECT MIN(id) FROM users").await;
        let mut tx = self.db.begin().await.unwrap();
        let s = polku_store::surveys::create(&mut tx, org, UserId(user), &draft, self.clock_now())
            .await
            .unwrap();
        let q = polku_store::surveys::add_question(&mut tx, s, &question)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        (s.0, q.0)
    }

    /// A session's attendance marks: (participant, mark), in participant order.
    pub async fn marks(&self, session: i64) -> Vec<(i64, String)> {
        sqlx::query_as(
            "SELECT participant_id, status FROM attendance WHERE session_id = $1 ORDER BY participant_id",
        )
        .bind(session)
        .fetch_all(self.db.pool())
        .await
        .unwrap()
    }

    /// Logs `client` in; returns its CSRF token.
    /// An organisation with a project and a signed-in counsellor: (organisation, project, CSRF).
    pub async fn counsellor_in(&self, org: &str, email: &str, code: &str) -> (OrgId, i64, String) {
        let org = self.org(org).await;
        self.user(org, email, Role::Counsellor).await;
        let project = self.project(org, code).await;
        (org, project, self.login(email).await)
    }

    /// A counsellor of VOIMA (c@voima.example) signed in, and VOIMA's project S21358.
    pub async fn voima_counsellor(&self) -> (OrgId, i64, String) {
        self.counsellor_in("VOIMA", "c@voima.example", "S21358")
            .await
    }

    /// [`TestApp::counsellor_in`] with one participant entered: (project, CSRF, the person's page).
    pub async fn person_in(
        &self,
        org: &str,
        email: &str,
        code: &str,
        hetu: &str,
        last_name: &str,
    ) -> (i64, String, String) {
        let (_, project, csrf) = self.counsellor_in(org, email, code).await;
        let (status, _, loc) = self.enter(&csrf, project, hetu, last_name).await;
        assert_eq!(status, 303, "intake of {last_name}");
        (project, csrf, loc.unwrap())
    }

    /// Records a 45-minute guidance meeting on 2.3.2026 on the person's page; the status.
    pub async fn add_contact(&self, csrf: &str, person: &str, summary: &str) -> u16 {
        let form = [
            ("kind", "meeting"),
            ("date", "2.3.2026"),
            ("duration_min", "45"),
            ("summary", summary),
        ];
        self.post(&format!("{person}/contacts"), csrf, &form)
            .await
            .0
    }

    /// Exits the person (version 1); the status.
    pub async fn exit_as(&self, csrf: &str, person: &str, date: &str, status: &str) -> u16 {
        let form = [
            ("exit_date", date),
            ("exit_status", status),
            ("version", "1"),
        ];
        self.post(&format!("{person}/exit"), csrf, &form).await.0
    }

    /// Submits the intake form for a new participant: (status, body, location).
    pub async fn enter(
        &self,
        csrf: &str,
        project: i64,
        hetu: &str,
        last_name: &str,
    ) -> (u16, String, Option<String>) {
        let form = intake(project, hetu, last_name);
        self.post("/participants", csrf, &borrow(&form)).await
    }

    /// Places participant `x` at `employer` (its page) for work practice from `starts` to
    /// `ends`, with `more` fields: the answer's status and the placement's page.
    pub async fn work_practice(
        &self,
        csrf: &str,
        (employer, x): (&str, &str),
        (starts, ends): (&str, &str),
        more: &[(&str, &str)],
    ) -> (u16, Option<String>) {
        let mut form = vec![
            ("participant_id", x),
            ("kind", "work_practice"),
            ("starts_on", starts),
            ("ends_on", ends),
        ];
        form.extend_from_slice(more);
        let (status, _, loc) = self
            .post(&format!("{employer}/placements"), csrf, &form)
            .await;
        (status, loc)
    }

    /// [`TestApp::enter`] as another signed-in client: the person's page.
    pub async fn enter_with(
        &self,
        client: &reqwest::Client,
        csrf: &str,
        project: i64,
        hetu: &str,
        last_name: &str,
    ) -> Option<String> {
        let mut form = intake(project, hetu, last_name);
        form.push(("csrf", csrf.to_string()));
        let r = client
            .post(self.url("/participants"))
            .form(&form)
            .sent()
            .await;
        r.headers()
            .get("location")
            .map(|v| v.to_str().unwrap_or_default().to_string())
    }
}

/// A valid henkilötunnus of the 1900s: day, month, two-digit year, individual number.
pub fn hetu(d: u32, m: u32, y: u32, n: u32) -> String {
    const CHECK: &[u8] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let base = u64::from(d * 10000 + m * 100 + y) * 1000 + u64::from(n);
    format!(
        "{d:02}{m:02}{y:02}-{n:03}{}",
        CHECK[(base % 31) as usize] as char
    )
}

/// A valid intake for `project`.
pub fn intake(project: i64, hetu: &str, last_name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("project_id", project.to_string()),
        ("first_name", "Maija".into()),
        ("last_name", last_name.into()),
        ("hetu", hetu.into()),
        ("municipality", "Salo".into()),
        ("entry_date", "2.3.2026".into()),
        ("gender", "woman".into()),
        ("education", "isced_3".into()),
        ("labour_status", "unemployed".into()),
        ("subsidy_days", "420".into()),
        ("consent_data_processing", "on".into()),
    ]
}

/// An intake as the API takes it.
pub fn intake_json(project: i64, hetu: &str) -> serde_json::Value {
    serde_json::json!({"project_id": project.to_string(), "first_name": "Timo", "last_name": "Koskinen", "hetu": hetu, "municipality": "Salo", "entry_date": "2026-01-15", "consent_data_processing": true})
}

pub fn borrow<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
