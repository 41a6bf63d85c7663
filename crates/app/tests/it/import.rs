//! Spreadsheet import (issue 10): 10 000 rows with 37 bad ones, checked, reported and
//! imported in one transaction; a killed import leaves all or none.

use crate::common::*;
use polku_domain::clock::Clock;

const HEADINGS: [&str; 9] = [
    "Etunimi",
    "Sukunimi",
    "Henkilötunnus",
    "Kunta",
    "Aloituspäivä",
    "Koulutustaso",
    "Työmarkkina-asema",
    "Poistumispäivä",
    "Tilanne poistuessa",
];

/// `n` people, every one a different identity code; every 260th from line 102 is bad in one
/// of four ways (37 in 10 000): a wrong check mark, an unknown municipality, an entry date in
/// the future, the same person and entry as the row before.
fn people(n: usize) -> (Vec<[String; 9]>, Vec<usize>) {
    let mut rows: Vec<[String; 9]> = vec![];
    let mut bad = vec![];
    for i in 0..n {
        let code = hetu(
            1 + (i % 28) as u32,
            1 + ((i / 28) % 12) as u32,
            50 + ((i / 336) % 30) as u32,
            900,
        );
        let exited = i % 3 == 0;
        let mut row = [
            ["Maija", "Pekka", "Aino", "Juhani"][i % 4].to_string(),
            format!("Tuonti{i}"),
            code,
            ["Kuopio", "Salo", "Jakobstad", "091"][i % 4].to_string(),
            format!("{}.2.2026", 1 + i % 27),
            ["3", "isced 7", "perusaste", "4"][i % 4].to_string(),
            "työtön".to_string(),
            if exited {
                "1.3.2026".into()
            } else {
                String::new()
            },
            if exited {
                "työllistyi".into()
            } else {
                String::new()
            },
        ];
        if i >= 100 && (i - 100) % 260 == 0 && bad.len() < 37 {
            match bad.len() % 4 {
                0 => {
                    row[2].pop();
                    row[2].push('#');
                }
                1 => row[3] = "Atlantis".into(),
                2 => row[4] = "1.1.2030".into(),
                _ => {
                    let prev: &[String; 9] = &rows[i - 1];
                    row[2] = prev[2].clone();
                    row[4] = prev[4].clone();
                }
            }
            bad.push(i + 2);
        }
        rows.push(row);
    }
    (rows, bad)
}

fn xlsx(rows: &[[String; 9]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADINGS.iter().enumerate() {
        sheet.write(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write(r as u32 + 1, c as u16, v.as_str()).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

async fn upload(app: &TestApp, csrf: &str, project: i64, bytes: Vec<u8>) -> String {
    let path = format!("/projects/{project}/import");
    upload_to(app, csrf, &path, bytes, "asiakkaat.xlsx").await
}

/// Posts a file to an upload page; the review page it was stored under.
pub async fn upload_to(
    app: &TestApp,
    csrf: &str,
    path: &str,
    bytes: Vec<u8>,
    name: &str,
) -> String {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .part("file", part);
    let r = app.client.post(app.url(path)).multipart(form).sent().await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    r.headers()["location"].to_str().unwrap().to_string()
}

/// The progress page once the import has finished or failed.
pub async fn finished(app: &TestApp, progress: &str) -> String {
    for _ in 0..600 {
        let (_, html) = app.get(progress).await;
        if html.contains("id=\"imported\"") || html.contains("role=\"alert\"") {
            return html;
        }
        assert!(html.contains("<progress"), "{html}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the import at {progress} did not finish");
}

async fn imported(app: &TestApp, project: i64) -> i64 {
    app.scalar_for(
        "SELECT COUNT(*) FROM participants WHERE project_id = $1",
        project,
    )
    .await
}

db_test!(ten_thousand_rows_with_37_bad_ones, |app| async move {
    let (_, project, csrf) = app.voima_counsellor().await;
    let (rows, bad) = people(10_000);
    assert_eq!(bad.len(), 37);
    let page = upload(app, &csrf, project, xlsx(&rows)).await;

    // Every bad row, and only those, with its reason; the mapping guessed from the headings.
    let (status, html) = app.get(&page).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<strong>9963</strong> riviä kunnossa"),
        "{html}"
    );
    assert!(html.contains("<strong>37</strong> riviä, joissa on virheitä"));
    assert!(html.contains("Tuntematon kunta"));
    assert!(html.contains("Päivämäärä on tulevaisuudessa"));
    assert!(html.contains("Henkilötunnuksen tarkistusmerkki ei täsmää"));
    assert!(html.contains("Sama tieto on jo tallennettu"));
    let report = app
        .client
        .get(app.url(&format!("{page}?format=xlsx")))
        .sent()
        .await
        .bytes()
        .await
        .unwrap();
    let sheet = polku_reports::sheet::read(&report).unwrap();
    let lines: Vec<usize> = sheet
        .rows
        .iter()
        .map(|(_, cells)| cells[HEADINGS.len()].parse().unwrap())
        .collect();
    assert_eq!(lines, bad, "the error report holds exactly the bad rows");
    let atlantis = &sheet.rows[1].1;
    assert!(
        atlantis[3] == "Atlantis" && atlantis[10].contains("Tuntematon kunta"),
        "{atlantis:?}"
    );

    // Nothing is written from a file with errors unless asked; not without consent either.
    let run = |skip: bool, consent: bool| {
        let mut form = vec![("csrf", csrf.clone())];
        if consent {
            form.push(("consent", "on".into()));
        }
        if skip {
            form.push(("skip_bad", "on".into()));
        }
        app.client
            .post(app.url(&format!("{page}/run")))
            .form(&form)
            .sent()
    };
    let refused = run(false, true).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("ohitetaan"));
    assert_eq!(run(true, false).await.status(), 422, "consent is asked");
    assert_eq!(imported(app, project).await, 0);

    // Skipping the bad rows writes the 9 963 good ones in one go.
    let r = run(true, true).await;
    assert_eq!(r.status(), 303);
    let progress = r.headers()["location"].to_str().unwrap().to_string();
    let done = finished(app, &progress).await;
    assert!(
        done.contains("<strong id=\"imported\">9963</strong>"),
        "{done}"
    );
    assert_eq!(imported(app, project).await, 9963);
    let exited: i64 = app
        .scalar_for(
            "SELECT COUNT(*) FROM participants WHERE project_id = $1 AND exit_status = 'employed_open'",
            project,
        )
        .await;
    assert!(exited > 3000);
    // As intake and exit would have it: a follow-up for each who left, consents, an audit
    // entry per person in an intact chain.
    let follow_ups: i64 = app
        .scalar_for(
            "SELECT COUNT(*) FROM follow_ups f JOIN participants p ON p.id = f.participant_id WHERE p.project_id = $1",
            project,
        )
        .await;
    assert_eq!(follow_ups, exited);
    let consents: i64 = app
        .scalar("SELECT COUNT(*) FROM consents WHERE kind = 'data_processing' AND granted = 1")
        .await;
    assert_eq!(consents, 9963);
    let audited: i64 = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'participant' AND action = 'create' AND detail LIKE 'import %'")
        .await;
    assert_eq!(audited, 9963);
    let chain = polku_store::audit::verify(&app.db, &[]).await.unwrap();
    assert!(chain.problems.is_empty(), "{:?}", chain.problems);
    // The mapping is remembered, and the same file again is all duplicates.
    let saved: i64 = app.scalar("SELECT COUNT(*) FROM import_mappings").await;
    assert_eq!(saved, 1);
    let again = upload(app, &csrf, project, xlsx(&rows[..50])).await;
    let (_, html) = app.get(&again).await;
    assert!(html.contains("<strong>0</strong> riviä kunnossa"), "{html}");

    // A large file, past the 2 MB any form may send, is taken.
    let mut large = b"Etunimi;Sukunimi\n".to_vec();
    large.extend(vec![b'x'; 3 * 1024 * 1024]);
    large.extend(b";Iso\n");
    upload(app, &csrf, project, large).await;

    // Another organisation's staff cannot see the upload, nor import it.
    let other = app.org("AURA").await;
    app.user(
        other,
        "c@aura.example",
        polku_domain::authz::Role::Counsellor,
    )
    .await;
    let stranger = TestApp::new_client();
    let their_csrf = app.login_as(&stranger, "c@aura.example").await;
    assert_eq!(stranger.get(app.url(&again)).sent().await.status(), 404);
    let form = [("csrf", their_csrf.as_str()), ("consent", "on")];
    let r = stranger
        .post(app.url(&format!("{again}/run")))
        .form(&form)
        .sent()
        .await;
    assert_eq!(r.status(), 404);

    // An upload never imported keeps its content (personal data) two days at most.
    let kept = "SELECT COUNT(*) FROM import_files WHERE content <> ''";
    assert_eq!(
        app.scalar::<i64>(kept).await,
        2,
        "two unfinished uploads; the imported file's content is gone"
    );
    app.clock.set(app.clock.now() + chrono::Duration::days(3));
    upload(app, &csrf, project, xlsx(&rows[..5])).await;
    assert_eq!(
        app.scalar::<i64>(kept).await,
        1,
        "only the newest upload is kept"
    );
});

/// The `polku` binary over the test's database and keys, in a directory of its own.
struct Binary {
    url: String,
    dir: std::path::PathBuf,
}

impl Binary {
    fn new(app: &TestApp) -> Binary {
        let dir = temp_dir("kill");
        std::fs::write(
            dir.join("keys.json"),
            serde_json::to_string(&app.keys).unwrap(),
        )
        .unwrap();
        Binary {
            url: app.db_url.clone(),
            dir,
        }
    }

    fn command(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_polku"));
        c.args(["--database-url", &self.url, "--keys-file"])
            .arg(self.dir.join("keys.json"))
            .arg("--data-dir")
            .arg(&self.dir)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        c
    }

    /// A spreadsheet of the 9 963 good rows.
    fn good_file(&self) -> std::path::PathBuf {
        let (rows, bad) = people(10_000);
        let good: Vec<[String; 9]> = (2..)
            .zip(rows)
            .filter(|(line, _)| !bad.contains(line))
            .map(|(_, row)| row)
            .collect();
        let file = self.dir.join("asiakkaat.xlsx");
        std::fs::write(&file, xlsx(&good)).unwrap();
        file
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

db_test!(a_killed_import_leaves_all_or_none, |app| async move {
    let (_, project, _) = app.voima_counsellor().await;
    let polku = Binary::new(app);
    let file = polku.good_file();
    let file = file.to_str().unwrap().to_string();
    let args = [
        "import",
        "participants",
        "--project",
        "S21358",
        "--as",
        "c@voima.example",
        "--consent-on-file",
        file.as_str(),
    ];
    let mut child = polku.command(&args).spawn().unwrap();
    // The upload is committed first; the rows go in one transaction after it.
    for _ in 0..300 {
        let uploads: i64 = app.scalar("SELECT COUNT(*) FROM import_files").await;
        if uploads > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(
        child.try_wait().unwrap().is_none(),
        "still importing when killed"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(imported(app, project).await, 0, "killed mid-import: none");
    let unfinished: i64 = app
        .scalar("SELECT COUNT(*) FROM import_files WHERE imported_rows IS NULL")
        .await;
    assert_eq!(unfinished, 1);

    // Run again to the end: all.
    let mut again = polku.command(&args);
    let out = tokio::task::spawn_blocking(move || again.output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(imported(app, project).await, 9963);
});

db_test!(
    killing_the_server_mid_import_leaves_none,
    |app| async move {
        let (_, project, _) = app.voima_counsellor().await;
        let polku = Binary::new(app);
        let file = polku.good_file();
        // A server of its own, as an operator runs it, on a free port.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let bind = format!("127.0.0.1:{port}");
        let mut cmd = polku.command(&["--bind", &bind, "serve"]);
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut server = cmd.spawn().unwrap();
        let base = format!("http://{bind}");
        let client = TestApp::new_client();
        for _ in 0..200 {
            if client.get(format!("{base}/login")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let r = login_at(&base, &client, "c@voima.example", PASSWORD).await;
        assert_eq!(r.status(), 303);
        let html = client
            .get(format!("{base}/projects/{project}/import"))
            .text_body()
            .await;
        let csrf = csrf_in(&html);
        let part =
            reqwest::multipart::Part::bytes(std::fs::read(&file).unwrap()).file_name("a.xlsx");
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .part("file", part);
        let r = client
            .post(format!("{base}/projects/{project}/import"))
            .multipart(form)
            .sent()
            .await;
        let page = r.headers()["location"].to_str().unwrap().to_string();
        let run = [("csrf", csrf.as_str()), ("consent", "on")];
        let r = client
            .post(format!("{base}{page}/run"))
            .form(&run)
            .sent()
            .await;
        assert_eq!(r.status(), 303);
        // Killed while the progress bar moves.
        let mut moving = false;
        let value = regex::Regex::new(r#"value="(\d+)""#).unwrap();
        for _ in 0..400 {
            let html = client
                .get(format!("{base}{page}/progress"))
                .text_body()
                .await;
            let done = value
                .captures(&html)
                .and_then(|c| c[1].parse::<u32>().ok())
                .unwrap_or(0);
            if done > 100 {
                moving = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        assert!(moving, "the import was under way");
        server.kill().unwrap();
        server.wait().unwrap();
        assert_eq!(imported(app, project).await, 0, "none written");

        // The same file imports whole afterwards, on another node.
        let csrf = app.login("c@voima.example").await;
        let r = app
            .client
            .post(app.url(&format!("{page}/run")))
            .form(&[("csrf", csrf.as_str()), ("consent", "on")])
            .sent()
            .await;
        assert_eq!(r.status(), 303);
        for _ in 0..600 {
            if imported(app, project).await > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(imported(app, project).await, 9963, "all, in one commit");
    }
);
