//! `polku generate --employers N --placements M`: employer registers at national scale over the
//! participants already generated. Half the employers are in the organisation with the most
//! participants (the hardest register to page through), the rest spread over the others; each
//! has a contact person, two interactions for its organisation's project and, one in five, an
//! opening (a fifth of those still open). Placements join a random participant to an employer
//! of the participant's own organisation, within the project's years.

use chrono::{Duration, NaiveDate};
use indicatif::ProgressBar;
use polku_domain::employer::{Industry, InteractionKind, SizeClass};
use polku_domain::placement::{OpeningKind, PlacementKind, PlacementResult};
use polku_store::bulk::{self, Val};
use polku_store::Db;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;

const BATCH: usize = 5_000;

pub struct Summary {
    pub employers: usize,
    pub placements: usize,
}

/// A Y-tunnus from a running number: seven digits and the check digit (numbers whose check
/// digit would be 1 have none and are skipped by the caller).
fn business_id(n: u32) -> Option<String> {
    polku_domain::validated::BusinessId::of_number(n).map(|b| b.as_str().to_string())
}

fn day(rng: &mut StdRng) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or_default() + Duration::days(rng.gen_range(0..2000))
}

/// Organisations with their project and participant ids, largest first.
async fn organisations(db: &Db) -> anyhow::Result<Vec<(i64, i64, Vec<i64>)>> {
    let rows: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT org_id, project_id, id FROM participants ORDER BY id")
            .fetch_all(db.pool())
            .await?;
    let mut by_org: BTreeMap<i64, (i64, Vec<i64>)> = BTreeMap::new();
    for (org, project, id) in rows {
        by_org.entry(org).or_insert((project, vec![])).1.push(id);
    }
    let mut orgs: Vec<(i64, i64, Vec<i64>)> = by_org
        .into_iter()
        .map(|(o, (p, ids))| (o, p, ids))
        .collect();
    orgs.sort_by_key(|(_, _, ids)| std::cmp::Reverse(ids.len()));
    Ok(orgs)
}

/// Generates `n` employers and `m` placements into `db`. Deterministic for a given seed.
pub async fn generate(
    db: &Db,
    n: usize,
    m: usize,
    seed: u64,
    ts: &str,
    progress: bool,
) -> anyhow::Result<Summary> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xE4);
    let orgs = organisations(db).await?;
    anyhow::ensure!(
        !orgs.is_empty(),
        "no participants: generate participants before employers"
    );
    let bar = if progress {
        ProgressBar::new((n + m) as u64)
    } else {
        ProgressBar::hidden()
    };
    // Employer ids per organisation, for the placements.
    let mut registers: Vec<Vec<i64>> = vec![vec![]; orgs.len()];
    let mut number = 1_000_000 + (seed as u32 % 1000) * 7_000;
    let mut done = 0;
    while done < n {
        let size = BATCH.min(n - done);
        let mut tx = db.begin().await?;
        let first = bulk::next_id(&mut tx, "employers").await?;
        let first_opening = bulk::next_id(&mut tx, "openings").await?;
        let (mut employers, mut contacts, mut interactions, mut openings) =
            (vec![], vec![], vec![], vec![]);
        for i in 0..size {
            let id = first + i as i64;
            let o = if rng.gen_bool(0.5) {
                0
            } else {
                rng.gen_range(0..orgs.len())
            };
            let (org, project, _) = &orgs[o];
            registers[o].push(id);
            let bid = loop {
                number += 1;
                if let Some(b) = business_id(number) {
                    break b;
                }
            };
            let name = format!(
                "{} {} {}",
                ["Salon", "Turun", "Kuopion", "Oulun", "Vaasan", "Porin"][rng.gen_range(0..6)],
                [
                    "Metalli",
                    "Kotihoito",
                    "Rakennus",
                    "Logistiikka",
                    "Leipomo",
                    "IT-palvelu"
                ][rng.gen_range(0..6)],
                number
            );
            let industry = Industry::ALL[rng.gen_range(0..Industry::ALL.len())];
            employers.push(vec![
                Val::I(id),
                Val::I(*org),
                Val::T(bid),
                Val::T(name.clone()),
                Val::T(name.to_lowercase()),
                Val::T(industry.as_str().into()),
                Val::T(SizeClass::ALL[rng.gen_range(0..4)].as_str().into()),
                Val::T(["734", "853", "297", "564", "905", "609"][rng.gen_range(0..6)].into()),
                Val::I(i64::from(rng.gen_bool(0.7))),
                Val::T(ts.into()),
            ]);
            contacts.push(vec![
                Val::I(id),
                Val::T(format!("Yhteyshenkilö {number}")),
                Val::T("HR".into()),
                Val::T(ts.into()),
            ]);
            for _ in 0..2 {
                let kind = InteractionKind::ALL[rng.gen_range(0..InteractionKind::ALL.len())];
                interactions.push(vec![
                    Val::I(id),
                    Val::I(*project),
                    Val::T(kind.as_str().into()),
                    Val::T(polku_store::date(day(&mut rng))),
                    Val::T("Tutustumiskäynti".into()),
                    Val::T(
                        ["", "Hitsaajia", "Hoiva-avustajia", "Varastotyöntekijöitä"]
                            [rng.gen_range(0..4)]
                        .into(),
                    ),
                    Val::T(ts.into()),
                ]);
            }
            if i % 5 == 0 {
                let kind = OpeningKind::ALL[rng.gen_range(0..OpeningKind::ALL.len())];
                let open = rng.gen_bool(0.2);
                openings.push(vec![
                    Val::I(first_opening + openings.len() as i64),
                    Val::I(id),
                    Val::I(*project),
                    Val::T(kind.as_str().into()),
                    Val::T(format!("Tehtävä {number}")),
                    Val::T(if open { "open" } else { "filled" }.into()),
                    Val::T(polku_store::date(day(&mut rng))),
                    Val::T(ts.into()),
                ]);
            }
        }
        let cols = [
            "id",
            "org_id",
            "business_id",
            "name",
            "name_key",
            "industry",
            "size_class",
            "municipality",
            "contact_consent",
            "created_at",
        ];
        bulk::insert(&mut tx, "employers", &cols, &employers).await?;
        let cols = ["employer_id", "name", "role", "created_at"];
        bulk::insert(&mut tx, "employer_contacts", &cols, &contacts).await?;
        let cols = [
            "employer_id",
            "project_id",
            "kind",
            "date",
            "summary",
            "needs",
            "created_at",
        ];
        bulk::insert(&mut tx, "employer_interactions", &cols, &interactions).await?;
        let cols = [
            "id",
            "employer_id",
            "project_id",
            "kind",
            "title",
            "status",
            "deadline",
            "created_at",
        ];
        bulk::insert(&mut tx, "openings", &cols, &openings).await?;
        tx.commit().await?;
        done += size;
        bar.inc(size as u64);
    }
    let mut done = 0;
    while done < m {
        let size = BATCH.min(m - done);
        let mut rows = vec![];
        while rows.len() < size {
            let o = rng.gen_range(0..orgs.len());
            let (register, people) = (&registers[o], &orgs[o].2);
            if register.is_empty() || people.is_empty() {
                continue;
            }
            let kind = PlacementKind::ALL[rng.gen_range(0..PlacementKind::ALL.len())];
            let starts = day(&mut rng);
            let ends = starts + Duration::days(rng.gen_range(30..180));
            let result = rng
                .gen_bool(0.6)
                .then(|| PlacementResult::ALL[rng.gen_range(0..PlacementResult::ALL.len())]);
            rows.push(vec![
                Val::I(register[rng.gen_range(0..register.len())]),
                Val::I(people[rng.gen_range(0..people.len())]),
                Val::T(kind.as_str().into()),
                Val::T(polku_store::date(starts)),
                Val::T(polku_store::date(ends)),
                result.map_or(Val::NullText, |r| Val::T(r.as_str().into())),
                result.map_or(Val::NullText, |_| Val::T(polku_store::date(ends))),
                Val::T(ts.into()),
            ]);
        }
        let mut tx = db.begin().await?;
        let cols = [
            "employer_id",
            "participant_id",
            "kind",
            "starts_on",
            "ends_on",
            "result",
            "ended_on",
            "created_at",
        ];
        bulk::insert(&mut tx, "placements", &cols, &rows).await?;
        tx.commit().await?;
        done += size;
        bar.inc(size as u64);
    }
    bulk::fix_sequences(db, &["employers", "openings"]).await?;
    if db.backend() == polku_store::Backend::Postgres {
        sqlx::query("VACUUM (ANALYZE)").execute(db.pool()).await?;
    }
    bar.finish();
    Ok(Summary {
        employers: n,
        placements: m,
    })
}
