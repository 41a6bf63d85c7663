//! A person's path in a real browser: log in, do an intake, find the participant by search,
//! enrol them in a programme, mark attendance and see the rate.
//! Runs Debian's chromium through chromedriver; SQLite only (the database path is covered above).

use crate::common::*;
use fantoccini::{ClientBuilder, Locator};
use polku_domain::authz::Role;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until the element's text is `expected` (the previous page may still be showing, or
/// htmx may be swapping it), and fails with what was seen last.
async fn wait_text(c: &fantoccini::Client, css: &str, expected: &str) {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            if let Ok(t) = e.text().await {
                if t.contains(expected) {
                    return;
                }
                last = t;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{css}: expected {expected:?}, last saw {last:?}");
}

/// Clicks a link by its text. Search as you type swaps the results once per keystroke, so the
/// link found may be replaced before the click lands: then it is found again.
async fn click_link(c: &fantoccini::Client, text: &str) {
    let mut last = None;
    for _ in 0..50 {
        match c.find(Locator::LinkText(text)).await {
            Ok(link) => match link.click().await {
                Ok(()) => return,
                Err(e) => last = Some(e),
            },
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("link {text:?} could not be clicked: {last:?}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| p.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_intake_search_in_chromium() {
    let Some(driver_bin) = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
    else {
        panic!("chromedriver not found: install Debian's chromium and chromium-driver (./scripts/test does this)");
    };
    let chromium = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"])
        .expect("chromium not found: apt-get install chromium");
    let app = TestApp::spawn(Engine::Sqlite).await;
    let org = app.org("Salon kaupunki").await;
    app.user(org, "ohjaaja@salo.example", Role::Counsellor)
        .await;
    let project = app.project(org, "S21358").await;
    // A programme with one session, for the enrolment and attendance part.
    let (svc, ss) = app.programme(org, "Voimala-valmennus", "12").await;

    let port = free_port();
    let _driver = Driver(
        Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let profile = std::env::temp_dir().join(format!("polku-chrome-{port}"));
    let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=fi",
                     format!("--user-data-dir={}", profile.display()), "--window-size=390,844"]
        }
    }))
    .unwrap();
    let mut client = None;
    for _ in 0..50 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let c = client.expect("chromedriver did not start");

    c.goto(&app.url("/participants")).await.unwrap();
    // Redirected to the login form (phone-sized window).
    type_in(&c, "#f-email", "ohjaaja@salo.example").await;
    type_in(&c, "#f-password", PASSWORD).await;
    click(&c, "button.primary").await;
    c.wait().for_element(Locator::Css("#q")).await.unwrap();

    c.goto(&app.url("/participants/new")).await.unwrap();
    click(&c, &format!("#f-project_id option[value='{project}']")).await;
    type_in(&c, "#f-first_name", "Seppo").await;
    type_in(&c, "#f-last_name", "Öhman").await;
    type_in(&c, "#f-hetu", "131052-308A").await;
    type_in(&c, "#f-municipality", "Salo").await;
    click(&c, "#f-consent_data_processing").await;
    click(&c, "form.intake button[type=submit]").await;
    // A wrong check character: the error is shown next to the field, the rest is kept.
    let err = c
        .wait()
        .for_element(Locator::Css("#e-hetu"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        err,
        "Henkilötunnuksen tarkistusmerkki ei täsmää. Tarkista numerot."
    );
    assert_eq!(
        c.find(Locator::Css("#f-last_name"))
            .await
            .unwrap()
            .attr("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Öhman")
    );
    let hetu = c.find(Locator::Css("#f-hetu")).await.unwrap();
    hetu.clear().await.unwrap();
    hetu.send_keys("131052-308T").await.unwrap();
    click(&c, "form.intake button[type=submit]").await;
    wait_text(&c, "h1", "Seppo Öhman").await;

    // Search as you type (htmx) finds the new participant.
    c.goto(&app.url("/participants")).await.unwrap();
    type_in(&c, "#q", "öhm").await;
    wait_text(&c, "#results", "Öhman, Seppo").await;
    click_link(&c, "Öhman, Seppo").await;
    wait_text(&c, "h1", "Seppo Öhman").await;

    // Enrol into the programme, mark attendance, see the rate.
    c.goto(&app.url(&format!("/services/{svc}"))).await.unwrap();
    c.find(Locator::XPath(
        "//select[@id='enrol-participant_id']/option[contains(., 'Öhman')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    click(&c, "#roster button.primary").await;
    wait_text(&c, "#seats", "1 / 12").await;
    click(&c, &format!("a[href='/services/{svc}/sessions/{ss}']")).await;
    c.wait()
        .for_element(Locator::Css("input[type=radio][value=present]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(&c, "main form button.primary").await;
    // Before any mark the rate reads "—"; after saving, one session present of one.
    // (WebDriver reports the no-break space before % as a plain space.)
    wait_text(&c, "#group-rate", "100,0 %").await;
    let png = c.screenshot().await.unwrap();
    let _ = std::fs::write(std::env::temp_dir().join("polku-service.png"), png);
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(profile);
    app.cleanup().await;
}

/// Types `text` into the element `css` names.
async fn type_in(c: &fantoccini::Client, css: &str, text: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Clicks the element `css` names.
async fn click(c: &fantoccini::Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}
