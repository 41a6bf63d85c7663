use clap::{Parser, Subcommand};
use polku_domain::clock::{Clock, SystemClock};
use polku_store::Db;
use polku_web::Config;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "polku",
    version,
    about = "Polku – employment services for job seekers"
)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

/// Every setting, from the command line or the environment, for every entry point alike
/// (`polku` with no subcommand serves with the same settings as `polku serve`).
#[derive(clap::Args, Debug)]
struct Settings {
    /// sqlite:PATH or postgres://… ; default: SQLite under the data directory.
    #[arg(long, env = "POLKU_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// A read replica (postgres://…) for the ESF+ report's reads; default: the primary.
    #[arg(long, env = "POLKU_DATABASE_READ_URL", global = true)]
    database_read_url: Option<String>,
    /// Where the SQLite database and the key file live [default: polku-data].
    #[arg(long, env = "POLKU_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// Field-encryption key file; default: DATA_DIR/keys.json.
    #[arg(long, env = "POLKU_KEYS_FILE", global = true)]
    keys_file: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "POLKU_BIND", global = true)]
    bind: Option<String>,
    /// Set when served over HTTPS (behind a TLS-terminating proxy): secure cookies and HSTS.
    /// Takes 1/0, true/false, yes/no or on/off.
    #[arg(
        long,
        env = "POLKU_SECURE_COOKIES",
        global = true,
        value_parser = clap::builder::BoolishValueParser::new(),
        action = clap::ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_value = "false",
        default_missing_value = "true"
    )]
    secure_cookies: bool,
    /// Mail server for invitations: smtp://host:port (add ?tls=required for STARTTLS) or
    /// smtps://host:port; without it messages wait for `polku outbox`.
    #[arg(long, env = "POLKU_SMTP_URL", global = true)]
    smtp_url: Option<String>,
    /// Sender of the mail [default: Polku <polku@localhost>].
    #[arg(long, env = "POLKU_MAIL_FROM", global = true)]
    mail_from: Option<String>,
    /// The address users reach Polku at, for links in messages; default: http://BIND.
    #[arg(long, env = "POLKU_PUBLIC_URL", global = true)]
    public_url: Option<String>,
}

impl Settings {
    fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(|| "polku-data".into())
    }

    fn anchors_file(&self) -> PathBuf {
        self.data_dir().join("audit-anchors.txt")
    }

    fn bind(&self) -> &str {
        self.bind.as_deref().unwrap_or("127.0.0.1:8080")
    }

    fn web_config(&self) -> Config {
        Config {
            secure_cookies: self.secure_cookies,
            public_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.bind())),
            ..Config::default()
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and API (the default).
    Serve,
    /// Invite a platform operator (keeps the register of organisations and invites their first
    /// users; sees no personal data). Prints the one-time link to set the password.
    InviteOperator {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The operator's own organisation; default: the first one.
        #[arg(long)]
        org_id: Option<i64>,
    },
    /// A consistent copy of the database while Polku runs (SQLite: VACUUM INTO; PostgreSQL:
    /// pg_dump). Back up the key file apart from it.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into an empty database (a new SQLite file or PostgreSQL database).
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Import participants or employers from a spreadsheet.
    Import {
        #[command(subcommand)]
        import: ImportCommand,
    },
    /// National reference data that Polku does not ship (crates/domain/reference/SOURCES.md).
    Reference {
        #[command(subcommand)]
        reference: ReferenceCommand,
    },
    /// Personal data past its project's retention period.
    Retention {
        #[command(subcommand)]
        retention: RetentionCommand,
    },
    /// Field-encryption keys.
    Keys {
        #[command(subcommand)]
        keys: KeysCommand,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        audit: AuditCommand,
    },
    /// Print the messages waiting in the outbox (invitations) and mark them sent, for delivery
    /// by hand while no mail server is configured.
    Outbox,
    /// Load the five seed projects (AURA, TEHDAS, Töitä!, VOIMA, KoPa) with synthetic participants.
    Demo,
    /// Run database migrations and exit.
    Migrate,
    /// Seeded synthetic data at scale: participants with ~20 events each.
    Generate {
        #[arg(long, default_value_t = 10_000)]
        participants: usize,
        /// Employers (with contact persons, interactions and openings) over the participants
        /// in the database, after generating those.
        #[arg(long, default_value_t = 0)]
        employers: usize,
        /// Placements of participants at those employers.
        #[arg(long, default_value_t = 0)]
        placements: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Benchmarks as ratios against a baseline measured in the same run.
    Bench {
        /// Which benchmarks: esf, search, pages (needs wrk) or all.
        #[arg(long, value_enum, default_value = "all")]
        suite: polku::bench::Suite,
        /// Project codes for the ESF+ report; default: every project.
        #[arg(long)]
        project: Vec<String>,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Seconds of load per page.
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        #[arg(long, default_value_t = 16)]
        connections: u32,
        /// Rows for --suite import.
        #[arg(long, default_value_t = 10_000)]
        rows: usize,
    },
    /// Reports to the funder.
    Report {
        #[command(subcommand)]
        report: ReportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Participants from a CSV (any delimiter; UTF-8 or Windows-1252) or XLSX file whose first
    /// row holds the headings. Every row is checked first; a file with errors imports nothing
    /// unless --skip-bad-rows, and the good rows go in one transaction.
    Participants {
        file: PathBuf,
        /// The project's code, e.g. S21358.
        #[arg(long)]
        project: String,
        /// The staff member (e-mail) the import is done as; audited as theirs.
        #[arg(long = "as")]
        as_user: String,
        /// field=Heading pairs, comma-separated (fields: first_name, last_name, hetu, …);
        /// default: the organisation's last mapping, else guessed from the headings.
        #[arg(long)]
        mapping: Option<String>,
        /// Consent to processing is on file for everyone in the file.
        #[arg(long)]
        consent_on_file: bool,
        /// Import the good rows and leave out the ones with errors.
        #[arg(long)]
        skip_bad_rows: bool,
    },
    /// Employers into the register of the importing user's organisation, from a CSV or XLSX
    /// file (Y-tunnus, name, industry, size, municipality, address, one contact person per
    /// row). A Y-tunnus or name already in the register is an error, as is any invalid cell.
    Employers {
        file: PathBuf,
        /// The staff member (e-mail) the import is done as; audited as theirs.
        #[arg(long = "as")]
        as_user: String,
        /// field=Heading pairs, comma-separated (fields: business_id, name, industry, …).
        #[arg(long)]
        mapping: Option<String>,
        /// Import the good rows and leave out the ones with errors.
        #[arg(long)]
        skip_bad_rows: bool,
    },
}

#[derive(Subcommand)]
enum ReferenceCommand {
    /// Load a CSV or TSV (UTF-8; tab, semicolon or comma) of municipality code or name and
    /// value, replacing what was loaded before of that kind; a file with any bad line loads nothing.
    Import {
        #[arg(long, value_enum)]
        kind: polku::reference::KindArg,
        /// Where the values come from, kept beside them (e.g. "Eurostat DEGURBA 2021, LAU 2024").
        #[arg(long)]
        source: String,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// List the persons whose data the job would erase today.
    Preview,
    /// Erase them now (serve does this daily).
    Run,
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Add a new key, make it current and re-encrypt every stored value under it, while Polku
    /// serves. Distribute the new key file to every node, then restart them one by one.
    Rotate,
    /// Remove an old key once no stored value uses it and every node has the new file.
    Retire { kid: String },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole hash chain and the anchored hashes; exits 1 when anything was changed.
    Verify {
        /// Anchors file; default: DATA_DIR/audit-anchors.txt.
        #[arg(long)]
        anchors: Option<PathBuf>,
    },
    /// Append the chain's head to the anchors file (serve does this every hour too).
    Anchor {
        #[arg(long)]
        anchors: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// ESF+ indicators and project monitoring.
    Esf {
        /// Project code, e.g. S21358.
        #[arg(long)]
        project: String,
        /// json, csv, xlsx or pdf.
        #[arg(long, default_value = "json")]
        format: String,
        /// fi, sv or en.
        #[arg(long, default_value = "fi")]
        lang: String,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Suppress cells under five, as shown to anyone outside the project.
        #[arg(long)]
        public: bool,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=error".into()),
        )
        .init();
    let cli = Cli::parse();
    let settings = &cli.settings;
    std::fs::create_dir_all(settings.data_dir())?;
    let url = settings
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite:{}", settings.data_dir().join("polku.db").display()));
    // Restoring goes into an empty database, before anything connects to it and migrates it.
    if let Some(Command::Restore { from }) = &cli.command {
        polku::backup::restore(&url, from).await?;
        println!("restored {} into {url}", from.display());
        return Ok(());
    }
    let mut db = Db::connect(&url).await?;
    if let Some(read) = &settings.database_read_url {
        db = db.with_read_replica(read).await?;
    }
    let keys = settings
        .keys_file
        .clone()
        .unwrap_or_else(|| settings.data_dir().join("keys.json"));
    let cipher = polku::load_or_create_keys(&keys)?;
    // Answers a migration left in plaintext are encrypted before anything reads them.
    let sealed = polku_store::encrypted::encrypt_pending(&db, &cipher).await?;
    if sealed > 0 {
        tracing::info!(
            sealed,
            "encrypted special-category answers left by migration"
        );
    }
    let config = settings.web_config();
    match cli.command.unwrap_or(Command::Serve) {
        Command::InviteOperator {
            email,
            name,
            org_id,
        } => {
            let state = polku::state(db, cipher, Arc::new(SystemClock), config);
            let link = polku::invite_operator(&state, &email, &name, org_id).await?;
            println!(
                "Operator invited. One-time link to set the password (valid {} h):\n\n    {link}\n",
                polku_web::invite::LINK_HOURS
            );
        }
        Command::Audit {
            audit: AuditCommand::Verify { anchors },
        } => {
            let path = anchors.unwrap_or_else(|| settings.anchors_file());
            let anchors = polku::read_anchors(&path)?;
            let v = polku_store::audit::verify(&db, &anchors).await?;
            for p in &v.problems {
                println!("PROBLEM: {p}");
            }
            println!(
                "{} entries checked, {} anchors, {} problems",
                v.entries,
                anchors.len(),
                v.problems.len()
            );
            if !v.problems.is_empty() {
                std::process::exit(1);
            }
        }
        Command::Audit {
            audit: AuditCommand::Anchor { anchors },
        } => {
            let path = anchors.unwrap_or_else(|| settings.anchors_file());
            polku::anchor_audit(&db, &path, &SystemClock).await?;
        }
        Command::Import {
            import:
                ImportCommand::Participants {
                    file,
                    project,
                    as_user,
                    mapping,
                    consent_on_file,
                    skip_bad_rows,
                },
        } => {
            let state = polku::state(db, cipher, Arc::new(SystemClock), config);
            let options = polku::import::Options {
                file: &file,
                project: Some(&project),
                as_user: &as_user,
                mapping: mapping.as_deref(),
                consent_on_file,
                skip_bad_rows,
            };
            let n = polku::import::rows(&state, &options).await?;
            println!("{n} participants imported into {project}");
        }
        Command::Import {
            import:
                ImportCommand::Employers {
                    file,
                    as_user,
                    mapping,
                    skip_bad_rows,
                },
        } => {
            let state = polku::state(db, cipher, Arc::new(SystemClock), config);
            let options = polku::import::Options {
                file: &file,
                project: None,
                as_user: &as_user,
                mapping: mapping.as_deref(),
                consent_on_file: false,
                skip_bad_rows,
            };
            let n = polku::import::rows(&state, &options).await?;
            println!("{n} employers imported");
        }
        Command::Reference {
            reference: ReferenceCommand::Import { kind, source, file },
        } => {
            let n =
                polku::reference::import(&db, kind.into(), &file, &source, &SystemClock).await?;
            println!("{n} municipalities now have a value of {kind:?}");
        }
        Command::Retention {
            retention: RetentionCommand::Preview,
        } => {
            for due in polku::retention::preview(&db, SystemClock.today()).await? {
                println!(
                    "{} (retention ended {}):",
                    due.code,
                    polku_domain::dates::format_fi(due.erase_from)
                );
                for person in &due.persons {
                    let names: Vec<&str> = person.iter().map(|(_, n)| n.as_str()).collect();
                    println!("  {}", names.join(" / "));
                }
            }
        }
        Command::Retention {
            retention: RetentionCommand::Run,
        } => {
            let n = polku::retention::run(&db, &SystemClock).await?;
            println!("{n} participations erased; their anonymous ESF+ records remain");
        }
        Command::Keys {
            keys: KeysCommand::Rotate,
        } => {
            let (id, n) = polku::keys::rotate(&db, &keys).await?;
            println!(
                "new current key {id}; {n} stored values re-encrypted. Copy {} to every node.",
                keys.display()
            );
        }
        Command::Keys {
            keys: KeysCommand::Retire { kid },
        } => {
            polku::keys::retire(&db, &keys, &kid).await?;
            println!("key {kid} removed from {}", keys.display());
        }
        Command::Backup { out } => {
            polku::backup::backup(&db, &url, &out).await?;
            println!(
                "backup written to {} (the key file is not in it)",
                out.display()
            );
        }
        Command::Restore { .. } => {}
        Command::Outbox => {
            for m in polku::take_outbox(&db, &SystemClock).await? {
                println!(
                    "To: {}\nSubject: {}\n\n{}\n\n----",
                    m.recipient, m.subject, m.body
                );
            }
        }
        Command::Migrate => {
            println!("migrations applied");
        }
        Command::Report {
            report:
                ReportCommand::Esf {
                    project,
                    format,
                    lang,
                    out,
                    public,
                },
        } => {
            let bytes = polku::esf_report(
                &db,
                &cipher,
                &project,
                &format,
                &lang,
                !public,
                &SystemClock,
            )
            .await?;
            match out {
                Some(path) => {
                    std::fs::write(&path, bytes)?;
                    eprintln!("wrote {}", path.display());
                }
                None => {
                    use std::io::Write;
                    std::io::stdout().write_all(&bytes)?;
                }
            }
        }
        Command::Bench {
            suite,
            project,
            runs,
            seconds,
            connections,
            rows,
        } => {
            let state = polku::state(db, cipher, Arc::new(SystemClock), config);
            let options = polku::bench::Options {
                suite,
                projects: project,
                runs,
                seconds,
                connections,
                rows,
            };
            polku::bench::run(state, &options).await?;
        }
        Command::Generate {
            participants,
            employers,
            placements,
            seed,
        } => {
            let started = std::time::Instant::now();
            if participants > 0 {
                let s =
                    polku::generate::generate(&db, &cipher, participants, seed, &SystemClock, true)
                        .await?;
                println!(
                    "generated {} participants and {} events in {:.1} s",
                    s.participants,
                    s.events,
                    started.elapsed().as_secs_f64()
                );
            }
            if employers > 0 {
                let started = std::time::Instant::now();
                let ts = polku_store::ts(SystemClock.now());
                let s = polku::generate::employers::generate(
                    &db, employers, placements, seed, &ts, true,
                )
                .await?;
                println!(
                    "generated {} employers and {} placements in {:.1} s",
                    s.employers,
                    s.placements,
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Command::Demo => {
            let summary = polku::demo::load(&db, &Arc::new(cipher), &SystemClock).await?;
            println!("{summary}");
        }
        Command::Serve => {
            let listener = tokio::net::TcpListener::bind(settings.bind()).await?;
            let addr = listener.local_addr()?;
            if let Some(token) = polku::setup_token_if_needed(&db).await? {
                println!("\nPolku has no users yet. Create the first administrator here (one-time link):\n\n    http://{addr}/setup/{token}\n");
            }
            println!("Polku is serving on http://{addr}  (Ctrl-C stops)");
            // Hourly: the audit chain's head anchored outside the database, and the retention
            // job (idempotent, so every node may run it).
            let (job_db, anchors) = (db.clone(), settings.anchors_file());
            tokio::spawn(async move {
                let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
                loop {
                    every.tick().await;
                    if let Err(e) = polku::anchor_audit(&job_db, &anchors, &SystemClock).await {
                        tracing::error!(error = %e, "could not anchor the audit log");
                    }
                    match polku::retention::run(&job_db, &SystemClock).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(erased = n, "retention: personal data erased"),
                        Err(e) => tracing::error!(error = %e, "retention job failed"),
                    }
                }
            });
            match &settings.smtp_url {
                Some(url) => {
                    let mailer = polku::mail::Mailer::new(
                        url,
                        settings.mail_from.as_deref().unwrap_or("Polku <polku@localhost>"),
                    )?;
                    let mail_db = db.clone();
                    tokio::spawn(async move {
                        let mut every = tokio::time::interval(std::time::Duration::from_secs(20));
                        loop {
                            every.tick().await;
                            if let Err(e) =
                                polku::mail::deliver_pending(&mail_db, &mailer, &SystemClock).await
                            {
                                tracing::error!(error = %e, "mail delivery failed");
                            }
                        }
                    });
                }
                None => tracing::warn!(
                    "no mail server (POLKU_SMTP_URL): invitations wait in the outbox; `polku outbox` prints them"
                ),
            }
            let state = polku::state(db, cipher, Arc::new(SystemClock), config);
            polku::serve(listener, state, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_from_the_environment_with_or_without_a_subcommand() {
        // The only test that sets these variables, so parallel tests do not race on them.
        std::env::set_var("POLKU_SECURE_COOKIES", "1");
        std::env::set_var("POLKU_BIND", "0.0.0.0:9090");
        for args in [vec!["polku"], vec!["polku", "serve"]] {
            let cli = Cli::try_parse_from(&args).unwrap();
            assert!(cli.settings.secure_cookies, "{args:?}");
            assert_eq!(cli.settings.bind(), "0.0.0.0:9090");
            assert_eq!(cli.settings.web_config().public_url, "http://0.0.0.0:9090");
        }
        for (value, expected) in [("true", true), ("on", true), ("0", false), ("no", false)] {
            std::env::set_var("POLKU_SECURE_COOKIES", value);
            assert_eq!(
                Cli::try_parse_from(["polku"])
                    .unwrap()
                    .settings
                    .secure_cookies,
                expected,
                "{value}"
            );
        }
        std::env::remove_var("POLKU_SECURE_COOKIES");
        let cli = Cli::try_parse_from(["polku", "--secure-cookies", "serve"]).unwrap();
        assert!(cli.settings.secure_cookies);
        std::env::remove_var("POLKU_BIND");
    }
}
