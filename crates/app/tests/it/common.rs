//! A real Polku on port 0 with a fresh database per test, and a cookie-keeping client.

use chrono::{TimeZone, Utc};
use polku_domain::clock::FixedClock;
use polku_store::crypto::{FieldCipher, KeyFile};
use polku_store::Db;
use std::net::SocketAddr;
use std::sync::Arc;

pub use crate::fixtures::{borrow, hetu, intake, intake_json};

#[derive(Debug, Clone, Copy)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs the body once per engine: `db_test!(name, |app| async move { ... });`
macro_rules! db_test {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let owned = crate::common::TestApp::spawn(crate::common::Engine::Sqlite).await;
                {
                    let $app = &owned;
                    $body.await;
                }
                owned.cleanup().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let owned = crate::common::TestApp::spawn(crate::common::Engine::Postgres).await;
                {
                    let $app = &owned;
                    $body.await;
                }
                owned.cleanup().await;
            }
        }
    };
}

/// A request sent and read to the end, for the tests' many one-line fetches.
pub trait Fetch {
    async fn sent(self) -> reqwest::Response;
    async fn text_body(self) -> String;
    async fn json_body<T: serde::de::DeserializeOwned>(self) -> T;
}

impl Fetch for reqwest::RequestBuilder {
    async fn sent(self) -> reqwest::Response {
        self.send().await.unwrap()
    }
    async fn text_body(self) -> String {
        self.send().await.unwrap().text().await.unwrap()
    }
    async fn json_body<T: serde::de::DeserializeOwned>(self) -> T {
        self.send().await.unwrap().json().await.unwrap()
    }
}

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub addr: SocketAddr,
    /// The database URL, so a second node can serve the same data.
    pub db_url: String,
    pub db: Db,
    pub cipher: Arc<FieldCipher>,
    pub clock: FixedClock,
    pub client: reqwest::Client,
    pub keys: KeyFile,
    pg_db: Option<String>,
    sqlite_dir: Option<std::path::PathBuf>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// A new directory of the test's own under the system's temporary directory.
pub fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("polku-{tag}-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn unique() -> String {
    use rand::RngCore;
    let mut b = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

pub fn pg_admin_url() -> String {
    std::env::var("POLKU_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Creates an empty PostgreSQL database on the test server; returns its URL.
pub async fn create_pg_database(name: &str) -> String {
    let admin = pg_admin_url();
    let admin_db = Db::connect_raw(&admin).await.unwrap_or_else(|e| {
        panic!("PostgreSQL is not reachable at {admin} ({e}). Run ./scripts/test, which starts it, or set POLKU_TEST_PG.")
    });
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin_db)
        .await
        .unwrap();
    admin_db.close().await;
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    format!("{base}/{name}")
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        let (url, pg_db, sqlite_dir) = match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join(format!("polku-test-{}", unique()));
                std::fs::create_dir_all(&dir).unwrap();
                (
                    format!("sqlite:{}", dir.join("t.db").display()),
                    None,
                    Some(dir),
                )
            }
            Engine::Postgres => {
                let name = format!("polku_test_{}", unique());
                (create_pg_database(&name).await, Some(name), None)
            }
        };
        let db = Db::connect(&url).await.unwrap();
        let keys = KeyFile::generate();
        let cipher = FieldCipher::from_keyfile(&keys).unwrap();
        let clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
        let state = polku::state(
            db.clone(),
            cipher,
            Arc::new(clock.clone()),
            polku_web::Config::default(),
        );
        let cipher = state.cipher.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            polku::serve(listener, state, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        TestApp {
            addr,
            db_url: url,
            keys,
            db,
            cipher,
            clock,
            client: Self::new_client(),
            pg_db,
            sqlite_dir,
            shutdown: Some(tx),
        }
    }

    /// Another app node on its own port, over the same database and keys; stops with the runtime.
    pub async fn second_node(&self) -> String {
        self.node_with(polku_web::Config::default()).await
    }

    /// Another node with its own settings (and so its own login rate limiter).
    pub async fn node_with(&self, config: polku_web::Config) -> String {
        self.node_where(config, |state, _| state).await
    }

    /// Another node whose state `finish` completes, given the node's own address.
    pub async fn node_where(
        &self,
        config: polku_web::Config,
        finish: impl FnOnce(polku_web::AppState, &str) -> polku_web::AppState,
    ) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let db = Db::connect(&self.db_url).await.unwrap();
        let keys = KeyFile {
            current: self.keys.current.clone(),
            keys: self.keys.keys.clone(),
            index: self.keys.index.clone(),
        };
        let cipher = FieldCipher::from_keyfile(&keys).unwrap();
        let state = polku::state(db, cipher, Arc::new(self.clock.clone()), config);
        let state = finish(state, &url);
        tokio::spawn(async move {
            let _ = polku::serve(listener, state, std::future::pending()).await;
        });
        url
    }

    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn cleanup(mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        self.db.close().await;
        if let Some(name) = &self.pg_db {
            if let Ok(admin) = Db::connect_raw(&pg_admin_url()).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&admin)
                    .await;
                admin.close().await;
            }
        }
        if let Some(dir) = &self.sqlite_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    pub fn core(&self) -> polku_usecases::Polku {
        polku_usecases::Polku {
            db: self.db.clone(),
            cipher: self.cipher.clone(),
            clock: Arc::new(self.clock.clone()),
        }
    }

    /// POSTs JSON to the API as the token's user.
    pub async fn api_post(
        &self,
        token: &str,
        path: &str,
        body: serde_json::Value,
    ) -> reqwest::Response {
        reqwest::Client::new()
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// POSTs JSON to the API, expects 201 Created and returns the new record's id.
    pub async fn api_create(&self, token: &str, path: &str, body: serde_json::Value) -> i64 {
        let r = self.api_post(token, path, body).await;
        assert_eq!(r.status(), 201, "{path}");
        r.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    pub fn clock_now(&self) -> chrono::DateTime<Utc> {
        use polku_domain::clock::Clock;
        self.clock.now()
    }

    pub async fn login_as(&self, client: &reqwest::Client, email: &str) -> String {
        self.login_with(client, email, PASSWORD).await
    }

    pub async fn login_with(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> String {
        let r = login_at(&self.url(""), client, email, password).await;
        assert_eq!(r.status(), 303, "login of {email} failed");
        self.csrf_of(client, "/").await
    }

    pub async fn login(&self, email: &str) -> String {
        self.login_as(&self.client, email).await
    }

    /// Creates an API token on the tokens page, as a user would, and reads it off the page.
    pub async fn api_token(&self, client: &reqwest::Client, csrf: &str, name: &str) -> String {
        let html = client
            .post(self.url("/account/tokens"))
            .form(&[("csrf", csrf), ("name", name)])
            .text_body()
            .await;
        let re = regex::Regex::new(r#"id="new-token">(polku_[0-9a-f]+)<"#).unwrap();
        re.captures(&html)
            .map(|c| c[1].to_string())
            .expect("token shown once")
    }

    /// One value from the test's database.
    pub async fn scalar<T>(&self, sql: &str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
    {
        sqlx::query_scalar(sql)
            .fetch_one(self.db.pool())
            .await
            .unwrap()
    }

    /// One value from the test's database, for one bound parameter (`$1`).
    pub async fn scalar_for<'q, T, B>(&self, sql: &'q str, bind: B) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
        B: 'q + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send,
    {
        sqlx::query_scalar(sql)
            .bind(bind)
            .fetch_one(self.db.pool())
            .await
            .unwrap()
    }

    /// The ESF+ report of project `code` in `format`, as its own staff (`own`) or the funder sees it.
    pub async fn esf_bytes(&self, code: &str, format: &str, own: bool) -> Vec<u8> {
        polku::esf_report(&self.db, &self.cipher, code, format, "fi", own, &self.clock)
            .await
            .unwrap()
    }

    /// The ESF+ report of project `code` as JSON.
    pub async fn esf_json(&self, code: &str, own: bool) -> serde_json::Value {
        serde_json::from_slice(&self.esf_bytes(code, "json", own).await).unwrap()
    }

    /// The API's OpenAPI document.
    pub async fn openapi(&self) -> serde_json::Value {
        reqwest::Client::new()
            .get(self.url("/api/openapi.json"))
            .json_body()
            .await
    }

    pub async fn csrf_of(&self, client: &reqwest::Client, path: &str) -> String {
        let html = client.get(self.url(path)).text_body().await;
        csrf_in(&html)
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self.client.get(self.url(path)).sent().await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn post(
        &self,
        path: &str,
        csrf: &str,
        form: &[(&str, &str)],
    ) -> (u16, String, Option<String>) {
        let mut f: Vec<(&str, &str)> = vec![("csrf", csrf)];
        f.extend_from_slice(form);
        let r = self.client.post(self.url(path)).form(&f).sent().await;
        let loc = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        (r.status().as_u16(), r.text().await.unwrap(), loc)
    }
}

/// Submits the login form of the node at `base` (e.g. `http://127.0.0.1:1234`) as a browser would.
pub async fn login_at(
    base: &str,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let fields = [("email", email), ("password", password), ("next", "/")];
    login_form(base, client, &fields).await
}

/// The login form with any fields, and the CSRF token a browser would send.
pub async fn login_form(
    base: &str,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = client.get(format!("{base}/login")).text_body().await;
    let csrf = csrf_in(&html);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    client
        .post(format!("{base}/login"))
        .form(&form)
        .sent()
        .await
}

pub fn csrf_in(html: &str) -> String {
    let re = regex::Regex::new(r#"name="csrf" value="([0-9a-f]+)""#).unwrap();
    re.captures(html)
        .map(|c| c[1].to_string())
        .unwrap_or_default()
}

/// A PDF's text as a reader extracts it (pdftotext). `name` and the engine keep the temporary
/// file apart from a parallel test's.
pub fn pdf_text(pdf: &[u8], name: &str, engine: polku_store::Backend) -> String {
    let path = std::env::temp_dir().join(format!(
        "polku-{name}-{}-{engine:?}.pdf",
        std::process::id()
    ));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: ./scripts/test installs it");
    let _ = std::fs::remove_file(&path);
    String::from_utf8(out.stdout).unwrap()
}

/// A local SMTP server that accepts every message and keeps it (the test's mailbox): the mail
/// goes over a real SMTP conversation on loopback. Mail to `refused@…` it refuses for good.
pub async fn smtp_sink() -> (u16, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = inbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let inbox = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            inbox.lock().unwrap().push(data.take().unwrap_or_default());
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        // A mailbox that does not exist, for good.
                        "RCPT" if line.contains("refused@") => b"550 5.1.1 no such user\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 OK\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, inbox)
}

/// POSTs a form as another signed-in client `(client, CSRF)`: (status, body, location).
pub async fn post_as(
    app: &TestApp,
    (client, csrf): &(reqwest::Client, String),
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, Option<String>) {
    let mut f = vec![("csrf", csrf.as_str())];
    f.extend_from_slice(form);
    let r = client.post(app.url(path)).form(&f).sent().await;
    let loc = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    (r.status().as_u16(), r.text().await.unwrap(), loc)
}
