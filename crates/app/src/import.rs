//! `polku import participants FILE --project CODE --as EMAIL` and `polku import employers FILE
//! --as EMAIL`: the same checks and the same one transaction as the import pages, with a
//! progress bar.

use polku_domain::import::{Kind, Mapping};
use polku_web::i18n::Lang;
use polku_web::import::{self, Progress, Target};
use polku_web::AppState;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

pub struct Options<'a> {
    pub file: &'a Path,
    /// The project's code for participants; none for employers.
    pub project: Option<&'a str>,
    /// The staff member the import is done as (audited as theirs).
    pub as_user: &'a str,
    /// `field=Heading,…`; else the organisation's last mapping, else a guess from the headings.
    pub mapping: Option<&'a str>,
    /// The importer states that consent to processing is on file for everyone in the file.
    pub consent_on_file: bool,
    pub skip_bad_rows: bool,
}

/// Imports and returns the rows written; on errors (and no `skip_bad_rows`) nothing is
/// written and the error lists every bad row.
pub async fn rows(st: &AppState, o: &Options<'_>) -> anyhow::Result<usize> {
    let mut conn = st.db.acquire().await?;
    let user = polku_store::users::by_email(&mut conn, o.as_user)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user {}", o.as_user))?;
    let actor = user.actor();
    let (kind, target) = match o.project {
        Some(code) => {
            let project = polku_store::projects::by_code(&mut conn, code)
                .await
                .map_err(|_| anyhow::anyhow!("no project with code {code}"))?;
            (Kind::Participants, Target::Participants(project.id))
        }
        None => (Kind::Employers, Target::Employers),
    };
    drop(conn);
    let bytes = std::fs::read(o.file)?;
    let name = o
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let show = |e| anyhow::anyhow!("{e:?}");
    let id = import::upload(st, &actor, target, &name, &bytes)
        .await
        .map_err(show)?;
    let mapping = match o.mapping {
        Some(spec) => Some(Mapping::parse_spec(kind, spec).map_err(|e| anyhow::anyhow!(e))?),
        None => None,
    };
    let review = import::review(st, &actor, id, mapping)
        .await
        .map_err(show)?;
    let en = Lang::parse("en").ok_or_else(|| anyhow::anyhow!("no English"))?;
    for e in &review.errors {
        let what: Vec<String> = e
            .errors
            .iter()
            .map(|f| format!("{}: {}", f.field, en.t(&format!("err-{}", f.code.code()))))
            .collect();
        eprintln!("line {}: {}", e.line, what.join("; "));
    }
    if kind == Kind::Participants && !o.consent_on_file {
        anyhow::bail!("--consent-on-file: the importer must state that consent to processing is on file for everyone");
    }
    if !review.errors.is_empty() && !o.skip_bad_rows {
        anyhow::bail!(
            "{} rows have errors; nothing was imported (--skip-bad-rows imports the other {})",
            review.errors.len(),
            review.rows.len()
        );
    }
    let progress = Progress::new();
    let bar = indicatif::ProgressBar::new(review.rows.len() as u64);
    let task = {
        let (st, progress, mapping) = (st.clone(), progress.clone(), review.mapping.clone());
        let consent = o.consent_on_file || kind == Kind::Employers;
        let skip = o.skip_bad_rows;
        tokio::spawn(async move {
            import::run(&st, &actor, id, mapping, consent, skip, &progress).await
        })
    };
    while !task.is_finished() {
        bar.set_position(progress.done.load(Ordering::Relaxed) as u64);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bar.finish_and_clear();
    let written = task.await?.map_err(show)?;
    Ok(written)
}
