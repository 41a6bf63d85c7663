//! Participant search against PostgreSQL's own full-text search over the same names and texts
//! (a GIN-indexed tsvector with its Finnish and Swedish Snowball configurations, compounds
//! split by the same list of heads), and the
//! henkilötunnus path against the bare indexed lookup of a precomputed blind index. Both sides
//! return the same rows (the participant with project and counsellor) in the same order.

use polku_domain::ids::OrgId;
use polku_domain::search::TextLang;
use polku_store::crypto::FieldCipher;
use polku_store::participants::{ParticipantRow, SELECT};
use polku_store::{Backend, Db};
use std::time::{Duration, Instant};

/// What a counsellor types: common and rare surnames, a prefix, a full name, and guidance
/// vocabulary in inflected Finnish and Swedish forms.
pub const NAME_QUERIES: &[&str] = &["virt", "korhonen", "juha korhonen", "granström"];
pub const TEXT_QUERIES: &[&str] = &[
    "haastatteluun",
    "työkokeilu kaupan",
    "intervjuer",
    "arbetsprövning",
];
const LIMIT: i64 = 200;

pub struct Row {
    pub kind: &'static str,
    pub queries: usize,
    pub product: Duration,
    pub baseline: Option<Duration>,
    pub hits: usize,
    pub baseline_hits: Option<usize>,
}

/// The organisation with the most participants: the hardest place to search.
pub async fn largest_org(db: &Db) -> anyhow::Result<(OrgId, i64)> {
    let (org, n): (i64, i64) = sqlx::query_as(
        "SELECT org_id, COUNT(*) AS n FROM participants GROUP BY org_id ORDER BY n DESC, org_id LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| anyhow::anyhow!("no participants to search: run `polku generate` first"))?;
    Ok((OrgId(org), n))
}

/// Builds the baseline's tsvector table once per database (PostgreSQL only).
async fn ensure_fts(db: &Db) -> anyhow::Result<()> {
    let exists: Option<String> =
        sqlx::query_scalar("SELECT CAST(to_regclass('bench_fts') AS TEXT)")
            .fetch_one(db.pool())
            .await?;
    if exists.is_some() {
        return Ok(());
    }
    eprintln!("building the full-text baseline table (once per database)…");
    // The same compound rule as the product's: a word starting with a known head is indexed
    // also as its last part ("työhaastattelua" also as "haastattelua").
    let split = |lang: TextLang| {
        format!(
            "regexp_replace(texts.t, '\\m({})(\\w{{4,}})', '\\1\\2 \\2', 'g')",
            lang.compound_heads().join("|")
        )
    };
    sqlx::query(&format!(
        "CREATE TABLE bench_fts AS \
         SELECT p.id AS participant_id, p.org_id, \
           to_tsvector('simple', p.first_name || ' ' || p.last_name) || \
           CASE WHEN u.locale = 'sv' THEN to_tsvector('swedish', {sv}) ELSE to_tsvector('finnish', {fi}) END AS doc \
         FROM participants p LEFT JOIN users u ON u.id = p.counsellor_id \
         CROSS JOIN LATERAL (SELECT COALESCE(string_agg(DISTINCT c.summary, ' '), '') AS t FROM contacts c WHERE c.participant_id = p.id) texts",
        sv = split(TextLang::Sv),
        fi = split(TextLang::Fi),
    ))
    .execute(db.pool())
    .await?;
    // With btree_gin (PostgreSQL's contrib) the organisation is part of the index, as it is of
    // the product's; without it, the baseline filters the organisation after the GIN lookup.
    let index = match sqlx::query("CREATE EXTENSION IF NOT EXISTS btree_gin")
        .execute(db.pool())
        .await
    {
        Ok(_) => "CREATE INDEX bench_fts_doc ON bench_fts USING gin (org_id, doc)",
        Err(_) => "CREATE INDEX bench_fts_doc ON bench_fts USING gin (doc)",
    };
    sqlx::query(index).execute(db.pool()).await?;
    sqlx::query("ANALYZE bench_fts").execute(db.pool()).await?;
    Ok(())
}

/// The baseline query: each word as a name prefix or a Finnish or Swedish stem, all words
/// required, newest 200, then the same rows the product returns, in name order.
fn baseline_sql(words: usize) -> String {
    let per_word: Vec<String> = (0..words)
        .map(|n| {
            let p = n + 2;
            format!("(to_tsquery('simple', ${p} || ':*') || to_tsquery('finnish', ${p}) || to_tsquery('swedish', ${p}))")
        })
        .collect();
    format!(
        "{SELECT} WHERE p.id IN (SELECT participant_id FROM bench_fts WHERE org_id = $1 AND doc @@ ({}) \
         ORDER BY participant_id DESC LIMIT {LIMIT}) ORDER BY p.last_name, p.first_name, p.id",
        per_word.join(" && ")
    )
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Times every query `runs` times; a row per kind with the median of the per-run totals.
pub async fn run(
    db: &Db,
    cipher: &FieldCipher,
    org: OrgId,
    runs: usize,
) -> anyhow::Result<Vec<Row>> {
    let pg = db.backend() == Backend::Postgres;
    if pg {
        ensure_fts(db).await?;
    }
    // Twenty people's henkilötunnus, as a counsellor would type them.
    let sample: Vec<(String, String)> = sqlx::query_as(
        "SELECT hetu_enc, hetu_index FROM participants WHERE org_id = $1 AND hetu_enc IS NOT NULL ORDER BY id LIMIT 20",
    )
    .bind(org.0)
    .fetch_all(db.pool())
    .await?;
    let mut hetus = vec![];
    for (enc, index) in sample {
        hetus.push((cipher.decrypt(&enc)?, index));
    }
    let mut rows = vec![];
    for (kind, queries) in [("name", NAME_QUERIES), ("free text", TEXT_QUERIES)] {
        let (mut mine, mut theirs, mut hits, mut base_hits) = (vec![], vec![], 0, 0);
        for _ in 0..runs.max(1) {
            let (mut a, mut b) = (Duration::ZERO, Duration::ZERO);
            hits = 0;
            base_hits = 0;
            for q in queries {
                let mut conn = db.acquire().await?;
                let t = Instant::now();
                let found =
                    polku_store::participants::search(&mut conn, cipher, org, q, None, LIMIT)
                        .await?;
                a += t.elapsed();
                hits += found.len();
                if pg {
                    let words: Vec<&str> = q.split_whitespace().collect();
                    let sql = baseline_sql(words.len());
                    let t = Instant::now();
                    let mut query = sqlx::query_as::<_, ParticipantRow>(&sql).bind(org.0);
                    for w in &words {
                        query = query.bind(*w);
                    }
                    let ids = query.fetch_all(&mut *conn).await?;
                    b += t.elapsed();
                    base_hits += ids.len();
                }
            }
            mine.push(a);
            theirs.push(b);
        }
        rows.push(Row {
            kind,
            queries: queries.len(),
            product: median(mine),
            baseline: pg.then(|| median(theirs)),
            hits,
            baseline_hits: pg.then_some(base_hits),
        });
    }
    let (mut mine, mut theirs, mut hits, mut base_hits) = (vec![], vec![], 0, 0);
    for _ in 0..runs.max(1) {
        let (mut a, mut b) = (Duration::ZERO, Duration::ZERO);
        hits = 0;
        base_hits = 0;
        for (hetu, index) in &hetus {
            let mut conn = db.acquire().await?;
            let t = Instant::now();
            hits += polku_store::participants::search(&mut conn, cipher, org, hetu, None, LIMIT)
                .await?
                .len();
            a += t.elapsed();
            let t = Instant::now();
            let rows: Vec<ParticipantRow> = sqlx::query_as(&format!(
                "{SELECT} WHERE p.hetu_index = $1 AND p.org_id = $2"
            ))
            .bind(index)
            .bind(org.0)
            .fetch_all(&mut *conn)
            .await?;
            b += t.elapsed();
            base_hits += rows.len();
        }
        mine.push(a);
        theirs.push(b);
    }
    rows.push(Row {
        kind: "henkilötunnus",
        queries: hetus.len(),
        product: median(mine),
        baseline: Some(median(theirs)),
        hits,
        baseline_hits: Some(base_hits),
    });
    Ok(rows)
}
