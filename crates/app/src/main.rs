use clap::{Parser, Subcommand};
use polku_domain::clock::SystemClock;
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
    /// sqlite:PATH or postgres://… ; default: SQLite under the data directory.
    #[arg(long, env = "POLKU_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// A read replica (postgres://…) for the ESF+ report's reads; default: the primary.
    #[arg(long, env = "POLKU_DATABASE_READ_URL", global = true)]
    database_read_url: Option<String>,
    /// Where the SQLite database and the key file live.
    #[arg(
        long,
        env = "POLKU_DATA_DIR",
        default_value = "polku-data",
        global = true
    )]
    data_dir: PathBuf,
    /// Field-encryption key file; default: DATA_DIR/keys.json.
    #[arg(long, env = "POLKU_KEYS_FILE", global = true)]
    keys_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and API (the default).
    Serve {
        #[arg(long, env = "POLKU_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Set when served over HTTPS (behind a TLS-terminating proxy).
        #[arg(long, env = "POLKU_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Load the five seed projects (AURA, TEHDAS, Töitä!, VOIMA, KoPa) with synthetic participants.
    Demo,
    /// Run database migrations and exit.
    Migrate,
    /// Seeded synthetic data at scale: participants with ~20 events each.
    Generate {
        #[arg(long, default_value_t = 10_000)]
        participants: usize,
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
    },
    /// Reports to the funder.
    Report {
        #[command(subcommand)]
        report: ReportCommand,
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
    std::fs::create_dir_all(&cli.data_dir)?;
    let url = cli
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite:{}", cli.data_dir.join("polku.db").display()));
    let mut db = Db::connect(&url).await?;
    if let Some(read) = &cli.database_read_url {
        db = db.with_read_replica(read).await?;
    }
    let keys = cli
        .keys_file
        .clone()
        .unwrap_or_else(|| cli.data_dir.join("keys.json"));
    let cipher = polku::load_or_create_keys(&keys)?;
    match cli.command.unwrap_or(Command::Serve {
        bind: "127.0.0.1:8080".into(),
        secure_cookies: false,
    }) {
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
            let bytes =
                polku::esf_report(&db, &project, &format, &lang, !public, &SystemClock).await?;
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
        } => {
            let state = polku::state(db, cipher, Arc::new(SystemClock), Config::default());
            let options = polku::bench::Options {
                suite,
                projects: project,
                runs,
                seconds,
                connections,
            };
            polku::bench::run(state, &options).await?;
        }
        Command::Generate { participants, seed } => {
            let started = std::time::Instant::now();
            let s = polku::generate::generate(&db, &cipher, participants, seed, &SystemClock, true)
                .await?;
            println!(
                "generated {} participants and {} events in {:.1} s",
                s.participants,
                s.events,
                started.elapsed().as_secs_f64()
            );
        }
        Command::Demo => {
            let summary = polku::demo::load(&db, &cipher, &SystemClock).await?;
            println!("{summary}");
        }
        Command::Serve {
            bind,
            secure_cookies,
        } => {
            let listener = tokio::net::TcpListener::bind(&bind).await?;
            let addr = listener.local_addr()?;
            if let Some(token) = polku::setup_token_if_needed(&db).await? {
                println!("\nPolku has no users yet. Create the first administrator here (one-time link):\n\n    http://{addr}/setup/{token}\n");
            }
            println!("Polku is serving on http://{addr}  (Ctrl-C stops)");
            let config = Config {
                secure_cookies,
                ..Config::default()
            };
            let state = polku::state(db, cipher, Arc::new(SystemClock), config);
            polku::serve(listener, state, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        }
    }
    Ok(())
}
