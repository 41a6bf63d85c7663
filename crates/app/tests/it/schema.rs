//! schemathesis against the API's own OpenAPI document, on both databases: no 5xx, no response
//! that violates the schema, no status the document does not list.

use polku_domain::authz::Role;

/// The schemathesis command: `POLKU_SCHEMATHESIS`, else where `./scripts/test` installs it,
/// else `schemathesis` on the PATH.
fn schemathesis() -> String {
    if let Ok(cmd) = std::env::var("POLKU_SCHEMATHESIS") {
        return cmd;
    }
    let cache = std::env::var("XDG_CACHE_HOME")
        .or_else(|_| std::env::var("HOME").map(|h| format!("{h}/.cache")))
        .unwrap_or_default();
    let installed = format!("{cache}/polku/venv/bin/schemathesis");
    if std::path::Path::new(&installed).exists() {
        installed
    } else {
        "schemathesis".into()
    }
}

db_test!(schemathesis_finds_no_mismatch, |app| async move {
    let org = app.org("Salo").await;
    app.user(org, "pm@salo.example", Role::ProjectManager).await;
    app.project(org, "S21358").await;
    let csrf = app.login("pm@salo.example").await;
    let token = app.api_token(&app.client, &csrf, "schemathesis").await;
    let (url, auth) = (
        app.url("/api/openapi.json"),
        format!("Authorization: Bearer {token}"),
    );
    // Blocking, on a thread of its own, while the app serves on the runtime's workers.
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new(schemathesis())
        .args([
            "run",
            &url,
            "--header",
            &auth,
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            "25",
            "--seed",
            "1",
            "--workers",
            "1",
            "--no-color",
            "--generation-database",
            "none",
        ])
        .output()
    })
    .await
    .unwrap()
    .unwrap_or_else(|e| {
        panic!("schemathesis could not be run ({e}): ./scripts/test installs it, or set POLKU_SCHEMATHESIS")
    });
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "schemathesis found problems:\n{out}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.contains("passed"), "{out}");
});
