//! `polku generate`: seeded synthetic data at national scale, with realistic skew: participants
//! weighted by municipality, ages leaning 45+, VOIMA-like outcomes, and about 20 events each
//! (10 guidance contacts and 10 attendance marks in a group programme). Names, languages and
//! contact summaries are varied enough for the search benchmark to mean something.

use chrono::{Datelike, Duration, NaiveDate};
use indicatif::{ProgressBar, ProgressStyle};
use polku_domain::authz::Role;
use polku_domain::clock::Clock;
use polku_domain::participant::{Education, Gender, Intake, LabourStatus};
use polku_domain::search::{self, TextLang};
use polku_domain::special::SpecialCategories;
use polku_domain::validated::Email;
use polku_domain::validated::{Hetu, Municipality};
use polku_store::bulk::{self, Val};
use polku_store::crypto::FieldCipher;
use polku_store::{orgs, participants, projects, users, Db};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Municipalities weighted roughly by the number of job seekers.
const MUNICIPALITIES: &[(&str, u32)] = &[
    ("091", 30),
    ("049", 12),
    ("092", 10),
    ("837", 10),
    ("853", 9),
    ("564", 8),
    ("179", 6),
    ("734", 3),
    ("444", 2),
    ("638", 2),
    ("927", 1),
    ("224", 1),
    ("078", 1),
    ("710", 1),
];
const EXITS: &[(&str, u32)] = &[
    ("employed_open", 33),
    ("employed_subsidised", 11),
    ("education", 14),
    ("outside_labour_force", 5),
    ("job_searching", 19),
    ("unemployed", 18),
];
const EDUCATION: &[(&str, u32)] = &[
    ("isced_0_2", 20),
    ("isced_3", 40),
    ("isced_4", 8),
    ("isced_5", 8),
    ("isced_6", 14),
    ("isced_7", 9),
    ("isced_8", 1),
];
// Names and guidance texts, most common first: picked with Zipf-like skew, so a search for a
// common surname finds many and a rare one few, as in a real register.
const SURNAMES: &[&str] = &[
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
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
    "Kärkkäinen",
    "Hiltunen",
    "Lindqvist",
    "Nyström",
    "Lindroos",
    "Holmström",
    "Eriksson",
    "Granström",
    "Sjöberg",
    "Backman",
    "Ahola",
    "Kettunen",
    "Pesonen",
    "Hirvonen",
    "Mustonen",
];
const FIRST_MEN: &[&str] = &[
    "Juha", "Timo", "Matti", "Kari", "Mikko", "Jari", "Antti", "Jukka", "Mika", "Markku", "Pekka",
    "Hannu", "Heikki", "Seppo", "Janne", "Ari", "Sami", "Petri", "Ville", "Esa",
];
const FIRST_WOMEN: &[&str] = &[
    "Anne", "Tuula", "Päivi", "Anna", "Leena", "Katja", "Pirjo", "Sari", "Minna", "Marja",
    "Riitta", "Tiina", "Merja", "Sanna", "Eija", "Kaisa", "Maija", "Hanna", "Outi", "Johanna",
];
const FIRST_SV: &[&str] = &["Erik", "Johan", "Karin", "Anna-Lena", "Mikael", "Kristina"];
pub(crate) const NOTES_FI: &[&str] = &[
    "Päivitettiin ansioluettelo ja käytiin läpi avoimia työpaikkoja.",
    "Harjoiteltiin työhaastattelua logistiikka-alan tehtävään.",
    "Keskusteltiin palkkatuesta ja työkokeilun mahdollisuuksista.",
    "Laadittiin työhakemus varastotyöntekijän paikkaan.",
    "Selvitettiin koulutusvaihtoehtoja sosiaali- ja terveysalalla.",
    "Sovittiin työkokeilusta kaupan alalla.",
    "Käytiin läpi osaamiskartoitus ja vahvuudet.",
    "Ohjattiin digitaitojen kurssille.",
    "Keskusteltiin jaksamisesta; ohjattiin työkykykoordinaattorille.",
    "Tutustuttiin rekrytointitapahtuman työnantajiin.",
    "Haettiin oppisopimuskoulutusta kiinteistöhuoltoon.",
    "Sovittiin kuntoutusselvityksestä Kelan kanssa.",
    "Selvitettiin yrittäjyyttä ja starttirahaa.",
    "Keskusteltiin suomen kielen opinnoista.",
];
const NOTES_SV: &[&str] = &[
    "Vi uppdaterade meritförteckningen och gick igenom lediga jobb.",
    "Övade inför en anställningsintervju inom logistik.",
    "Diskuterade lönesubvention och arbetsprövning.",
    "Skrev en arbetsansökan till ett lagerjobb.",
    "Utredde utbildningsalternativ inom social- och hälsovården.",
    "Gick igenom kompetenskartläggningen och styrkorna.",
];
/// Swedish-speaking municipalities' share of Swedish-speaking participants, roughly.
const SWEDISH_IN: &[(&str, f64)] = &[("710", 0.65), ("078", 0.5), ("091", 0.05), ("049", 0.07)];
/// A person's guidance circles a few themes, so each has this many distinct summaries.
const THEMES: usize = 3;
const PROJECTS: usize = 20;
/// Groups hold about this many people whatever the scale, so a group's attendance page at 1M
/// participants is the size it is at 10k; there are more groups instead.
const GROUP_SIZE: usize = 20;
const SESSIONS_PER_GROUP: usize = 10;
const CONTACTS: usize = 10;
const BATCH: usize = 1_000;

/// The generated participants' columns: the intake's, between the id and the exit.
fn participant_columns() -> Vec<&'static str> {
    let mut columns = vec!["id"];
    columns.extend(participants::INTAKE_COLUMNS);
    columns.extend([
        "project_id",
        "org_id",
        "exit_date",
        "exit_status",
        "version",
        "created_at",
        "updated_at",
    ]);
    columns
}

/// Answers at plausible shares (about one in eight with partial work ability), from a
/// generator of their own so the rest of the data stays as it was.
fn special_answers(id: i64) -> SpecialCategories {
    use polku_domain::participant::Sensitive::{NotAsked, Refused, Yes};
    let mut rng = StdRng::seed_from_u64(0x05be_c1a1_u64 ^ id as u64);
    let mut answer = |yes: f64| match rng.gen_range(0.0..1.0) {
        x if x < yes => Yes,
        x if x < yes + 0.05 => Refused,
        _ => polku_domain::participant::Sensitive::No,
    };
    SpecialCategories {
        disability: answer(0.12),
        foreign_background: answer(0.08),
        third_country_national: answer(0.04),
        minority: NotAsked,
        homeless: answer(0.02),
    }
}

fn pick<'a>(rng: &mut StdRng, table: &'a [(&'a str, u32)]) -> &'a str {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut r = rng.gen_range(0..total);
    for (v, w) in table {
        if r < *w {
            return v;
        }
        r -= w;
    }
    table[0].0
}

/// One of `items`, the first ones most likely (weights 1/(rank+1)).
fn zipf<'a>(rng: &mut StdRng, items: &'a [&'a str]) -> &'a str {
    let total: f64 = (1..=items.len()).map(|r| 1.0 / r as f64).sum();
    let mut x = rng.gen_range(0.0..total);
    for (r, item) in items.iter().enumerate() {
        x -= 1.0 / (r + 1) as f64;
        if x <= 0.0 {
            return item;
        }
    }
    items[0]
}

fn d(date: NaiveDate) -> Val {
    Val::T(polku_store::date(date))
}

pub struct Summary {
    pub participants: usize,
    pub events: usize,
}

/// Generates `n` participants (and their events) into `db`. Deterministic for a given seed.
pub async fn generate(
    db: &Db,
    cipher: &FieldCipher,
    n: usize,
    seed: u64,
    clock: &dyn Clock,
    progress: bool,
) -> anyhow::Result<Summary> {
    let mut rng = StdRng::seed_from_u64(seed);
    let now = clock.now();
    let ts = polku_store::ts(now);
    let hash = polku_web::auth::hash_password(crate::demo::DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    // Organisations, counsellors, projects, groups and sessions.
    let mut setup = vec![];
    let mut tx = db.begin().await?;
    for p in 0..PROJECTS {
        let name = format!("Kansallinen osahanke {:02} ({seed})", p + 1);
        let org = match orgs::find_by_name(&mut tx, &name).await? {
            Some(o) => o.id,
            None => orgs::create(&mut tx, &name, None, "project_owner", now).await?,
        };
        let mut counsellors = vec![];
        for c in 0..5 {
            let email = format!("ohjaaja{c}.gen{seed}.{p}@polku.example");
            let uid = match users::by_email(&mut tx, &email).await? {
                Some(u) => u.id,
                None => {
                    let e = Email::parse(&email).map_err(|c| anyhow::anyhow!(c.code()))?;
                    users::create(
                        &mut tx,
                        users::NewUser {
                            org,
                            email: &e,
                            name: &format!("Ohjaaja {c}"),
                            password_hash: &hash,
                            role: Role::Counsellor,
                            // One counsellor in five works in Swedish.
                            locale: if c == 4 { "sv" } else { "fi" },
                        },
                        now,
                    )
                    .await?
                }
            };
            counsellors.push(uid);
        }
        let form = polku_domain::project::ProjectForm {
            code: format!("GEN{seed}-{:02}", p + 1),
            name: name.clone(),
            start_date: "1.1.2021".into(),
            end_date: "31.12.2027".into(),
            target_participants: (n / PROJECTS).to_string(),
            ..Default::default()
        };
        let draft = form.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
        let pid = match projects::by_code(&mut tx, &draft.code).await {
            Ok(p) => p.id,
            Err(_) => projects::create(&mut tx, &draft, org, now).await?,
        };
        let mut sessions = vec![];
        for g in 0..(n / PROJECTS / GROUP_SIZE).max(2) {
            let sf = polku_domain::services::ServiceForm {
                project_id: pid.to_string(),
                kind: "group_coaching".into(),
                name: format!("Ryhmä {}", g + 1),
                ..Default::default()
            };
            let sd = sf.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let sid = polku_store::services::create(&mut tx, org, org, &sd, now).await?;
            let start = NaiveDate::from_ymd_opt(2021 + (g % 6) as i32, 1 + (g % 12) as u32, 4)
                .unwrap_or_default();
            let mut ids = vec![];
            for s in 0..SESSIONS_PER_GROUP {
                let day = start + Duration::days(7 * s as i64);
                let f = polku_domain::services::SessionForm {
                    date: polku_domain::dates::format_fi(day),
                    start_time: "9".into(),
                    end_time: "14".into(),
                    ..Default::default()
                };
                ids.push(
                    polku_store::services::add_session(
                        &mut tx,
                        sid,
                        &f.parse().map_err(|e| anyhow::anyhow!("{e}"))?,
                    )
                    .await?,
                );
            }
            sessions.push((sid, ids));
        }
        setup.push((org, pid, counsellors, sessions));
    }
    tx.commit().await?;

    let bar = if progress {
        ProgressBar::new(n as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} participants, {per_sec}, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut events = 0;
    let mut done = 0;
    while done < n {
        let size = BATCH.min(n - done);
        let mut tx = db.begin().await?;
        let first_id = bulk::next_id(&mut tx, "participants").await?;
        let first_contact = bulk::next_id(&mut tx, "contacts").await?;
        let first_enrolment = bulk::next_id(&mut tx, "enrolments").await?;
        let (mut people, mut contacts, mut enrolments, mut marks, mut terms) =
            (vec![], vec![], vec![], vec![], vec![]);
        for i in 0..size {
            let id = first_id + i as i64;
            let (org, pid, counsellors, sessions) = &setup[rng.gen_range(0..PROJECTS)];
            // Ages lean older, as in the seeds' target groups.
            let age = if rng.gen_bool(0.6) {
                rng.gen_range(45..64)
            } else {
                rng.gen_range(18..45)
            };
            let entry = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or_default()
                + Duration::days(rng.gen_range(0..2000));
            let birth = NaiveDate::from_ymd_opt(
                entry.year() - age,
                rng.gen_range(1..=12),
                rng.gen_range(1..=28),
            )
            .unwrap_or_default();
            let male = rng.gen_bool(0.52);
            let hetu = crate::demo::synthetic_hetu(birth, male, &mut rng);
            let municipality = pick(&mut rng, MUNICIPALITIES);
            let swedish = SWEDISH_IN
                .iter()
                .any(|(m, share)| *m == municipality && rng.gen_bool(*share));
            let first = if swedish {
                FIRST_SV[rng.gen_range(0..FIRST_SV.len())]
            } else if male {
                zipf(&mut rng, FIRST_MEN)
            } else {
                zipf(&mut rng, FIRST_WOMEN)
            };
            let last = zipf(&mut rng, SURNAMES).to_string();
            let exited = rng.gen_bool(0.8);
            let exit = entry + Duration::days(rng.gen_range(30..400));
            // Swedish speakers meet the Swedish-speaking counsellor (the last one).
            let counsellor = if swedish {
                counsellors[counsellors.len() - 1]
            } else {
                counsellors[rng.gen_range(0..counsellors.len() - 1)]
            };
            let (notes, lang) = if swedish {
                (NOTES_SV, TextLang::Sv)
            } else {
                (NOTES_FI, TextLang::Fi)
            };
            let themes: Vec<&str> = (0..THEMES)
                .map(|_| notes[rng.gen_range(0..notes.len())])
                .collect();
            let mut words = search::name_terms(first, &last);
            for t in &themes {
                words.extend(search::text_terms(t, lang));
            }
            terms.extend(
                words
                    .into_iter()
                    .map(|w| vec![Val::I(org.0), Val::T(w), Val::I(id)]),
            );
            // Drawn in the order the generator always drew them, so a seed gives the same data.
            let education = pick(&mut rng, EDUCATION);
            let since = entry - Duration::days(rng.gen_range(30..1500));
            let subsidy_days = rng.gen_range(0..900);
            let intake = Intake {
                project_id: *pid,
                target_group_id: None,
                first_name: first.into(),
                last_name: last.clone(),
                hetu: Hetu::parse(&hetu).ok(),
                birth_date: birth,
                gender: Some(if male { Gender::Man } else { Gender::Woman }),
                email: None,
                phone: None,
                municipality: Municipality::parse(municipality)
                    .map_err(|c| anyhow::anyhow!("municipality {municipality}: {}", c.code()))?,
                postal_code: None,
                education: Education::parse(education).ok(),
                labour_status: Some(LabourStatus::Unemployed),
                unemployed_since: Some(since),
                subsidy_days: Some(subsidy_days),
                special: special_answers(id),
                entry_date: entry,
                counsellor_id: Some(counsellor),
                consent_data_processing: true,
                consent_sensitive_data: true,
            };
            let mut row = vec![Val::I(id)];
            row.extend(participants::intake_values(cipher, &intake)?);
            row.extend([
                Val::I(pid.0),
                Val::I(org.0),
                if exited { d(exit) } else { Val::NullText },
                if exited {
                    Val::T(pick(&mut rng, EXITS).into())
                } else {
                    Val::NullText
                },
                Val::I(1),
                Val::T(ts.clone()),
                Val::T(ts.clone()),
            ]);
            people.push(row);
            for c in 0..CONTACTS {
                contacts.push(vec![
                    Val::I(first_contact + (i * CONTACTS + c) as i64),
                    Val::I(id),
                    Val::I(counsellor.0),
                    Val::T(["meeting", "phone", "email", "chat"][c % 4].into()),
                    d(entry + Duration::days(7 * c as i64)),
                    Val::I(rng.gen_range(10..90)),
                    Val::T(themes[c % THEMES].into()),
                    Val::T(ts.clone()),
                ]);
            }
            let (sid, session_ids) = &sessions[rng.gen_range(0..sessions.len())];
            enrolments.push(vec![
                Val::I(first_enrolment + i as i64),
                Val::I(*sid),
                Val::I(id),
                Val::T("enrolled".into()),
                Val::T(ts.clone()),
                Val::T(ts.clone()),
            ]);
            for s in session_ids {
                let a = [
                    "present", "present", "present", "present", "absent", "excused",
                ][rng.gen_range(0..6)];
                marks.push(vec![
                    Val::I(*s),
                    Val::I(id),
                    Val::T(a.into()),
                    Val::I(counsellor.0),
                    Val::T(ts.clone()),
                ]);
            }
        }
        bulk::insert(&mut tx, "participants", &participant_columns(), &people).await?;
        bulk::insert(
            &mut tx,
            "contacts",
            &[
                "id",
                "participant_id",
                "counsellor_id",
                "kind",
                "date",
                "duration_min",
                "summary",
                "created_at",
            ],
            &contacts,
        )
        .await?;
        bulk::insert(
            &mut tx,
            "enrolments",
            &[
                "id",
                "service_id",
                "participant_id",
                "status",
                "created_at",
                "updated_at",
            ],
            &enrolments,
        )
        .await?;
        bulk::insert(
            &mut tx,
            "attendance",
            &[
                "session_id",
                "participant_id",
                "status",
                "recorded_by",
                "recorded_at",
            ],
            &marks,
        )
        .await?;
        bulk::insert(
            &mut tx,
            "search_terms",
            &["org_id", "term", "participant_id"],
            &terms,
        )
        .await?;
        tx.commit().await?;
        events += contacts.len() + marks.len();
        done += size;
        bar.inc(size as u64);
    }
    // Enrolment counts, then identity sequences past the explicit ids.
    polku_store::services::recount_enrolled(db).await?;
    bulk::fix_sequences(db, &["participants", "contacts", "enrolments"]).await?;
    // Fresh statistics and visibility maps, as after any bulk load, so the planner and
    // index-only scans see the data as it is.
    if db.backend() == polku_store::Backend::Postgres {
        sqlx::query("VACUUM (ANALYZE)").execute(db.pool()).await?;
    }
    bar.finish();
    Ok(Summary {
        participants: n,
        events,
    })
}
