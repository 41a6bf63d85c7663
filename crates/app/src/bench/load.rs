//! The busiest pages under load from wrk: the participant page and a group session's attendance
//! page, each against its bare twin (`polku_web::bare`) that runs the same queries without
//! session, templates or middleware. Both are served by this process on one port.

use polku_domain::authz::Actor;
use polku_domain::ids::{OrgId, UserId};
use polku_store::Db;
use polku_web::AppState;
use std::fmt::Write as _;
use std::process::Command;

pub struct Row {
    pub page: &'static str,
    pub bare: Wrk,
    pub real: Wrk,
}

impl Row {
    pub fn ratio(&self) -> f64 {
        self.real.rps / self.bare.rps.max(1e-9)
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Wrk {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// wrk's "Requests/sec" and latency percentiles; non-2xx answers count as errors.
fn parse(out: &str) -> Wrk {
    let mut w = Wrk::default();
    let ms = |v: &str| -> f64 {
        let (num, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
        let n: f64 = num.parse().unwrap_or(f64::NAN);
        match unit {
            "us" => n / 1e3,
            "s" => n * 1e3,
            _ => n,
        }
    };
    for line in out.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            ["Requests/sec:", v] => w.rps = v.parse().unwrap_or(0.0),
            ["50%", v] => w.p50_ms = ms(v),
            ["99%", v] => w.p99_ms = ms(v),
            ["Non-2xx", "or", "3xx", "responses:", v] => w.errors += v.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                w.errors += rest
                    .iter()
                    .filter_map(|t| t.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    w
}

/// Fails with a clear message when wrk is not installed.
pub fn check_wrk() -> anyhow::Result<()> {
    match Command::new("wrk").arg("--version").output() {
        Ok(_) => Ok(()),
        Err(_) => anyhow::bail!(
            "wrk is not installed: the page benchmark needs it (Debian: apt-get install wrk)"
        ),
    }
}

fn wrk(
    base: &str,
    paths: &[String],
    cookie: &str,
    secs: u32,
    connections: u32,
) -> anyhow::Result<Wrk> {
    // wrk cycles through the paths, so no single row stays hot in every cache.
    let mut lua = String::from("local paths = {");
    for p in paths {
        let _ = write!(lua, "\"{p}\",");
    }
    let _ = write!(
        lua,
        "}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i], {{[\"Cookie\"] = \"polku_session={cookie}\"}})\nend\n"
    );
    let script = std::env::temp_dir().join(format!("polku-wrk-{}.lua", std::process::id()));
    std::fs::write(&script, lua)?;
    let out = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{secs}s"),
            // A report page takes a second or more under load: slow, not an error.
            "--timeout",
            "30s",
            "--latency",
            "-s",
        ])
        .arg(&script)
        .arg(base)
        .output()?;
    let _ = std::fs::remove_file(&script);
    if !out.status.success() {
        anyhow::bail!("wrk failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(parse(&String::from_utf8_lossy(&out.stdout)))
}

/// A page and its bare twin, as the paths wrk cycles through.
pub struct Twin {
    pub page: &'static str,
    pub bare: Vec<String>,
    pub real: Vec<String>,
}

impl Twin {
    /// The same paths, the bare ones under `/bare`.
    pub fn of(page: &'static str, paths: Vec<String>) -> Twin {
        Twin {
            page,
            bare: paths.iter().map(|p| format!("/bare{p}")).collect(),
            real: paths,
        }
    }
}

/// Serves the real router and the bare pages for `org`'s first counsellor, then loads each
/// page of `twins` (given the counsellor's database) and its twin for `secs` seconds.
pub async fn measure(
    state: AppState,
    org: OrgId,
    twins: Vec<Twin>,
    secs: u32,
    connections: u32,
) -> anyhow::Result<Vec<Row>> {
    check_wrk()?;
    let db: Db = state.db.clone();
    let user: i64 = sqlx::query_scalar(
        "SELECT id FROM users WHERE org_id = $1 AND role = 'counsellor' AND active = 1 ORDER BY id LIMIT 1",
    )
    .bind(org.0)
    .fetch_one(db.pool())
    .await?;
    let actor = Actor {
        user: UserId(user),
        org,
        role: polku_domain::authz::Role::Counsellor,
    };
    let cookie = polku_web::bare::session_cookie(&db, actor.user)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let app = polku_web::router(state.clone()).merge(polku_web::bare::router(state, actor));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    let mut rows = vec![];
    for Twin { page, bare, real } in twins {
        if bare.is_empty() {
            anyhow::bail!("{page}: nothing to load: run `polku generate` first");
        }
        // A short warm-up of each, then the measured runs, bare first.
        wrk(&base, &bare, &cookie, 2, connections)?;
        wrk(&base, &real, &cookie, 2, connections)?;
        let bare = wrk(&base, &bare, &cookie, secs, connections)?;
        let real = wrk(&base, &real, &cookie, secs, connections)?;
        if bare.errors > 0 || real.errors > 0 {
            anyhow::bail!(
                "{page}: error answers under load (bare {}, page {})",
                bare.errors,
                real.errors
            );
        }
        rows.push(Row { page, bare, real });
    }
    server.abort();
    Ok(rows)
}

/// The ids `sql` finds for the organisation (`$1`).
async fn ids(db: &Db, sql: &str, org: OrgId) -> anyhow::Result<Vec<i64>> {
    Ok(sqlx::query_scalar(sql)
        .bind(org.0)
        .fetch_all(db.pool())
        .await?)
}

/// The participant page and a group session's attendance page: 500 participants and 200
/// group sessions of `org`, spread over its id range.
pub async fn run(
    state: AppState,
    org: OrgId,
    secs: u32,
    connections: u32,
) -> anyhow::Result<Vec<Row>> {
    let db: Db = state.db.clone();
    let people = ids(
        &db,
        "SELECT id FROM participants WHERE org_id = $1 AND id % 7 = 3 ORDER BY id LIMIT 500",
        org,
    )
    .await?;
    let sessions: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT s.id, ss.id FROM services s JOIN service_sessions ss ON ss.service_id = s.id \
         WHERE s.org_id = $1 AND s.enrolled_count > 0 ORDER BY ss.id LIMIT 200",
    )
    .bind(org.0)
    .fetch_all(db.pool())
    .await?;
    let twins = vec![
        Twin::of(
            "participant page",
            people
                .iter()
                .map(|p| format!("/participants/{p}"))
                .collect(),
        ),
        Twin::of(
            "group attendance",
            sessions
                .iter()
                .map(|(s, ss)| format!("/services/{s}/sessions/{ss}"))
                .collect(),
        ),
    ];
    measure(state, org, twins, secs, connections).await
}

/// The employer side: the register's pages (first, a name search, and 200 pages further on),
/// 200 open openings with whom could be proposed to them, and the ESF+ report with its
/// placements by kind and result, all in `org`.
pub async fn employers(
    state: AppState,
    org: OrgId,
    secs: u32,
    connections: u32,
) -> anyhow::Result<Vec<Row>> {
    let db: Db = state.db.clone();
    let after = ids(
        &db,
        "SELECT id FROM employers WHERE org_id = $1 AND id % 97 = 5 ORDER BY id LIMIT 200",
        org,
    )
    .await?;
    let mut list = vec!["/employers".to_string(), "/employers?q=salon".to_string()];
    list.extend(after.iter().map(|e| format!("/employers?after={e}")));
    let openings = ids(
        &db,
        "SELECT o.id FROM openings o JOIN employers e ON e.id = o.employer_id \
         WHERE e.org_id = $1 AND o.status = 'open' ORDER BY o.id LIMIT 200",
        org,
    )
    .await?;
    let projects = ids(
        &db,
        "SELECT id FROM projects WHERE owner_org_id = $1 ORDER BY id",
        org,
    )
    .await?;
    let twins = vec![
        Twin::of("employer list", list),
        Twin::of(
            "opening matching",
            openings.iter().map(|o| format!("/openings/{o}")).collect(),
        ),
        Twin::of(
            "placement report",
            projects
                .iter()
                .map(|p| format!("/projects/{p}/esf"))
                .collect(),
        ),
    ];
    measure(state, org, twins, secs, connections).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_wrk_output() {
        let out = "Running 10s test\n  Latency Distribution\n     50%    1.50ms\n     75%    2.00ms\n     90%    3.00ms\n     99%  850.00us\n  1000 requests in 10.00s\n  Non-2xx or 3xx responses: 3\nRequests/sec:    100.50\n";
        let w = super::parse(out);
        assert_eq!(w.rps, 100.5);
        assert_eq!(w.p50_ms, 1.5);
        assert_eq!(w.p99_ms, 0.85);
        assert_eq!(w.errors, 3);
    }
}
