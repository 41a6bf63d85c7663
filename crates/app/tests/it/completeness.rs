//! The API can do what the pages can: README's capability table names, for every page route,
//! the API operations that do the same, and this test holds the table to the running app.

#[allow(unused_imports)]
use crate::common::*;
use crate::routes::ROUTES;
use regex::Regex;

/// (capability, page operations, API operations, the API cell's text).
fn table() -> Vec<(String, Vec<String>, Vec<String>, String)> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = readme
        .find("<!-- capabilities -->")
        .expect("the capability table");
    let end = readme
        .find("<!-- /capabilities -->")
        .expect("the table's end");
    let op = Regex::new(r"`(GET|POST|PUT|DELETE) ([^`]+)`").unwrap();
    let ops = |cell: &str| -> Vec<String> {
        op.captures_iter(cell)
            .map(|c| format!("{} {}", &c[1], &c[2]))
            .collect()
    };
    readme[start..end]
        .lines()
        .filter(|l| {
            l.starts_with("| ") && !l.starts_with("| Capability") && !l.starts_with("| ---")
        })
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            assert_eq!(cells.len(), 3, "three cells: {l}");
            (
                cells[0].trim_start_matches("| ").to_string(),
                ops(cells[1]),
                ops(cells[2]),
                cells[2].to_string(),
            )
        })
        .collect()
}

fn shape(p: &str) -> String {
    Regex::new(r"\{[a-z]+\}")
        .unwrap()
        .replace_all(p, "{}")
        .to_string()
}

db_test!(every_ui_capability_has_an_api_operation, |app| async move {
    let rows = table();
    assert!(rows.len() > 20, "{} rows", rows.len());
    let doc = app.openapi().await;
    let api: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| format!("{} {}", m.to_uppercase(), shape(path)))
        })
        .collect();
    let pages: Vec<String> = ROUTES
        .iter()
        .filter(|(_, p, _)| !p.starts_with("/api/"))
        .map(|(m, p, _)| format!("{m} {}", shape(p)))
        .collect();
    for (capability, page_ops, api_ops, api_cell) in &rows {
        for op in page_ops {
            assert!(
                pages.contains(&shape(op)),
                "{capability}: {op} is no page route"
            );
        }
        for op in api_ops {
            assert!(
                api.contains(&shape(op)),
                "{capability}: {op} is not in the API"
            );
        }
        assert!(
            !api_ops.is_empty() || api_cell.starts_with("UI only"),
            "{capability}: no API operation, and no reason given"
        );
    }
    // Every page route is someone's capability, so a new page cannot skip the table.
    let listed: Vec<String> = rows
        .iter()
        .flat_map(|r| r.1.iter().map(|o| shape(o)))
        .collect();
    for page in &pages {
        assert!(
            listed.contains(page),
            "{page} is in no row of README's capability table"
        );
    }
    // And every API operation is listed too.
    let listed_api: Vec<String> = rows
        .iter()
        .flat_map(|r| r.2.iter().map(|o| shape(o)))
        .collect();
    for op in &api {
        if !op.ends_with("/openapi.json") {
            assert!(
                listed_api.contains(op),
                "{op} is in no row of README's capability table"
            );
        }
    }
});
