//! The Polku binary's library part: start-up, keys, first-admin setup and the demo data,
//! shared by `main.rs` and the integration tests.

pub mod backup;
pub mod bench;
pub mod demo;
pub mod generate;
pub mod import;
pub mod keys;
pub mod mail;
pub mod oidc;
pub mod reference;
pub mod retention;
pub mod webhooks;

use polku_domain::clock::Clock;
use polku_store::crypto::{FieldCipher, KeyFile};
use polku_store::{settings, users, Db};
use polku_web::{AppState, Config};
use rand::RngCore;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

/// Reads the field-encryption keys, creating them (mode 0600) on first start.
pub fn load_or_create_keys(path: &Path) -> anyhow::Result<FieldCipher> {
    if !path.exists() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_string_pretty(&KeyFile::generate())?;
        write_private(path, &json)?;
        tracing::info!(path = %path.display(), "created field-encryption key file; back it up: without it henkilötunnus values cannot be read");
    }
    let kf: KeyFile = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    Ok(FieldCipher::from_keyfile(&kf)?)
}

#[cfg(unix)]
pub(crate) fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(content.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    std::fs::write(path, content)?;
    Ok(())
}

/// While no user exists, a one-time setup token is stored (hashed) and returned for printing.
pub async fn setup_token_if_needed(db: &Db) -> anyhow::Result<Option<String>> {
    let mut tx = db.begin().await?;
    if users::count(&mut tx).await? > 0 {
        return Ok(None);
    }
    let mut raw = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = hex::encode(raw);
    settings::set(
        &mut tx,
        polku_web::auth::SETUP_TOKEN_KEY,
        &polku_store::tokens::hash(&token),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(token))
}

/// `polku invite-operator`: the command line's user runs the platform, so the link is theirs.
pub async fn invite_operator(
    st: &AppState,
    email: &str,
    name: &str,
    org: Option<i64>,
) -> anyhow::Result<String> {
    use polku_web::invite::{invite_user, Invitation};
    let org = match org {
        Some(id) => polku_domain::ids::OrgId(id),
        None => polku_store::orgs::list(&mut *st.db.acquire().await?)
            .await?
            .iter()
            .map(|o| o.id)
            .min()
            .ok_or_else(|| anyhow::anyhow!("no organisation yet: open the setup link first"))?,
    };
    let inv = Invitation {
        org,
        name: polku_domain::text::name(name, 200)
            .map_err(|c| anyhow::anyhow!("name: {}", c.code()))?,
        email: polku_domain::validated::Email::parse(email)
            .map_err(|c| anyhow::anyhow!("email: {}", c.code()))?,
        role: polku_domain::authz::Role::Operator,
        locale: polku_web::i18n::Lang::Fi.code(),
    };
    let (_, link) = invite_user(st, None, &inv)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(link)
}

/// `polku outbox`: the waiting messages, marked sent in the same transaction.
pub async fn take_outbox(
    db: &Db,
    clock: &dyn Clock,
) -> anyhow::Result<Vec<polku_store::outbox::Message>> {
    let mut tx = db.begin().await?;
    let pending = polku_store::outbox::pending(&mut tx, None).await?;
    for m in &pending {
        polku_store::outbox::mark_sent(&mut tx, m.id, clock.now()).await?;
    }
    tx.commit().await?;
    Ok(pending)
}

/// Reads an anchors file: one `<time> <entry id> <hash>` line per anchoring.
pub fn read_anchors(path: &Path) -> anyhow::Result<Vec<(i64, String)>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(e.into()),
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split_whitespace().skip(1);
            let id = f.next().and_then(|v| v.parse().ok());
            let hash = f.next().map(str::to_string);
            id.zip(hash)
                .ok_or_else(|| anyhow::anyhow!("{}: not an anchor line: {l}", path.display()))
        })
        .collect()
}

/// Writes the audit chain's head to `path` (appending) and to the log: a copy outside the
/// database that a rebuilt chain cannot match.
pub async fn anchor_audit(db: &Db, path: &Path, clock: &dyn Clock) -> anyhow::Result<()> {
    use std::io::Write;
    let mut conn = db.acquire().await?;
    // Nothing to anchor while the log is empty.
    let Some((id, hash)) = polku_store::audit::head(&mut conn)
        .await?
        .filter(|(id, _)| *id > 0)
    else {
        return Ok(());
    };
    tracing::info!(entry = id, %hash, "audit log head");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(f, "{} {id} {hash}", polku_store::ts(clock.now()))?;
    Ok(())
}

pub fn state(db: Db, cipher: FieldCipher, clock: Arc<dyn Clock>, config: Config) -> AppState {
    AppState::new(db, Arc::new(cipher), clock, config)
}

/// Serves until the future `shutdown` completes. Connect info is needed by the login rate limiter.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let worker = tokio::spawn(webhooks::run(state.core.clone()));
    let app = polku_web::router(state);
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    worker.abort();
    served?;
    Ok(())
}

/// `polku report esf`: the same figures as the page and the API, in a file format.
pub async fn esf_report(
    db: &Db,
    cipher: &FieldCipher,
    code: &str,
    format: &str,
    lang: &str,
    own_staff: bool,
    clock: &dyn Clock,
) -> anyhow::Result<Vec<u8>> {
    use polku_web::pages::esf::{load, render_output, Output};
    let out = Output::parse(format)
        .ok_or_else(|| anyhow::anyhow!("unknown format {format:?}: use json, csv, xlsx or pdf"))?;
    let lang = polku_web::i18n::Lang::parse(lang)
        .ok_or_else(|| anyhow::anyhow!("unknown language {lang:?}: use fi, sv or en"))?;
    let mut conn = db.acquire_read().await?;
    let project = polku_store::projects::by_code(&mut conn, code)
        .await
        .map_err(|_| anyhow::anyhow!("no project with code {code}"))?;
    let report = load(&mut conn, cipher, &project, own_staff)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    render_output(&report, out, lang, clock.today()).map_err(|e| anyhow::anyhow!("{e:?}"))
}
