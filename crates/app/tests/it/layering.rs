//! The layering holds: handlers (everything in the web crate) extract, call a use case and
//! render. None opens a transaction, commits one or writes the audit log itself; those belong
//! to `polku_usecases`, so pages, the API and the command line share one implementation.

use std::path::{Path, PathBuf};

/// What only a use case may do, and why each is spelled as it is.
const FORBIDDEN: &[(&str, &str)] = &[
    (".begin()", "opens a write transaction"),
    ("begin_snapshot", "opens a read snapshot"),
    (".commit()", "commits a transaction"),
    ("Audit::", "writes the audit log"),
    ("audit::record", "writes the audit log"),
    ("log_many(", "writes the audit log"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every line of the web crate's sources that does what only a use case may do.
fn violations(root: &Path) -> (usize, Vec<String>) {
    let mut files = vec![];
    rust_files(root, &mut files);
    let mut found = vec![];
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for (pattern, what) in FORBIDDEN {
                if code.contains(pattern) {
                    found.push(format!(
                        "{}:{}: {what}: {}",
                        file.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    (files.len(), found)
}

#[test]
fn no_handler_opens_a_transaction_or_audits() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src");
    let (files, found) = violations(&web);
    // The scan reads the real tree: the pages, the API and the account handlers.
    assert!(files > 20, "only {files} files under {}", web.display());
    assert!(
        found.is_empty(),
        "handlers doing a use case's work:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_a_handler_that_does() {
    let dir = std::env::temp_dir().join(format!("polku-layering-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("pages")).unwrap();
    std::fs::write(
        dir.join("pages/bad.rs"),
        "async fn h() {\n    let mut tx = st.db.begin().await?; // opens\n    Audit::by(&a, now);\n    tx.commit().await?;\n}\n",
    )
    .unwrap();
    let (_, found) = violations(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.len(), 3, "{found:?}");
}
