//! `polku generate`: seeded synthetic data at national scale, with realistic skew: participants
//! weighted by municipality, ages leaning 45+, VOIMA-like outcomes, and about 20 events each
//! (10 guidance contacts and 10 attendance marks in a group programme). Names, languages and
//! contact summaries are varied enough for the search benchmark to mean something.

mod data;
pub mod employers;
mod setup;

pub(crate) use data::NOTES_FI;
use data::*;
use setup::ProjectSetup;

use chrono::{Datelike, Duration, NaiveDate};
use indicatif::{ProgressBar, ProgressStyle};
use polku_domain::clock::Clock;
use polku_domain::participant::{Education, Gender, Intake, LabourStatus};
use polku_domain::search::{self, TextLang};
use polku_domain::validated::{Hetu, Municipality};
use polku_store::bulk::{self, Val};
use polku_store::crypto::FieldCipher;
use polku_store::{participants, Db, Tx};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

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
    let setup = setup::projects(db, n, seed, now, &hash).await?;

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
        let mut b = Batch {
            ts: ts.clone(),
            first_contact: bulk::next_id(&mut tx, "contacts").await?,
            first_enrolment: bulk::next_id(&mut tx, "enrolments").await?,
            people: vec![],
            contacts: vec![],
            enrolments: vec![],
            marks: vec![],
            terms: vec![],
        };
        for i in 0..size {
            person(&mut rng, cipher, &setup, first_id + i as i64, &mut b)?;
        }
        write(&mut tx, &b).await?;
        tx.commit().await?;
        events += b.contacts.len() + b.marks.len();
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

/// The rows of one batch of participants, and where their tables' ids continue.
struct Batch {
    ts: String,
    first_contact: i64,
    first_enrolment: i64,
    people: Vec<Vec<Val>>,
    contacts: Vec<Vec<Val>>,
    enrolments: Vec<Vec<Val>>,
    marks: Vec<Vec<Val>>,
    terms: Vec<Vec<Val>>,
}

/// One participant's rows: the person, search terms, guidance contacts, an enrolment and
/// attendance marks, drawn in the order the generator always drew them.
fn person(
    rng: &mut StdRng,
    cipher: &FieldCipher,
    setup: &[ProjectSetup],
    id: i64,
    b: &mut Batch,
) -> anyhow::Result<()> {
    let ProjectSetup {
        org,
        project: pid,
        counsellors,
        groups: sessions,
    } = &setup[rng.gen_range(0..PROJECTS)];
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
    let hetu = crate::demo::synthetic_hetu(birth, male, rng);
    let municipality = pick(rng, MUNICIPALITIES);
    let swedish = SWEDISH_IN
        .iter()
        .any(|(m, share)| *m == municipality && rng.gen_bool(*share));
    let first = if swedish {
        FIRST_SV[rng.gen_range(0..FIRST_SV.len())]
    } else if male {
        zipf(rng, FIRST_MEN)
    } else {
        zipf(rng, FIRST_WOMEN)
    };
    let last = zipf(rng, SURNAMES).to_string();
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
    b.terms.extend(
        words
            .into_iter()
            .map(|w| vec![Val::I(org.0), Val::T(w), Val::I(id)]),
    );
    // Drawn in the order the generator always drew them, so a seed gives the same data.
    let education = pick(rng, EDUCATION);
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
            Val::T(pick(rng, EXITS).into())
        } else {
            Val::NullText
        },
        Val::I(1),
        Val::T(b.ts.clone()),
        Val::T(b.ts.clone()),
    ]);
    b.people.push(row);
    for c in 0..CONTACTS {
        b.contacts.push(vec![
            Val::I(b.first_contact + (b.people.len() - 1) as i64 * CONTACTS as i64 + c as i64),
            Val::I(id),
            Val::I(counsellor.0),
            Val::T(["meeting", "phone", "email", "chat"][c % 4].into()),
            d(entry + Duration::days(7 * c as i64)),
            Val::I(rng.gen_range(10..90)),
            Val::T(themes[c % THEMES].into()),
            Val::T(b.ts.clone()),
        ]);
    }
    let (sid, session_ids) = &sessions[rng.gen_range(0..sessions.len())];
    b.enrolments.push(vec![
        Val::I(b.first_enrolment + (b.people.len() - 1) as i64),
        Val::I(*sid),
        Val::I(id),
        Val::T("enrolled".into()),
        Val::T(b.ts.clone()),
        Val::T(b.ts.clone()),
    ]);
    for s in session_ids {
        let a = [
            "present", "present", "present", "present", "absent", "excused",
        ][rng.gen_range(0..6)];
        b.marks.push(vec![
            Val::I(*s),
            Val::I(id),
            Val::T(a.into()),
            Val::I(counsellor.0),
            Val::T(b.ts.clone()),
        ]);
    }
    Ok(())
}

/// Writes a batch's rows, table by table.
async fn write(tx: &mut Tx, b: &Batch) -> anyhow::Result<()> {
    bulk::insert(tx, "participants", &participant_columns(), &b.people).await?;
    bulk::insert(
        tx,
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
        &b.contacts,
    )
    .await?;
    bulk::insert(
        tx,
        "enrolments",
        &[
            "id",
            "service_id",
            "participant_id",
            "status",
            "created_at",
            "updated_at",
        ],
        &b.enrolments,
    )
    .await?;
    bulk::insert(
        tx,
        "attendance",
        &[
            "session_id",
            "participant_id",
            "status",
            "recorded_by",
            "recorded_at",
        ],
        &b.marks,
    )
    .await?;
    bulk::insert(
        tx,
        "search_terms",
        &["org_id", "term", "participant_id"],
        &b.terms,
    )
    .await?;
    Ok(())
}
