//! `polku bench`: each figure a ratio against a baseline measured in the same run, never an
//! absolute threshold, so they compare across machines. The ESF+ report against the same
//! aggregation hand-written as one SQL query (plus decrypting the special-category answers,
//! which SQL cannot read) and against the memory-bandwidth floor
//! ([`floor`]); participant search against PostgreSQL's full-text search ([`search`]); the
//! busiest pages under load against bare pages running the same queries ([`load`]).

pub mod floor;
pub mod import;
pub mod load;
pub mod search;

use polku_store::crypto::FieldCipher;
use polku_store::Db;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Each indicator as a SQL condition over the `people` CTE below: the baseline's own,
/// hand-written copy of the rules (the product's live in `domain::esf::INDICATORS`).
const CONDITIONS: &[(&str, &str)] = &[
    ("EECO01", "1 = 1"),
    ("EECO02", "complete AND labour_status = 'unemployed'"),
    ("EECO03", "complete AND labour_status = 'unemployed' AND since_months IS NOT NULL AND ((age < 25 AND (since_months > 6 OR (since_months = 6 AND since_day <> entry_day))) OR (age >= 25 AND (since_months > 12 OR (since_months = 12 AND since_day <> entry_day))))"),
    ("EECO04", "complete AND labour_status IN ('inactive', 'in_education')"),
    ("EECO05", "complete AND labour_status IN ('employed', 'self_employed')"),
    ("EECO06", "complete AND age < 18"),
    ("EECO07", "complete AND age BETWEEN 18 AND 29"),
    ("EECO08", "complete AND age >= 55"),
    ("EECO09", "complete AND education = 'isced_0_2'"),
    ("EECO10", "complete AND education IN ('isced_3', 'isced_4')"),
    ("EECO11", "complete AND education IN ('isced_5', 'isced_6', 'isced_7', 'isced_8')"),
    ("EECO17", "complete AND degurba = '3'"),
    ("EECR01", "complete AND exit_date IS NOT NULL AND exit_status = 'job_searching'"),
    ("EECR02", "complete AND exit_date IS NOT NULL AND (exit_in_education = 1 OR exit_status = 'education')"),
    ("EECR03", "complete AND exit_date IS NOT NULL AND (exit_qualification = 1 OR exit_status = 'qualification')"),
    ("EECR04", "complete AND exit_date IS NOT NULL AND exit_status IN ('employed_open', 'employed_subsidised', 'self_employed')"),
    ("EECR05", "complete AND fu_status IN ('employed_open', 'employed_subsidised', 'self_employed')"),
    ("EECR06", "complete AND labour_status IN ('employed', 'self_employed') AND fu_improved = 1"),
];

/// The special-category indicators: the answer's position in the decrypted five-letter code
/// (disability, foreign background, third-country national, minority, homeless), counted when
/// it is `y`. SQL cannot read them, so the baseline decrypts them as the product must.
const SPECIAL: &[(&str, usize)] = &[
    ("EECO12", 0),
    ("EECO13", 2),
    ("EECO14", 1),
    ("EECO15", 3),
    ("EECO16", 4),
];

fn year(col: &str) -> String {
    format!("CAST(SUBSTR({col}, 1, 4) AS INTEGER)")
}

fn month(col: &str) -> String {
    format!("CAST(SUBSTR({col}, 6, 2) AS INTEGER)")
}

/// The baseline query: one person per project (first entry, last exit), age at entry, the
/// indicator counts by gender.
pub fn baseline_sql() -> String {
    let mut cols = vec![];
    for (code, cond) in CONDITIONS {
        let c = code.to_lowercase();
        cols.push(format!("CAST(SUM(CASE WHEN ({cond}) AND gender = 'woman' THEN 1 ELSE 0 END) AS BIGINT) AS {c}_w"));
        cols.push(format!(
            "CAST(SUM(CASE WHEN ({cond}) AND gender = 'man' THEN 1 ELSE 0 END) AS BIGINT) AS {c}_m"
        ));
        cols.push(format!("CAST(SUM(CASE WHEN ({cond}) AND gender = 'non_binary' THEN 1 ELSE 0 END) AS BIGINT) AS {c}_n"));
        cols.push(format!(
            "CAST(SUM(CASE WHEN ({cond}) THEN 1 ELSE 0 END) AS BIGINT) AS {c}_t"
        ));
    }
    format!("{} SELECT {} FROM people", people_cte(), cols.join(", "))
}

/// The people to count, one row each, with the encrypted answers and whether the record is
/// complete: what the special-category indicators read.
pub fn special_sql() -> String {
    format!(
        "{} SELECT gender, CAST(CASE WHEN complete THEN 1 ELSE 0 END AS BIGINT), special_enc FROM people",
        people_cte()
    )
}

fn people_cte() -> String {
    let person = "COALESCE(p.hetu_index, 'id:' || CAST(p.id AS TEXT))";
    // Last-participation values come from windows ordered newest first, so one pass suffices.
    let last = |col: &str| {
        format!(
            "FIRST_VALUE({col}) OVER (PARTITION BY {person} ORDER BY p.entry_date DESC, p.id DESC)"
        )
    };
    format!(
        "WITH ranked AS ( \
           SELECT p.gender, p.labour_status, p.education, p.special_enc, \
             (SELECT r.value FROM reference_values r WHERE r.kind = 'degurba' AND r.code = p.municipality) AS degurba, p.entry_date, p.birth_date, p.unemployed_since, \
             ROW_NUMBER() OVER (PARTITION BY {person} ORDER BY p.entry_date, p.id) AS first_rank, \
             {le} AS exit_date, {ls} AS exit_status, {lq} AS exit_qualification, {lj} AS exit_in_education, \
             {lf} AS fu_status, {li} AS fu_improved \
           FROM participants p LEFT JOIN follow_ups fu ON fu.participant_id = p.id AND fu.done_at IS NOT NULL \
           WHERE p.project_id = $1), \
         people AS (SELECT f.gender, f.labour_status, f.education, f.special_enc, f.degurba, f.exit_date, f.exit_status, f.exit_qualification, f.exit_in_education, f.fu_status, f.fu_improved, \
             (f.gender IS NOT NULL AND f.labour_status IS NOT NULL AND f.education IS NOT NULL) AS complete, \
             {ey} - {by} - CASE WHEN SUBSTR(f.entry_date, 6, 5) < SUBSTR(f.birth_date, 6, 5) THEN 1 ELSE 0 END AS age, \
             CASE WHEN f.unemployed_since IS NULL THEN NULL ELSE ({ey} - {sy}) * 12 + {em} - {sm} \
               - CASE WHEN SUBSTR(f.entry_date, 9, 2) < SUBSTR(f.unemployed_since, 9, 2) THEN 1 ELSE 0 END END AS since_months, \
             SUBSTR(f.unemployed_since, 9, 2) AS since_day, SUBSTR(f.entry_date, 9, 2) AS entry_day \
           FROM ranked f WHERE f.first_rank = 1)",
        ey = year("f.entry_date"),
        by = year("f.birth_date"),
        sy = year("f.unemployed_since"),
        em = month("f.entry_date"),
        sm = month("f.unemployed_since"),
        le = last("p.exit_date"),
        ls = last("p.exit_status"),
        lq = last("p.exit_qualification"),
        lj = last("p.exit_in_education"),
        lf = last("fu.status"),
        li = last("fu.improved"),
    )
}

/// The baseline's figures: code → [women, men, non-binary, total].
pub async fn baseline(
    db: &Db,
    cipher: &FieldCipher,
    project: i64,
) -> anyhow::Result<BTreeMap<String, [i64; 4]>> {
    use sqlx::Row;
    let row = sqlx::query(&baseline_sql())
        .bind(project)
        .fetch_one(db.pool())
        .await?;
    let mut out = BTreeMap::new();
    for (code, _) in CONDITIONS {
        let c = code.to_lowercase();
        let get = |s: &str| {
            row.try_get::<Option<i64>, _>(format!("{c}_{s}").as_str())
                .map(|v| v.unwrap_or(0))
        };
        out.insert(
            code.to_string(),
            [get("w")?, get("m")?, get("n")?, get("t")?],
        );
    }
    for (code, _) in SPECIAL {
        out.insert(code.to_string(), [0; 4]);
    }
    let people: Vec<(Option<String>, i64, Option<String>)> = sqlx::query_as(&special_sql())
        .bind(project)
        .fetch_all(db.pool())
        .await?;
    for (gender, complete, sealed) in people {
        let (Some(sealed), 1) = (sealed, complete) else {
            continue;
        };
        let plain = match sealed.strip_prefix("plain:") {
            Some(p) => p.to_string(),
            None => cipher.decrypt(&sealed)?,
        };
        let column = match gender.as_deref() {
            Some("woman") => Some(0),
            Some("man") => Some(1),
            Some("non_binary") => Some(2),
            _ => None,
        };
        for (code, at) in SPECIAL {
            if plain.as_bytes().get(*at) == Some(&b'y') {
                if let Some(counts) = out.get_mut(*code) {
                    counts[3] += 1;
                    if let Some(c) = column {
                        counts[c] += 1;
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The product's figures for the same project, in the same shape.
pub async fn product(
    db: &Db,
    cipher: &FieldCipher,
    project: i64,
) -> anyhow::Result<BTreeMap<String, [i64; 4]>> {
    let mut conn = db.acquire_read().await?;
    let records =
        polku_store::esf::records(&mut conn, cipher, polku_domain::ids::ProjectId(project)).await?;
    let r = polku_domain::esf::compute(&records);
    Ok(r.rows
        .iter()
        .map(|row| {
            (
                row.code.to_string(),
                [
                    row.counts.women,
                    row.counts.men,
                    row.counts.non_binary,
                    row.counts.total,
                ],
            )
        })
        .collect())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

pub struct Measurement {
    pub participants: i64,
    pub product: Duration,
    pub baseline: Duration,
    /// Bytes of the columns the report must read.
    pub bytes: i64,
}

impl Measurement {
    pub fn ratio(&self) -> f64 {
        self.product.as_secs_f64() / self.baseline.as_secs_f64().max(1e-9)
    }
}

/// Times the full report (records loaded and computed, as the page does) against the baseline
/// query, `runs` times each, and checks both give the same figures.
pub async fn esf(
    db: &Db,
    cipher: &FieldCipher,
    project: i64,
    runs: usize,
) -> anyhow::Result<Measurement> {
    let (mut a, mut b) = (vec![], vec![]);
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let mine = product(db, cipher, project).await?;
        a.push(t.elapsed());
        let t = Instant::now();
        let theirs = baseline(db, cipher, project).await?;
        b.push(t.elapsed());
        if mine != theirs {
            anyhow::bail!("the report and its SQL baseline disagree: {mine:?} vs {theirs:?}");
        }
    }
    let participants: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM participants WHERE project_id = $1")
            .bind(project)
            .fetch_one(db.pool())
            .await?;
    Ok(Measurement {
        participants,
        product: median(a),
        baseline: median(b),
        bytes: floor::report_bytes(db, project).await?,
    })
}

/// (id, code) of the named projects, or of every project.
pub async fn projects(db: &Db, codes: &[String]) -> anyhow::Result<Vec<(i64, String)>> {
    let all: Vec<(i64, String)> = sqlx::query_as("SELECT id, code FROM projects ORDER BY code")
        .fetch_all(db.pool())
        .await?;
    Ok(all
        .into_iter()
        .filter(|(_, c)| codes.is_empty() || codes.iter().any(|x| x.eq_ignore_ascii_case(c)))
        .collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Suite {
    Esf,
    Search,
    Pages,
    /// Spreadsheet import against a bare bulk insert (writes a new organisation's rows).
    Import,
    /// Employer list, opening matching and placement report under load (needs wrk and
    /// `polku generate --employers`).
    Employers,
    All,
}

pub struct Options {
    pub suite: Suite,
    pub projects: Vec<String>,
    pub runs: usize,
    pub seconds: u32,
    pub connections: u32,
    /// Rows for the import benchmark.
    pub rows: usize,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs the chosen suites on `state`'s database and prints their tables.
pub async fn run(state: polku_web::AppState, o: &Options) -> anyhow::Result<()> {
    let db = &state.db;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM participants")
        .fetch_one(db.pool())
        .await?;
    let events: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM attendance)",
    )
    .fetch_one(db.pool())
    .await?;
    println!(
        "database: {total} participants, {events} events ({:?})\n",
        db.backend()
    );
    if matches!(o.suite, Suite::Esf | Suite::All) {
        let bw = floor::bandwidth();
        println!(
            "ESF+ report (median of {} runs); memory bandwidth {:.1} GB/s",
            o.runs,
            bw / 1e9
        );
        println!(
            "{:<12} {:>10} {:>11} {:>9} {:>7} {:>10} {:>9}",
            "project", "persons", "report ms", "SQL ms", "÷ SQL", "floor ms", "÷ floor"
        );
        let (mut people, mut mine, mut base, mut bytes) = (0i64, 0.0f64, 0.0f64, 0i64);
        for (id, code) in projects(db, &o.projects).await? {
            let m = esf(db, &state.cipher, id, o.runs).await?;
            let fl = m.bytes as f64 / bw;
            println!(
                "{:<12} {:>10} {:>11.1} {:>9.1} {:>7.2} {:>10.3} {:>9.0}",
                code,
                m.participants,
                ms(m.product),
                ms(m.baseline),
                m.ratio(),
                fl * 1e3,
                m.product.as_secs_f64() / fl.max(1e-12)
            );
            people += m.participants;
            mine += m.product.as_secs_f64();
            base += m.baseline.as_secs_f64();
            bytes += m.bytes;
        }
        let fl = bytes as f64 / bw;
        println!(
            "{:<12} {:>10} {:>11.1} {:>9.1} {:>7.2} {:>10.3} {:>9.0}\n",
            "all",
            people,
            mine * 1e3,
            base * 1e3,
            mine / base.max(1e-9),
            fl * 1e3,
            mine / fl.max(1e-12)
        );
    }
    if o.suite == Suite::Import {
        let m = import::run(&state, o.rows).await?;
        println!("spreadsheet import (CSV, every row checked, one transaction) against a bare bulk insert");
        println!(
            "{:>8} {:>10} {:>10} {:>10} {:>8}",
            "rows", "import s", "rows/s", "bulk s", "ratio"
        );
        println!(
            "{:>8} {:>10.1} {:>10.0} {:>10.2} {:>8.1}",
            m.rows,
            m.product.as_secs_f64(),
            m.rows as f64 / m.product.as_secs_f64().max(1e-9),
            m.baseline.as_secs_f64(),
            m.ratio()
        );
        return Ok(());
    }
    if o.suite == Suite::Employers {
        return employers(&state, o).await;
    }
    // Search and pages both work in the largest organisation: the hardest place.
    let largest = match o.suite {
        Suite::Esf => None,
        _ => Some(search::largest_org(db).await?),
    };
    if let (Suite::Search | Suite::All, Some((org, n))) = (o.suite, largest) {
        println!(
            "participant search in the largest organisation ({n} participants), median of {} runs",
            o.runs
        );
        println!(
            "{:<14} {:>8} {:>12} {:>12} {:>8} {:>6} {:>9}",
            "kind", "queries", "Polku ms", "baseline ms", "ratio", "hits", "base hits"
        );
        for r in search::run(db, &state.cipher, org, o.runs).await? {
            let base = r.baseline.map(ms);
            println!(
                "{:<14} {:>8} {:>12.2} {:>12} {:>8} {:>6} {:>9}",
                r.kind,
                r.queries,
                ms(r.product),
                base.map(|b| format!("{b:.2}"))
                    .unwrap_or_else(|| "-".into()),
                base.map(|b| format!("{:.2}", ms(r.product) / b.max(1e-9)))
                    .unwrap_or_else(|| "-".into()),
                r.hits,
                r.baseline_hits
                    .map(|h| h.to_string())
                    .unwrap_or_else(|| "-".into()),
            );
        }
        if db.backend() != polku_store::Backend::Postgres {
            println!("(the full-text baseline is PostgreSQL's: run against PostgreSQL for ratios)");
        }
        println!();
    }
    if let (Suite::Pages | Suite::All, Some((org, n))) = (o.suite, largest) {
        println!(
            "pages under load: wrk, {} connections, {} s each, organisation of {n} participants",
            o.connections, o.seconds
        );
        print_load(&load::run(state.clone(), org, o.seconds, o.connections).await?);
    }
    Ok(())
}

fn print_load(rows: &[load::Row]) {
    println!(
        "{:<18} {:>10} {:>10} {:>7} {:>12} {:>12} {:>12} {:>12}",
        "page",
        "bare rps",
        "page rps",
        "ratio",
        "bare p50 ms",
        "page p50 ms",
        "bare p99 ms",
        "page p99 ms"
    );
    for r in rows {
        println!(
            "{:<18} {:>10.0} {:>10.0} {:>7.2} {:>12.2} {:>12.2} {:>12.2} {:>12.2}",
            r.page,
            r.bare.rps,
            r.real.rps,
            r.ratio(),
            r.bare.p50_ms,
            r.real.p50_ms,
            r.bare.p99_ms,
            r.real.p99_ms
        );
    }
}

/// The employer pages in the organisation with the largest employer register.
async fn employers(state: &polku_web::AppState, o: &Options) -> anyhow::Result<()> {
    let db = &state.db;
    let (employers, placements): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM employers), (SELECT COUNT(*) FROM placements)",
    )
    .fetch_one(db.pool())
    .await?;
    let (org, register): (i64, i64) = sqlx::query_as(
        "SELECT org_id, COUNT(*) AS n FROM employers GROUP BY org_id ORDER BY n DESC, org_id LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| anyhow::anyhow!("no employers: run `polku generate --employers N` first"))?;
    println!(
        "employer pages under load: {employers} employers, {placements} placements; wrk, {} connections, {} s each, organisation with {register} employers",
        o.connections, o.seconds
    );
    let org = polku_domain::ids::OrgId(org);
    print_load(&load::employers(state.clone(), org, o.seconds, o.connections).await?);
    Ok(())
}
