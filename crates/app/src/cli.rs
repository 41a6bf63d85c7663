//! The command line: `polku` and its subcommands, every setting from a flag or the
//! environment. `main.rs` carries the commands out.

use clap::{Parser, Subcommand};
use polku_web::Config;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "polku",
    version,
    about = "Polku – employment services for job seekers"
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) settings: Settings,
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// Every setting, from the command line or the environment, for every entry point alike
/// (`polku` with no subcommand serves with the same settings as `polku serve`).
#[derive(clap::Args, Debug)]
pub(crate) struct Settings {
    /// sqlite:PATH or postgres://… ; default: SQLite under the data directory.
    #[arg(long, env = "POLKU_DATABASE_URL", global = true)]
    pub(crate) database_url: Option<String>,
    /// A read replica (postgres://…) for the ESF+ report's reads; default: the primary.
    #[arg(long, env = "POLKU_DATABASE_READ_URL", global = true)]
    pub(crate) database_read_url: Option<String>,
    /// Where the SQLite database and the key file live [default: polku-data].
    #[arg(long, env = "POLKU_DATA_DIR", global = true)]
    pub(crate) data_dir: Option<PathBuf>,
    /// Field-encryption key file; default: DATA_DIR/keys.json.
    #[arg(long, env = "POLKU_KEYS_FILE", global = true)]
    pub(crate) keys_file: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "POLKU_BIND", global = true)]
    pub(crate) bind: Option<String>,
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
    pub(crate) secure_cookies: bool,
    /// Mail server for invitations: smtp://host:port (add ?tls=required for STARTTLS) or
    /// smtps://host:port; without it messages wait for `polku outbox`.
    #[arg(long, env = "POLKU_SMTP_URL", global = true)]
    pub(crate) smtp_url: Option<String>,
    /// Sender of the mail [default: Polku <polku@localhost>].
    #[arg(long, env = "POLKU_MAIL_FROM", global = true)]
    pub(crate) mail_from: Option<String>,
    /// A text-message gateway (https://…) for job seekers' sign-in codes: a JSON POST of
    /// {"to", "text"}; without it codes go by e-mail only.
    #[arg(long, env = "POLKU_SMS_URL", global = true)]
    pub(crate) sms_url: Option<String>,
    /// Bearer token for the gateway, if it asks for one.
    #[arg(long, env = "POLKU_SMS_TOKEN", global = true, hide_env_values = true)]
    pub(crate) sms_token: Option<String>,
    /// The address users reach Polku at, for links in messages; default: http://BIND.
    #[arg(long, env = "POLKU_PUBLIC_URL", global = true)]
    pub(crate) public_url: Option<String>,
    /// Strong identification for job seekers (Suomi.fi e-Identification or another Finnish
    /// Trust Network provider): the OpenID Connect provider's issuer. With it, the client id
    /// and both keys are needed too; without it only the code sign-in is offered.
    #[arg(long, env = "POLKU_OIDC_ISSUER", global = true)]
    pub(crate) oidc_issuer: Option<String>,
    /// The client id the provider registered Polku under.
    #[arg(long, env = "POLKU_OIDC_CLIENT_ID", global = true)]
    pub(crate) oidc_client_id: Option<String>,
    /// PEM file of the RSA key (2048 bits or more) that signs requests to the provider.
    #[arg(long, env = "POLKU_OIDC_SIGNING_KEY", global = true)]
    pub(crate) oidc_signing_key: Option<PathBuf>,
    /// PEM file of the RSA key the provider encrypts ID tokens to.
    #[arg(long, env = "POLKU_OIDC_DECRYPTION_KEY", global = true)]
    pub(crate) oidc_decryption_key: Option<PathBuf>,
    /// The ID token's claim that holds the henkilötunnus.
    #[arg(
        long,
        env = "POLKU_OIDC_HETU_CLAIM",
        global = true,
        default_value = "urn:oid:1.2.246.21"
    )]
    pub(crate) oidc_hetu_claim: String,
    /// The scopes asked for.
    #[arg(
        long,
        env = "POLKU_OIDC_SCOPE",
        global = true,
        default_value = "openid"
    )]
    pub(crate) oidc_scope: String,
    /// The level of assurance asked for (acr_values), if the provider wants one named.
    #[arg(long, env = "POLKU_OIDC_ACR", global = true)]
    pub(crate) oidc_acr: Option<String>,
}

impl Settings {
    pub(crate) fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(|| "polku-data".into())
    }

    pub(crate) fn anchors_file(&self) -> PathBuf {
        self.data_dir().join("audit-anchors.txt")
    }

    pub(crate) fn bind(&self) -> &str {
        self.bind.as_deref().unwrap_or("127.0.0.1:8080")
    }

    /// The strong identification provider, where one is configured.
    pub(crate) fn strong(&self) -> anyhow::Result<Option<polku::oidc::Provider>> {
        let Some(issuer) = &self.oidc_issuer else {
            return Ok(None);
        };
        let key = |v: Option<&PathBuf>, name: &str| -> anyhow::Result<polku::oidc::jose::Key> {
            let path =
                v.ok_or_else(|| anyhow::anyhow!("POLKU_OIDC_ISSUER is set: {name} is needed too"))?;
            let pem = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("{name} {}: {e}", path.display()))?;
            polku::oidc::jose::Key::from_pem(&pem)
                .map_err(|e| anyhow::anyhow!("{name} {}: {e}", path.display()))
        };
        let client_id = self.oidc_client_id.clone().ok_or_else(|| {
            anyhow::anyhow!("POLKU_OIDC_ISSUER is set: POLKU_OIDC_CLIENT_ID is needed too")
        })?;
        let settings = polku::oidc::Settings {
            issuer: issuer.clone(),
            client_id,
            redirect_url: format!(
                "{}/my/sign-in/strong/done",
                self.web_config().public_url.trim_end_matches('/')
            ),
            signing_key: key(self.oidc_signing_key.as_ref(), "POLKU_OIDC_SIGNING_KEY")?,
            decryption_key: key(
                self.oidc_decryption_key.as_ref(),
                "POLKU_OIDC_DECRYPTION_KEY",
            )?,
            claim: self.oidc_hetu_claim.clone(),
            scope: self.oidc_scope.clone(),
            acr: self.oidc_acr.clone(),
        };
        Ok(Some(polku::oidc::Provider::new(settings)?))
    }

    pub(crate) fn web_config(&self) -> Config {
        Config {
            secure_cookies: self.secure_cookies,
            public_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.bind())),
            sms: self.sms_url.is_some(),
            ..Config::default()
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
pub(crate) enum ImportCommand {
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
pub(crate) enum ReferenceCommand {
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
pub(crate) enum RetentionCommand {
    /// List the persons whose data the job would erase today.
    Preview,
    /// Erase them now (serve does this daily).
    Run,
}

#[derive(Subcommand)]
pub(crate) enum KeysCommand {
    /// Add a new key, make it current and re-encrypt every stored value under it, while Polku
    /// serves. Distribute the new key file to every node, then restart them one by one.
    Rotate,
    /// Remove an old key once no stored value uses it and every node has the new file.
    Retire { kid: String },
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
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
pub(crate) enum ReportCommand {
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
