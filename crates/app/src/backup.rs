//! `polku backup` and `polku restore`: a consistent copy of the database while Polku runs
//! (SQLite's `VACUUM INTO`; `pg_dump` for PostgreSQL), and its restoration into an empty
//! database. The key file is not in the backup: keep it apart, as the README says.

use polku_store::{Backend, Db};
use std::path::Path;

/// Writes a consistent copy of the whole database to `out` (which must not exist).
pub async fn backup(db: &Db, url: &str, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        anyhow::bail!("{} exists already: choose a new file", out.display());
    }
    match db.backend() {
        Backend::Sqlite => {
            let path = out
                .to_str()
                .ok_or_else(|| anyhow::anyhow!("the backup path is not UTF-8"))?;
            // One statement, consistent while other connections write (WAL).
            sqlx::query("VACUUM INTO $1")
                .bind(path)
                .execute(db.pool())
                .await?;
            private(out)
        }
        Backend::Postgres => {
            run(
                "pg_dump",
                &["--format=custom", "--no-owner", "--file", &text(out)?, url],
            )?;
            private(out)
        }
    }
}

/// Restores a backup into the database at `url`, which must be empty (a new SQLite file or a
/// new PostgreSQL database), so that nothing is overwritten by mistake.
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<()> {
    if !from.exists() {
        anyhow::bail!("no backup at {}", from.display());
    }
    if let Some(path) = url.strip_prefix("sqlite:") {
        let path = Path::new(
            path.trim_start_matches("//")
                .split('?')
                .next()
                .unwrap_or(""),
        );
        if path.exists() {
            anyhow::bail!("{} exists: restore into a new file", path.display());
        }
        let tmp = path.with_extension("restoring");
        std::fs::copy(from, &tmp)?;
        private(&tmp)?;
        std::fs::rename(&tmp, path)?;
        return Ok(());
    }
    let db = Db::connect_raw(url).await?;
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&db)
    .await?;
    db.close().await;
    if tables > 0 {
        anyhow::bail!("the database is not empty: restore into a new database");
    }
    run(
        "pg_restore",
        &[
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            url,
            &text(from)?,
        ],
    )
}

fn text(p: &Path) -> anyhow::Result<String> {
    p.to_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("the path {} is not UTF-8", p.display()))
}

fn run(cmd: &str, args: &[&str]) -> anyhow::Result<()> {
    let out = std::process::Command::new(cmd)
        .args(args)
        .output()
        .map_err(|e| {
            anyhow::anyhow!("{cmd} could not be run ({e}): install the PostgreSQL client tools")
        })?;
    if !out.status.success() {
        anyhow::bail!(
            "{cmd} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Backups hold personal data: readable by their owner only.
fn private(p: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}
