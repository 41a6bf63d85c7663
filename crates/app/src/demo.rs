//! `polku demo`: the five seed projects of shared/domain/seeds with their organisations, staff,
//! target groups and synthetic participants. Idempotent: a project already present is skipped.

use chrono::{Datelike, Duration, NaiveDate};
use polku_domain::authz::{Actor, Role};
use polku_domain::clock::Clock;
use polku_domain::eligibility::Rules;
use polku_domain::ids::{OrgId, ProjectId, TargetGroupId, UserId};
use polku_domain::participant::{Education, ExitStatus, IntakeForm, LabourStatus};
use polku_domain::project::ProjectForm;
use polku_domain::validated::Email;
use polku_store::crypto::FieldCipher;
use polku_store::{orgs, participants, projects, users, Db, Tx};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Password of every demo account; printed by `polku demo`.
pub const DEMO_PASSWORD: &str = "polku-demo-2026";

struct Group {
    name: &'static str,
    rules: Rules,
    min_age: i32,
    max_age: i32,
}

struct Seed {
    code: &'static str,
    name: &'static str,
    owner: (&'static str, Option<&'static str>, &'static str),
    partners: &'static [(&'static str, Option<&'static str>, &'static str)],
    start: &'static str,
    end: &'static str,
    authority: &'static str,
    municipalities: &'static str,
    target_participants: &'static str,
    target_companies: &'static str,
    budget: &'static str,
    granted: &'static str,
    realised: &'static str,
    participants: usize,
    groups: Vec<Group>,
    /// Exit outcomes as (status, count) to reproduce the seed's reported shares.
    outcomes: Vec<(ExitStatus, usize)>,
    staff_slug: &'static str,
    education: &'static [Education],
}

const FUNDING_LINE: &str = "3. Työllisyys ja työvoiman liikkuvuus";
const OBJECTIVE: &str =
    "6.1. Nuorten ja muiden heikossa työmarkkina-asemassa olevien työllistymisen edistäminen";

fn rules(f: impl FnOnce(&mut Rules)) -> Rules {
    let mut r = Rules::default();
    f(&mut r);
    r
}

fn seeds() -> Vec<Seed> {
    use Education::{
        Bachelor, Basic, Doctoral, Master, PostSecondary, ShortTertiary, UpperSecondary,
    };
    use ExitStatus::{
        EmployedOpen, EmployedSubsidised, JobSearching, OutsideLabourForce, SelfEmployed,
        Unemployed, Unknown,
    };
    vec![
        Seed {
            code: "S20363",
            name: "AURA",
            owner: (
                "Itä-Uudenmaan koulutuskuntayhtymä",
                Some("0210838-1"),
                "college",
            ),
            partners: &[
                ("Espoon kaupunki", None, "municipality"),
                ("Vantaan kaupunki", None, "municipality"),
            ],
            start: "1.9.2015",
            end: "31.12.2017",
            authority: "Hämeen elinkeino-, liikenne- ja ympäristökeskus",
            municipalities: "092,049",
            target_participants: "255",
            target_companies: "26",
            budget: "373016",
            granted: "279762",
            realised: "327883",
            participants: 244,
            groups: vec![
                Group {
                    name: "Yli 54-vuotiaat työttömäksi jääneet",
                    rules: rules(|r| {
                        r.min_age = Some(55);
                        r.municipalities = vec!["049".into(), "092".into()];
                    }),
                    min_age: 55,
                    max_age: 63,
                },
                Group {
                    name: "50–54-vuotiaat työttömäksi jääneet",
                    rules: rules(|r| {
                        r.min_age = Some(50);
                        r.max_age = Some(54);
                        r.municipalities = vec!["049".into(), "092".into()];
                    }),
                    min_age: 50,
                    max_age: 54,
                },
            ],
            // 58 % employed, started vocational training or a business (142 of 244).
            outcomes: vec![
                (EmployedOpen, 80),
                (EmployedSubsidised, 12),
                (SelfEmployed, 10),
                (ExitStatus::Education, 40),
                (JobSearching, 52),
                (OutsideLabourForce, 20),
                (Unemployed, 30),
            ],
            staff_slug: "aura",
            education: &[
                Basic,
                UpperSecondary,
                UpperSecondary,
                PostSecondary,
                ShortTertiary,
                Bachelor,
            ],
        },
        Seed {
            code: "S20364",
            name: "TEHDAS – tehtaillaan työtä ja yrittäjyyttä",
            owner: ("Länsi-Uudenmaan koulutuskuntayhtymä", None, "college"),
            partners: &[],
            start: "1.8.2015",
            end: "30.6.2017",
            authority: "Hämeen elinkeino-, liikenne- ja ympäristökeskus",
            municipalities: "444,927,224,078",
            target_participants: "300",
            target_companies: "",
            budget: "849238",
            granted: "",
            realised: "",
            participants: 304,
            groups: vec![Group {
                name: "Yli 45-vuotiaat työnhakijat",
                rules: rules(|r| {
                    r.min_age = Some(45);
                    r.municipalities = vec!["444".into(), "927".into(), "224".into(), "078".into()];
                }),
                min_age: 45,
                max_age: 63,
            }],
            outcomes: vec![
                (EmployedOpen, 90),
                (SelfEmployed, 14),
                (ExitStatus::Education, 50),
                (JobSearching, 80),
                (OutsideLabourForce, 20),
                (Unemployed, 40),
                (Unknown, 10),
            ],
            staff_slug: "tehdas",
            education: &[
                Basic,
                UpperSecondary,
                UpperSecondary,
                PostSecondary,
                Bachelor,
            ],
        },
        Seed {
            code: "S20494",
            name: "Töitä! Osaaminen käyttöön",
            owner: ("Turun yliopisto", Some("0245896-3"), "college"),
            partners: &[
                ("Tampereen kaupunki", None, "municipality"),
                ("Turun kaupunki", None, "municipality"),
            ],
            start: "1.11.2015",
            end: "30.4.2018",
            authority: "Hämeen elinkeino-, liikenne- ja ympäristökeskus",
            municipalities: "853,837",
            target_participants: "268",
            target_companies: "58",
            budget: "680344",
            granted: "491641",
            realised: "639608",
            participants: 268,
            groups: vec![Group {
                name: "Työttömät korkeakoulutetut työnhakijat",
                rules: rules(|r| {
                    r.min_education = Some(5);
                    r.labour_statuses = vec![LabourStatus::Unemployed];
                    r.municipalities = vec!["853".into(), "837".into()];
                }),
                min_age: 25,
                max_age: 62,
            }],
            outcomes: vec![
                (EmployedOpen, 110),
                (SelfEmployed, 15),
                (ExitStatus::Education, 30),
                (JobSearching, 70),
                (Unemployed, 35),
                (Unknown, 8),
            ],
            staff_slug: "toita",
            education: &[ShortTertiary, Bachelor, Bachelor, Master, Master, Doctoral],
        },
        Seed {
            code: "S21358",
            name: "VOIMA",
            owner: ("Salon kaupunki", Some("0139533-1"), "municipality"),
            partners: &[
                ("Varsinais-Suomen TE-toimisto", None, "te_office"),
                ("Kela, Salon toimisto", None, "kela"),
                ("Salon seudun ammattiopisto", None, "college"),
                ("Yrityssalo Oy", None, "company"),
            ],
            start: "3.9.2018",
            end: "31.12.2020",
            authority: "Keski-Suomen elinkeino-, liikenne- ja ympäristökeskus",
            municipalities: "734",
            target_participants: "275",
            target_companies: "50",
            budget: "562165",
            granted: "420875",
            realised: "562165",
            participants: 257,
            groups: vec![Group {
                name: "Vähintään 200 päivää työmarkkinatukea saaneet salolaiset",
                rules: rules(|r| {
                    r.min_subsidy_days = Some(200);
                    r.municipalities = vec!["734".into()];
                }),
                min_age: 30,
                max_age: 63,
            }],
            // Seed: 44 % employed, 14.5 % education, 4.5 % outside labour force, 19 % job seeking, 18 % unemployed (n = 257).
            outcomes: vec![
                (EmployedOpen, 85),
                (EmployedSubsidised, 28),
                (ExitStatus::Education, 37),
                (OutsideLabourForce, 12),
                (JobSearching, 49),
                (Unemployed, 46),
            ],
            staff_slug: "voima",
            education: &[Basic, Basic, UpperSecondary, UpperSecondary, PostSecondary],
        },
        Seed {
            code: "KOPA-2011",
            name: "KoPa – Koulutuksella palkkatyöhön",
            owner: ("Asumispalvelusäätiö ASPA", None, "ngo"),
            partners: &[("Uudenmaan TE-toimisto", None, "te_office")],
            start: "1.1.2011",
            end: "31.12.2011",
            authority: "Uudenmaan elinkeino-, liikenne- ja ympäristökeskus",
            municipalities: "091",
            target_participants: "11",
            target_companies: "15",
            budget: "",
            granted: "",
            realised: "",
            participants: 11,
            groups: vec![Group {
                name: "Osatyökykyiset, sosiaali- ja terveysalan tausta",
                rules: rules(|r| {
                    r.requires_partial_work_ability = true;
                }),
                min_age: 35,
                max_age: 57,
            }],
            outcomes: vec![
                (EmployedSubsidised, 3),
                (EmployedOpen, 1),
                (ExitStatus::Education, 2),
                (JobSearching, 3),
                (Unemployed, 2),
            ],
            staff_slug: "kopa",
            education: &[UpperSecondary, PostSecondary],
        },
    ]
}

const FIRST_F: &[&str] = &[
    "Anneli", "Tuula", "Pirjo", "Marja", "Riitta", "Leena", "Sari", "Päivi", "Kaija", "Eija",
    "Sirpa", "Helena", "Åsa", "Birgitta",
];
const FIRST_M: &[&str] = &[
    "Juha", "Timo", "Matti", "Kari", "Mikko", "Jari", "Pekka", "Antti", "Markku", "Heikki",
    "Seppo", "Jukka", "Göran", "Mats",
];
const LAST: &[&str] = &[
    "Korhonen",
    "Virtanen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Öhman",
    "Lindqvist",
    "Kärkkäinen",
];

const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// A valid synthetic henkilötunnus. Individual numbers 900–999 are the range reserved for
/// temporary and test codes, so a demo code never collides with a real person's.
pub fn synthetic_hetu(birth: NaiveDate, male: bool, rng: &mut StdRng) -> String {
    let mut n: u32 = rng.gen_range(900..=998);
    if (n % 2 == 1) != male {
        n += 1;
    }
    let n = n.min(999);
    let (d, m, y) = (birth.day(), birth.month(), birth.year());
    let sign = if y >= 2000 { 'A' } else { '-' };
    let num =
        u64::from(d) * 10_000_000 + u64::from(m) * 100_000 + (y % 100) as u64 * 1000 + u64::from(n);
    format!(
        "{d:02}{m:02}{:02}{sign}{n:03}{}",
        y % 100,
        CHECK[(num % 31) as usize] as char
    )
}

async fn org(
    tx: &mut Tx,
    (name, bid, kind): (&str, Option<&str>, &str),
    clock: &dyn Clock,
) -> anyhow::Result<OrgId> {
    Ok(match orgs::find_by_name(tx, name).await? {
        Some(o) => OrgId(o.id),
        None => orgs::create(tx, name, bid, kind, clock.now()).await?,
    })
}

async fn user(
    tx: &mut Tx,
    org: OrgId,
    email: &str,
    name: &str,
    role: Role,
    hash: &str,
    clock: &dyn Clock,
) -> anyhow::Result<UserId> {
    if let Some(u) = users::by_email(tx, email).await? {
        return Ok(UserId(u.id));
    }
    let email = Email::parse(email).map_err(|c| anyhow::anyhow!("demo e-mail: {}", c.code()))?;
    Ok(users::create(
        tx,
        users::NewUser {
            org,
            email: &email,
            name,
            password_hash: hash,
            role,
            locale: "fi",
        },
        clock.now(),
    )
    .await?)
}

/// Loads the seed projects; returns a summary with the demo logins.
pub async fn load(db: &Db, cipher: &FieldCipher, clock: &dyn Clock) -> anyhow::Result<String> {
    let hash =
        polku_web::auth::hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut out = String::from("Demo data:\n");
    let mut tx = db.begin().await?;
    let admin_org = org(&mut tx, ("Polku-ylläpito", None, "project_owner"), clock).await?;
    user(
        &mut tx,
        admin_org,
        "admin@polku.example",
        "Ylläpitäjä",
        Role::Operator,
        &hash,
        clock,
    )
    .await?;
    let funder = org(&mut tx, ("Hämeen ELY-keskus", None, "funder"), clock).await?;
    user(
        &mut tx,
        funder,
        "auditor@polku.example",
        "Tarkastaja ELY",
        Role::Auditor,
        &hash,
        clock,
    )
    .await?;
    // EECO17 needs the degree of urbanisation, which is imported, not shipped: the demo loads
    // values of its own, marked as such, so the rural indicator has something to count.
    polku_store::reference::replace(
        &mut tx,
        polku_store::reference::Kind::Degurba,
        &[("224".into(), "3".into()), ("710".into(), "3".into())],
        "demo values, not Eurostat's",
        clock.now(),
    )
    .await?;
    tx.commit().await?;
    let mut rng = StdRng::seed_from_u64(20_151_101);
    for seed in seeds() {
        let mut tx = db.begin().await?;
        if projects::by_code(&mut tx, seed.code).await.is_ok() {
            out.push_str(&format!("  {} already present, skipped\n", seed.code));
            continue;
        }
        let owner = org(&mut tx, seed.owner, clock).await?;
        // The project's staff; participants are the counsellor's.
        let short_name = seed.name.split(' ').next().unwrap_or("");
        let staff_user = |login: &str, title: &str| {
            (
                format!("{login}.{}@polku.example", seed.staff_slug),
                format!("{title} {short_name}"),
            )
        };
        let (email, name) = staff_user("ohjaaja", "Ohjaaja");
        let counsellor = user(
            &mut tx,
            owner,
            &email,
            &name,
            Role::Counsellor,
            &hash,
            clock,
        )
        .await?;
        for (login, title, role) in [
            ("pp", "Projektipäällikkö", Role::ProjectManager),
            ("yritys", "Yrityskoordinaattori", Role::EmployerCoordinator),
            ("paakayttaja", "Pääkäyttäjä", Role::Admin),
        ] {
            let (email, name) = staff_user(login, title);
            user(&mut tx, owner, &email, &name, role, &hash, clock).await?;
        }
        let form = ProjectForm {
            code: seed.code.into(),
            name: seed.name.into(),
            funding_line: FUNDING_LINE.into(),
            objective: OBJECTIVE.into(),
            start_date: seed.start.into(),
            end_date: seed.end.into(),
            authority: seed.authority.into(),
            municipalities: seed.municipalities.into(),
            target_participants: seed.target_participants.into(),
            target_companies: seed.target_companies.into(),
            budget_public: seed.budget.into(),
            budget_granted: seed.granted.into(),
            budget_realised: seed.realised.into(),
            ..Default::default()
        };
        let draft = form
            .parse()
            .map_err(|e| anyhow::anyhow!("seed {}: {e}", seed.code))?;
        let pid = projects::create(&mut tx, &draft, owner, clock.now()).await?;
        for p in seed.partners {
            let o = org(&mut tx, *p, clock).await?;
            projects::add_partner(&mut tx, pid, o, "co_implementer").await?;
            if p.2 == "te_office" || p.2 == "company" {
                user(
                    &mut tx,
                    o,
                    &format!("kumppani.{}.{}@polku.example", seed.staff_slug, o.0),
                    &format!("Kumppani {}", p.0),
                    Role::PartnerStaff,
                    &hash,
                    clock,
                )
                .await?;
            }
        }
        let mut groups: Vec<(TargetGroupId, &Group)> = vec![];
        for g in &seed.groups {
            groups.push((
                projects::add_target_group(&mut tx, pid, g.name, &g.rules).await?,
                g,
            ));
        }
        let actor = Actor {
            user: counsellor,
            org: owner,
            role: Role::Counsellor,
        };
        let n = participants_for(
            &mut tx, cipher, &seed, pid, owner, &groups, &actor, &mut rng, clock,
        )
        .await?;
        programmes(&mut tx, cipher, &seed, pid, owner, &actor, &mut rng, clock).await?;
        tx.commit().await?;
        out.push_str(&format!(
            "  {} {}: {} participants\n",
            seed.code, seed.name, n
        ));
    }
    out.push_str(&format!(
        "Logins (password {DEMO_PASSWORD}): admin@polku.example (platform operator), paakayttaja.<aura|tehdas|toita|voima|kopa>@polku.example (organisation admin), ohjaaja.<…>@polku.example, pp.<…>@polku.example, auditor@polku.example\n"
    ));
    Ok(out)
}

/// One demo programme: a service with weekday sessions, members enrolled and attendance marked.
struct Programme<'a> {
    kind: &'a str,
    name: &'a str,
    town: &'a str,
    capacity: i64,
    first_day: &'a str,
    sessions: usize,
    provider: Option<OrgId>,
    offered_by: &'a str,
    proposer: Option<i64>,
}

#[allow(clippy::too_many_arguments)]
async fn programme(
    tx: &mut Tx,
    owner: OrgId,
    pid: ProjectId,
    p: &Programme<'_>,
    members: &[i64],
    actor: &Actor,
    rng: &mut StdRng,
    clock: &dyn Clock,
) -> anyhow::Result<i64> {
    use polku_domain::services::{Attendance, ServiceForm, SessionForm};
    use polku_store::services;
    let form = ServiceForm {
        project_id: pid.to_string(),
        kind: p.kind.into(),
        name: p.name.into(),
        town: p.town.into(),
        place: p.town.into(),
        capacity: p.capacity.to_string(),
        starts_on: p.first_day.into(),
        offered_by: p.offered_by.into(),
        proposed_by_participant_id: p.proposer.map(|x| x.to_string()).unwrap_or_default(),
        languages: "fi".into(),
        ..Default::default()
    };
    let draft = form
        .parse()
        .map_err(|e| anyhow::anyhow!("demo programme {}: {e}", p.name))?;
    let sid = services::create(tx, owner, p.provider.unwrap_or(owner), &draft, clock.now()).await?;
    services::set_approval(
        tx,
        sid,
        polku_domain::services::Approval::Approved,
        clock.now(),
    )
    .await?;
    let mut day =
        polku_domain::dates::parse_date(p.first_day).map_err(|c| anyhow::anyhow!(c.code()))?;
    let mut sessions = vec![];
    while sessions.len() < p.sessions {
        if day.weekday().num_days_from_monday() < 5 {
            let f = SessionForm {
                date: polku_domain::dates::format_fi(day),
                start_time: "9.00".into(),
                end_time: "14.30".into(),
                place: p.town.into(),
                facilitators: String::new(),
            };
            sessions.push(
                services::add_session(tx, sid, &f.parse().map_err(|e| anyhow::anyhow!("{e}"))?)
                    .await?,
            );
        }
        day += Duration::days(1);
    }
    for m in members {
        // Over capacity the rest queue on the waiting list, as they would.
        if services::enrol(
            tx,
            sid,
            polku_domain::ids::ParticipantId(*m),
            true,
            clock.now(),
        )
        .await?
            == polku_domain::services::EnrolmentStatus::Enrolled
        {
            for s in &sessions {
                let a = match rng.gen_range(0..10) {
                    0 => Attendance::Absent,
                    1 => Attendance::Excused,
                    _ => Attendance::Present,
                };
                services::record_attendance(tx, *s, *m, a, actor, clock.now()).await?;
            }
        }
    }
    Ok(sid)
}

/// Who takes part in a demo group: the `i`-th `n` participants of the project, or all.
#[derive(Clone, Copy)]
enum Members {
    Slice(usize, usize),
    All,
}

/// A staff-run demo group.
struct DemoGroup {
    /// The project's code.
    project: &'static str,
    kind: &'static str,
    name: &'static str,
    town: &'static str,
    capacity: i64,
    first_day: &'static str,
    sessions: usize,
    members: Members,
}

const fn g(
    project: &'static str,
    kind: &'static str,
    name: &'static str,
    town: &'static str,
    (capacity, first_day, sessions): (i64, &'static str, usize),
    members: Members,
) -> DemoGroup {
    DemoGroup {
        project,
        kind,
        name,
        town,
        capacity,
        first_day,
        sessions,
        members,
    }
}

/// The seeds' staff-run groups, in the order they are created (the random draws follow it).
const GROUPS: &[DemoGroup] = &[
    g(
        "S20363",
        "group_coaching",
        "Startti-valmennus, syksy 2015",
        "Vantaa",
        (20, "5.10.2015", 5),
        Members::Slice(0, 22),
    ),
    g(
        "S20363",
        "theme_day",
        "Teemapäivä: yrittäjyys vaihtoehtona",
        "Espoo",
        (40, "2.11.2015", 1),
        Members::Slice(1, 30),
    ),
    g(
        "S20364",
        "group_coaching",
        "TEHDAS-ryhmä Lohja, 20 päivää",
        "Lohja",
        (20, "7.9.2015", 20),
        Members::Slice(0, 22),
    ),
    g(
        "S20364",
        "group_coaching",
        "TEHDAS-ryhmä Vihti, 20 päivää",
        "Vihti",
        (20, "7.9.2015", 20),
        Members::Slice(1, 22),
    ),
    g(
        "S20364",
        "group_coaching",
        "TEHDAS-ryhmä Karkkila, 20 päivää",
        "Karkkila",
        (20, "7.9.2015", 20),
        Members::Slice(2, 22),
    ),
    g(
        "S20364",
        "group_coaching",
        "TEHDAS-ryhmä Hanko, 20 päivää",
        "Hanko",
        (20, "7.9.2015", 20),
        Members::Slice(3, 22),
    ),
    g(
        "S20494",
        "group_coaching",
        "Uravalmennusryhmä 1, Tampere",
        "Tampere",
        (24, "11.1.2016", 10),
        Members::Slice(0, 24),
    ),
    g(
        "S20494",
        "group_coaching",
        "Uravalmennusryhmä 2, Tampere",
        "Tampere",
        (24, "5.9.2016", 10),
        Members::Slice(1, 24),
    ),
    g(
        "S20494",
        "webinar",
        "Webinaari: osaaminen näkyväksi",
        "Turku",
        (100, "14.3.2016", 1),
        Members::Slice(2, 40),
    ),
    g(
        "KOPA-2011",
        "group_coaching",
        "Työhönvalmennuskoulutus",
        "Helsinki",
        (12, "7.2.2011", 3),
        Members::All,
    ),
    g(
        "KOPA-2011",
        "follow_up_meeting",
        "Työnohjauksellinen tapaaminen",
        "Helsinki",
        (12, "2.5.2011", 2),
        Members::All,
    ),
    g(
        "S21358",
        "recruitment_event",
        "Rekrytointitapahtuma, kevät 2019",
        "Salo",
        (200, "10.4.2019", 1),
        Members::Slice(0, 40),
    ),
    g(
        "S21358",
        "recruitment_event",
        "Rekrytointitapahtuma, syksy 2019",
        "Salo",
        (200, "9.10.2019", 1),
        Members::Slice(0, 40),
    ),
    g(
        "S21358",
        "e_services_help",
        "Verkkovalmennus: sähköinen työnhaku",
        "Salo",
        (30, "6.4.2020", 6),
        Members::Slice(0, 30),
    ),
];

fn group<'a>(
    kind: &'a str,
    name: &'a str,
    town: &'a str,
    capacity: i64,
    first_day: &'a str,
    sessions: usize,
) -> Programme<'a> {
    Programme {
        kind,
        name,
        town,
        capacity,
        first_day,
        sessions,
        provider: None,
        offered_by: "staff",
        proposer: None,
    }
}

/// The seeds' service models in the demo: AURA's Startti and theme day, TEHDAS's groups in four
/// towns with a partner-run exercise group and a participant-run language café, Töitä!'s two
/// Tampere coaching groups of 24, VOIMA's drop-in point with a week of partner duty shifts and
/// its recruitment events, KoPa's job-coaching days and supervision meetings.
#[allow(clippy::too_many_arguments)]
async fn programmes(
    tx: &mut Tx,
    cipher: &FieldCipher,
    seed: &Seed,
    pid: ProjectId,
    owner: OrgId,
    actor: &Actor,
    rng: &mut StdRng,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let all: Vec<i64> = participants::search(tx, cipher, owner, "", Some(pid.0), 500)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let chunk = |i: usize, n: usize| all.iter().skip(i * n).take(n).copied().collect::<Vec<_>>();
    // VOIMA's drop-in point comes before its events, as the random draws always followed.
    if seed.code == "S21358" {
        voimala(tx, pid, owner, actor, &all, rng, clock).await?;
    }
    for g in GROUPS.iter().filter(|g| g.project == seed.code) {
        let members = match g.members {
            Members::Slice(i, n) => chunk(i, n),
            Members::All => all.clone(),
        };
        let p = group(g.kind, g.name, g.town, g.capacity, g.first_day, g.sessions);
        programme(tx, owner, pid, &p, &members, actor, rng, clock).await?;
    }
    if seed.code == "S20364" {
        let partner = org(tx, ("Länsi-Uudenmaan liikuntaseura", None, "ngo"), clock).await?;
        let exercise = Programme {
            provider: Some(partner),
            offered_by: "partner",
            ..group(
                "training_module",
                "Ohjattu liikuntaryhmä",
                "Lohja",
                15,
                "5.10.2015",
                6,
            )
        };
        programme(tx, owner, pid, &exercise, &chunk(5, 12), actor, rng, clock).await?;
        let cafe = Programme {
            offered_by: "participant",
            proposer: all.first().copied(),
            ..group(
                "workshop",
                "Kielikahvila (asiakkaan vetämä)",
                "Lohja",
                12,
                "1.10.2015",
                8,
            )
        };
        programme(tx, owner, pid, &cafe, &chunk(6, 8), actor, rng, clock).await?;
    }
    Ok(())
}

/// VOIMA's "Voimala": opening hours, a drop-in week of duty shifts by the partner network
/// (TE office, Kela, college, a company) with one slot still open, visits (anonymous apart from
/// registered). Its recruitment events are in [`GROUPS`].
#[allow(clippy::too_many_arguments)]
async fn voimala(
    tx: &mut Tx,
    pid: ProjectId,
    owner: OrgId,
    actor: &Actor,
    members: &[i64],
    rng: &mut StdRng,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    use polku_domain::dropin::{HoursForm, NewVisit, PointForm, ShiftForm, Visitor};
    use polku_store::dropin;
    let point = PointForm {
        name: "Voimala".into(),
        address: "Vilhonkatu 10".into(),
        town: "Salo".into(),
        project_id: pid.to_string(),
    }
    .parse()
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let d = dropin::create(tx, owner, &point, clock.now()).await?;
    for wd in 0..4 {
        let h = HoursForm {
            weekday: wd.to_string(),
            opens: "9".into(),
            closes: "15".into(),
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        dropin::set_hours(tx, d, &h).await?;
    }
    let partner = |name: &'static str, kind: &'static str| (name, None::<&'static str>, kind);
    let te = org(
        tx,
        partner("Varsinais-Suomen TE-toimisto", "te_office"),
        clock,
    )
    .await?;
    let kela = org(tx, partner("Kela, Salon toimisto", "kela"), clock).await?;
    let college = org(tx, partner("Salon seudun ammattiopisto", "college"), clock).await?;
    let company = org(tx, partner("Yrityssalo Oy", "company"), clock).await?;
    // The week of 4.–7.3.2019.
    let week = [
        ("4.3.2019", "9", "12", Some(te), "Työnhaku ja TE-palvelut"),
        (
            "4.3.2019",
            "12",
            "15",
            Some(kela),
            "Etuudet ja Kelan asiointi",
        ),
        ("5.3.2019", "9", "12", Some(college), "Koulutusneuvonta"),
        (
            "5.3.2019",
            "12",
            "15",
            Some(company),
            "Rekrytoinnit ja piilotyöpaikat",
        ),
        ("6.3.2019", "9", "12", Some(te), "Palkkatuki ja työkokeilu"),
        ("6.3.2019", "12", "15", None, "Sähköiset palvelut"),
        ("7.3.2019", "9", "15", Some(owner), "Osaamiskartoitus"),
    ];
    for (date, start, end, by, topic) in week {
        let f = ShiftForm {
            date: date.into(),
            start_time: start.into(),
            end_time: end.into(),
            org_id: by.map(|o| o.to_string()).unwrap_or_default(),
            topic: topic.into(),
        };
        dropin::add_shift(tx, d, &f.parse().map_err(|e| anyhow::anyhow!("{e}"))?).await?;
    }
    for (i, day) in ["4.3.2019", "5.3.2019", "6.3.2019", "7.3.2019"]
        .iter()
        .enumerate()
    {
        let date = polku_domain::dates::parse_date(day).map_err(|c| anyhow::anyhow!(c.code()))?;
        let anonymous = NewVisit {
            date,
            visitor: Visitor::Anonymous(rng.gen_range(4..12)),
            topic: Some("Avoin neuvonta".into()),
        };
        dropin::add_visit(tx, d, &anonymous, actor, clock.now()).await?;
        for m in members.iter().skip(i * 3).take(3) {
            let v = NewVisit {
                date,
                visitor: Visitor::Participant(*m),
                topic: Some("Ohjaus".into()),
            };
            dropin::add_visit(tx, d, &v, actor, clock.now()).await?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn participants_for(
    tx: &mut Tx,
    cipher: &FieldCipher,
    seed: &Seed,
    pid: ProjectId,
    owner: OrgId,
    groups: &[(TargetGroupId, &Group)],
    actor: &Actor,
    rng: &mut StdRng,
    clock: &dyn Clock,
) -> anyhow::Result<usize> {
    let start =
        polku_domain::dates::parse_date(seed.start).map_err(|c| anyhow::anyhow!(c.code()))?;
    let end = polku_domain::dates::parse_date(seed.end).map_err(|c| anyhow::anyhow!(c.code()))?;
    let span = (end - start).num_days().max(1);
    let mut outcomes: Vec<ExitStatus> = seed
        .outcomes
        .iter()
        .flat_map(|(s, n)| std::iter::repeat_n(*s, *n))
        .collect();
    outcomes.resize(seed.participants, ExitStatus::Unknown);
    let municipalities: Vec<&str> = seed.municipalities.split(',').collect();
    for (i, outcome) in outcomes.iter().enumerate() {
        // AURA: 80 % over 54 (the seed's own figure); others spread over the group's band.
        let (gid, g) = groups[if groups.len() > 1 && rng.gen_bool(0.2) {
            1
        } else {
            0
        }];
        let entry = start + Duration::days(rng.gen_range(0..span * 3 / 4));
        let age = rng.gen_range(g.min_age..=g.max_age);
        let birth = NaiveDate::from_ymd_opt(
            entry.year() - age,
            rng.gen_range(1..=12),
            rng.gen_range(1..=28),
        )
        .unwrap_or(entry);
        // Birthday later in the entry year would make them one year younger; keep the band.
        let birth = if polku_domain::dates::age_on(birth, entry) < age {
            birth - Duration::days(366)
        } else {
            birth
        };
        let male = rng.gen_bool(if seed.code == "S20494" { 0.4 } else { 0.5 });
        let first = if male {
            FIRST_M[rng.gen_range(0..FIRST_M.len())]
        } else {
            FIRST_F[rng.gen_range(0..FIRST_F.len())]
        };
        let exit = (entry + Duration::days(rng.gen_range(60..360))).min(end);
        let form = IntakeForm {
            project_id: pid.to_string(),
            target_group_id: gid.to_string(),
            first_name: first.into(),
            last_name: LAST[rng.gen_range(0..LAST.len())].into(),
            hetu: synthetic_hetu(birth, male, rng),
            municipality: municipalities[i % municipalities.len()].into(),
            education: seed.education[rng.gen_range(0..seed.education.len())]
                .as_str()
                .into(),
            labour_status: "unemployed".into(),
            unemployed_since: polku_domain::dates::format_fi(
                entry - Duration::days(rng.gen_range(90..1500)),
            ),
            subsidy_days: rng
                .gen_range(if seed.code == "S21358" {
                    200..900
                } else {
                    0..700
                })
                .to_string(),
            disability: if seed.code == "KOPA-2011" {
                "yes".into()
            } else {
                ["no", "no", "no", "refused", "not_asked"][rng.gen_range(0..5)].into()
            },
            foreign_background: ["no", "no", "no", "no", "yes", "refused"][rng.gen_range(0..6)]
                .into(),
            third_country_national: "no".into(),
            minority: "not_asked".into(),
            homeless: "no".into(),
            entry_date: polku_domain::dates::format_fi(entry),
            counsellor_id: actor.user.to_string(),
            consent_data_processing: polku_domain::text::Checkbox(true),
            consent_sensitive_data: polku_domain::text::Checkbox(true),
            ..Default::default()
        };
        let intake = form
            .parse(clock.today())
            .map_err(|e| anyhow::anyhow!("synthetic participant {i}: {e}"))?;
        let id = participants::create(tx, cipher, owner, &intake, actor, clock.now()).await?;
        // A guidance meeting with a written summary, so search by what was discussed has
        // something to find. Chosen by position, not by `rng`, so the figures above stay put.
        let contact = polku_domain::services::NewContact {
            kind: polku_domain::services::ContactKind::Meeting,
            date: entry + Duration::days(14),
            duration_min: 45,
            summary: crate::generate::NOTES_FI[i % crate::generate::NOTES_FI.len()].into(),
        };
        polku_store::services::add_contact(tx, id, actor, &contact, clock.now()).await?;
        let exit = polku_domain::participant::Exit {
            date: exit,
            status: *outcome,
            qualification: *outcome == polku_domain::participant::ExitStatus::Qualification,
            in_education: *outcome == polku_domain::participant::ExitStatus::Education,
            version: 1,
        };
        participants::set_exit(tx, id, &exit, clock.now()).await?;
        polku_store::follow_ups::schedule(tx, id, exit.date, clock.now()).await?;
        // Most follow-ups of these closed projects were done: employment mostly lasted.
        if rng.gen_bool(0.7) {
            let employed = matches!(
                outcome,
                ExitStatus::EmployedOpen
                    | ExitStatus::EmployedSubsidised
                    | ExitStatus::SelfEmployed
            );
            let later = if employed && rng.gen_bool(0.85) {
                *outcome
            } else if rng.gen_bool(0.2) {
                ExitStatus::EmployedOpen
            } else {
                ExitStatus::JobSearching
            };
            polku_store::follow_ups::record(tx, id, later, false, actor, clock.now()).await?;
        }
    }
    Ok(outcomes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_hetus_validate() {
        let mut rng = StdRng::seed_from_u64(1);
        for y in [1950, 1961, 1999, 2003] {
            let b = NaiveDate::from_ymd_opt(y, 7, 9).unwrap();
            for male in [true, false] {
                let h = synthetic_hetu(b, male, &mut rng);
                let parsed = polku_domain::validated::Hetu::parse(&h).unwrap();
                assert_eq!(parsed.birth_date(), b);
                assert_eq!(
                    parsed.sex() == polku_domain::validated::HetuSex::Male,
                    male,
                    "{h}"
                );
            }
        }
    }

    #[test]
    fn seed_outcomes_add_up() {
        for s in seeds() {
            let total: usize = s.outcomes.iter().map(|(_, n)| n).sum();
            assert!(total <= s.participants, "{}", s.code);
        }
        let voima = seeds().into_iter().find(|s| s.code == "S21358").unwrap();
        assert_eq!(voima.outcomes.iter().map(|(_, n)| n).sum::<usize>(), 257);
    }
}
