//! The staff UI in a real browser: Debian's chromium through chromedriver, SQLite only (the
//! database paths are covered by the other tests). `Browser` starts both and drives the pages;
//! axe-core (the npm package, installed by ./scripts/test) checks each page it is asked to.

mod attendance;
mod employer;
mod path;
mod phone;
mod portal;
mod referral;

use crate::common::*;
use fantoccini::{ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// chromedriver, its chromium session and the profile folder; all gone when dropped.
pub struct Browser {
    pub c: fantoccini::Client,
    /// The phone's width in CSS pixels.
    pub width: u32,
    /// Clicks made through [`Browser::click`], for tests that count a task's clicks.
    pub clicks: std::sync::atomic::AtomicU32,
    driver: Child,
    profile: std::path::PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
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

impl Browser {
    /// Chromium emulating a phone whose viewport is `width` CSS pixels wide.
    pub async fn phone(width: u32) -> Browser {
        let Some(driver_bin) = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
        else {
            panic!("chromedriver not found: install Debian's chromium and chromium-driver (./scripts/test does this)");
        };
        let chromium = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"])
            .expect("chromium not found: apt-get install chromium");
        let port = free_port();
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let profile = std::env::temp_dir().join(format!("polku-chrome-{port}"));
        let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=fi",
                         format!("--user-data-dir={}", profile.display())],
                "mobileEmulation": { "deviceMetrics": { "width": width, "height": 800, "pixelRatio": 2.0, "touch": true } }
            }
        }))
        .unwrap();
        for _ in 0..50 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => {
                    return Browser {
                        c,
                        width,
                        clicks: Default::default(),
                        driver,
                        profile,
                    }
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
        panic!("chromedriver did not start");
    }

    /// Logs in through the login form.
    pub async fn login(&self, app: &TestApp, email: &str, password: &str) {
        self.c.goto(&app.url("/login")).await.unwrap();
        self.type_in("#f-email", email).await;
        self.type_in("#f-password", password).await;
        self.click("button.primary").await;
        self.wait_text("header.top nav", "").await;
    }

    /// Picks the option whose text contains `text` in the select `css` (an id).
    pub async fn choose(&self, css: &str, text: &str) {
        self.click_at(Locator::XPath(&format!(
            "//select[@id='{}']/option[contains(., '{text}')]",
            css.trim_start_matches('#')
        )))
        .await;
    }

    /// Opens the folded form whose summary says `summary`.
    pub async fn unfold(&self, summary: &str) {
        self.click_at(Locator::XPath(&format!(
            "//summary[contains(., '{summary}')]"
        )))
        .await;
    }

    /// Types `text` into the element `css` names.
    pub async fn type_in(&self, css: &str, text: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
    }

    /// Clicks the element `css` names, and counts the click.
    pub async fn click(&self, css: &str) {
        self.click_at(Locator::Css(css)).await;
    }

    /// Clicks the element `at` finds once it is there, and counts the click.
    pub async fn click_at(&self, at: Locator<'_>) {
        self.clicks
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.c
            .wait()
            .for_element(at)
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// The text of the element `at` finds, once it is there.
    pub async fn text_at(&self, at: Locator<'_>) -> String {
        self.c
            .wait()
            .for_element(at)
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Waits until the element's text contains `expected` (the previous page may still be
    /// showing, or htmx may be swapping it), and fails with what was seen last.
    /// Presses `key` (a character, or a WebDriver key such as Tab) on what has the focus.
    pub async fn press(&self, key: impl std::fmt::Display) {
        let el = self.c.active_element().await.unwrap();
        el.send_keys(&key.to_string()).await.unwrap();
    }

    /// The id of what has the focus, or its tag when it has none.
    pub async fn focused(&self) -> String {
        let v = self
            .c
            .execute(
                "const e = document.activeElement; return e.id || e.tagName.toLowerCase();",
                vec![],
            )
            .await
            .unwrap();
        v.as_str().unwrap_or_default().to_string()
    }

    /// Tabs forward until `id` has the focus; the ids passed on the way, in order.
    pub async fn tab_to(&self, id: &str) -> Vec<String> {
        let mut passed = vec![];
        for _ in 0..60 {
            self.press(fantoccini::key::Key::Tab).await;
            let now = self.focused().await;
            if now == id {
                return passed;
            }
            passed.push(now);
        }
        panic!("Tab never reached #{id}; passed {passed:?}");
    }

    pub async fn wait_text(&self, css: &str, expected: &str) {
        let mut last = String::new();
        for _ in 0..100 {
            if let Ok(e) = self.c.find(Locator::Css(css)).await {
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

    /// Clicks a link by its text. Search as you type swaps the results once per keystroke, so
    /// the link found may be replaced before the click lands: then it is found again.
    pub async fn click_link(&self, text: &str) {
        let mut last = None;
        for _ in 0..50 {
            match self.c.find(Locator::LinkText(text)).await {
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

    /// A number the page computes.
    pub async fn number(&self, script: &str) -> f64 {
        self.c
            .execute(script, vec![])
            .await
            .unwrap()
            .as_f64()
            .unwrap_or(f64::NAN)
    }

    /// How far the page is wider than the phone, in CSS pixels (0 when it does not scroll
    /// sideways). Measured against the phone's width, not the window's: a mobile browser
    /// widens its viewport to fit a page that is too wide, so that it seems to fit.
    pub async fn overflow(&self) -> f64 {
        self.number(
            "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);",
        )
        .await
            - f64::from(self.width)
    }

    /// The deepest elements that reach past the phone's right edge, to say what to fix.
    pub async fn too_wide(&self) -> String {
        let found = self
            .c
            .execute(
                "const w = arguments[0]; const out = [];
                 for (const e of document.querySelectorAll('body *')) {
                   const r = e.getBoundingClientRect();
                   let clipped = false;
                   for (let a = e.parentElement; a; a = a.parentElement) {
                     if (getComputedStyle(a).overflowX !== 'visible') { clipped = true; break; }
                   }
                   if (!clipped && r.right > w + 1) {
                     out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className.split(' ').join('.') : '') + ' (' + Math.round(r.right) + ')');
                   }
                 }
                 return out.slice(0, 8).join(', ');",
                vec![self.width.into()],
            )
            .await
            .unwrap();
        found.as_str().unwrap_or_default().to_string()
    }

    /// The WCAG 2.1 A and AA violations axe-core finds on the page, one line each
    /// ("rule: target …").
    pub async fn axe(&self) -> Vec<String> {
        self.c.execute(axe_source(), vec![]).await.unwrap();
        let found = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                   .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' ')).join(' | '))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value(found).unwrap()
    }
}

/// axe-core's script, read once: from POLKU_AXE, or where ./scripts/test installs it.
fn axe_source() -> &'static str {
    static AXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    AXE.get_or_init(|| {
        let path = std::env::var("POLKU_AXE").unwrap_or_else(|_| {
            let cache = std::env::var("XDG_CACHE_HOME")
                .unwrap_or_else(|_| format!("{}/.cache", std::env::var("HOME").unwrap_or_default()));
            format!("{cache}/polku/axe/node_modules/axe-core/axe.min.js")
        });
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("axe-core not found at {path} ({e}): run ./scripts/test, which installs it with npm, or set POLKU_AXE")
        })
    })
}

/// Tabs to the first focusable element and measures its focus ring against the page behind
/// it: the contrast ratio of WCAG 2.1 (1.4.11 asks 3:1).
pub async fn focus_ring_contrast(b: &Browser) -> f64 {
    use fantoccini::key::Key;
    b.c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(&Key::Tab.to_string())
        .await
        .unwrap();
    let colours: Vec<String> = serde_json::from_value(
        b.c.execute(
            "const e = document.activeElement; const s = getComputedStyle(e);
             return [s.outlineStyle === 'none' ? '' : s.outlineColor, getComputedStyle(document.body).backgroundColor];",
            vec![],
        )
        .await
        .unwrap(),
    )
    .unwrap();
    let luminance = |css: &str| -> f64 {
        let v: Vec<f64> = css
            .trim_start_matches("rgba(")
            .trim_start_matches("rgb(")
            .trim_end_matches(')')
            .split(',')
            .take(3)
            .map(|x| x.trim().parse::<f64>().unwrap() / 255.0)
            .map(|c| {
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            })
            .collect();
        0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]
    };
    assert!(!colours[0].is_empty(), "the focused element has no outline");
    let (a, b) = (luminance(&colours[0]), luminance(&colours[1]));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}
