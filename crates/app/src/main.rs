mod cli;

use clap::Parser;
use cli::*;
use polku_domain::clock::{Clock, SystemClock};
use polku_store::Db;
use std::sync::Arc;

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
                    "To: {} ({})\nSubject: {}\n\n{}\n\n----",
                    m.recipient, m.channel, m.subject, m.body
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
            // Mail, text messages or strong identification set up wrong stop the start, before
            // anything is served.
            let strong = settings.strong()?;
            let mailer = match &settings.smtp_url {
                Some(url) => Some(polku::mail::Mailer::new(
                    url,
                    settings
                        .mail_from
                        .as_deref()
                        .unwrap_or("Polku <polku@localhost>"),
                )?),
                None => {
                    tracing::warn!("no mail server (POLKU_SMTP_URL): invitations wait in the outbox; `polku outbox` prints them");
                    None
                }
            };
            let sms = match &settings.sms_url {
                Some(url) => Some(polku::mail::SmsGateway::new(
                    url,
                    settings.sms_token.clone(),
                )?),
                None => None,
            };
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
            let mut state = polku::state(db.clone(), cipher, Arc::new(SystemClock), config);
            if let Some(provider) = strong {
                tracing::info!("job seekers may sign in with strong identification");
                state = state.with_strong(Arc::new(provider));
            }
            if mailer.is_some() || sms.is_some() {
                let mail_db = db.clone();
                let wake = state.mail_waiting.clone();
                tokio::spawn(async move {
                    let mut every = tokio::time::interval(std::time::Duration::from_secs(20));
                    loop {
                        tokio::select! {
                            _ = every.tick() => {}
                            _ = wake.notified() => {}
                        }
                        if let Some(m) = &mailer {
                            if let Err(e) =
                                polku::mail::deliver_pending(&mail_db, m, &SystemClock).await
                            {
                                tracing::error!(error = %e, "mail delivery failed");
                            }
                        }
                        if let Some(g) = &sms {
                            if let Err(e) =
                                polku::mail::deliver_sms(&mail_db, g, &SystemClock).await
                            {
                                tracing::error!(error = %e, "text message delivery failed");
                            }
                        }
                    }
                });
            }
            polku::serve(listener, state, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        }
    }
    Ok(())
}
