//! `polku bench`: the ESF+ report measured against its baseline in the same run — the same
//! aggregation hand-written as one SQL query on the same database. Figures are ratios, never
//! absolute thresholds, so they compare across machines.

use polku_domain::clock::Clock;
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
    ("EECO12", "complete AND disability = 'yes'"),
    ("EECO13", "complete AND third_country_national = 'yes'"),
    ("EECO14", "complete AND foreign_background = 'yes'"),
    ("EECO15", "complete AND minority = 'yes'"),
    ("EECO16", "complete AND homeless = 'yes'"),
    ("EECO17", "complete AND municipality IN ('224', '710')"),
    ("EECR01", "complete AND exit_date IS NOT NULL AND exit_status = 'job_searching'"),
    ("EECR02", "complete AND exit_date IS NOT NULL AND exit_status = 'education'"),
    ("EECR03", "complete AND exit_date IS NOT NULL AND exit_status = 'qualification'"),
    ("EECR04", "complete AND exit_date IS NOT NULL AND exit_status IN ('employed_open', 'employed_subsidised', 'self_employed')"),
    ("EECR05", "complete AND fu_status IN ('employed_open', 'employed_subsidised', 'self_employed')"),
    ("EECR06", "complete AND labour_status IN ('employed', 'self_employed') AND fu_improved = 1"),
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
    let person = "COALESCE(p.hetu_index, 'id:' || CAST(p.id AS TEXT))";
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
    // Last-participation values come from windows ordered newest first, so one pass suffices.
    let last = |col: &str| {
        format!(
            "FIRST_VALUE({col}) OVER (PARTITION BY {person} ORDER BY p.entry_date DESC, p.id DESC)"
        )
    };
    format!(
        "WITH ranked AS ( \
           SELECT p.gender, p.labour_status, p.education, p.disability, p.third_country_national, p.foreign_background, \
             p.minority, p.homeless, p.municipality, p.entry_date, p.birth_date, p.unemployed_since, \
             ROW_NUMBER() OVER (PARTITION BY {person} ORDER BY p.entry_date, p.id) AS first_rank, \
             {le} AS exit_date, {ls} AS exit_status, {lf} AS fu_status, {li} AS fu_improved \
           FROM participants p LEFT JOIN follow_ups fu ON fu.participant_id = p.id AND fu.done_at IS NOT NULL \
           WHERE p.project_id = $1), \
         people AS (SELECT f.gender, f.labour_status, f.education, f.disability, f.third_country_national, f.foreign_background, \
             f.minority, f.homeless, f.municipality, f.exit_date, f.exit_status, f.fu_status, f.fu_improved, \
             (f.gender IS NOT NULL AND f.labour_status IS NOT NULL AND f.education IS NOT NULL) AS complete, \
             {ey} - {by} - CASE WHEN SUBSTR(f.entry_date, 6, 5) < SUBSTR(f.birth_date, 6, 5) THEN 1 ELSE 0 END AS age, \
             CASE WHEN f.unemployed_since IS NULL THEN NULL ELSE ({ey} - {sy}) * 12 + {em} - {sm} \
               - CASE WHEN SUBSTR(f.entry_date, 9, 2) < SUBSTR(f.unemployed_since, 9, 2) THEN 1 ELSE 0 END END AS since_months, \
             SUBSTR(f.unemployed_since, 9, 2) AS since_day, SUBSTR(f.entry_date, 9, 2) AS entry_day \
           FROM ranked f WHERE f.first_rank = 1) \
         SELECT {} FROM people",
        cols.join(", "),
        ey = year("f.entry_date"),
        by = year("f.birth_date"),
        sy = year("f.unemployed_since"),
        em = month("f.entry_date"),
        sm = month("f.unemployed_since"),
        le = last("p.exit_date"),
        ls = last("p.exit_status"),
        lf = last("fu.status"),
        li = last("fu.improved"),
    )
}

/// The baseline's figures: code → [women, men, non-binary, total].
pub async fn baseline(db: &Db, project: i64) -> anyhow::Result<BTreeMap<String, [i64; 4]>> {
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
    Ok(out)
}

/// The product's figures for the same project, in the same shape.
pub async fn product(db: &Db, project: i64) -> anyhow::Result<BTreeMap<String, [i64; 4]>> {
    let mut conn = db.acquire().await?;
    let records =
        polku_store::esf::records(&mut conn, polku_domain::ids::ProjectId(project)).await?;
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
    project: i64,
    runs: usize,
    _clock: &dyn Clock,
) -> anyhow::Result<Measurement> {
    let (mut a, mut b) = (vec![], vec![]);
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let mine = product(db, project).await?;
        a.push(t.elapsed());
        let t = Instant::now();
        let theirs = baseline(db, project).await?;
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
