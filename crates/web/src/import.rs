//! The spreadsheet import's pieces that speak the reader's language; the import itself is
//! `polku_usecases::import`.

use crate::error::AppError;
pub use polku_usecases::import::*;

/// The rows with errors as XLSX: the file's own cells, then the line and what is wrong,
/// in the reader's language.
pub fn error_report(review: &Review, c: &crate::ctx::Chrome) -> Result<Vec<u8>, AppError> {
    use polku_reports::{Cell, Table};
    let by_line: std::collections::HashMap<usize, &Vec<String>> = review
        .sheet
        .rows
        .iter()
        .map(|(l, cells)| (*l, cells))
        .collect();
    let mut headers = review.sheet.headings.clone();
    headers.push(c.t("import-line"));
    headers.push(c.t("import-errors"));
    let rows = review
        .errors
        .iter()
        .map(|e| {
            let mut row: Vec<Cell> = by_line
                .get(&e.line)
                .map(|cells| cells.iter().map(|s| Cell::from(s.as_str())).collect())
                .unwrap_or_default();
            row.resize(review.sheet.headings.len(), Cell::from(""));
            row.push(Cell::Int(e.line as i64));
            let text: Vec<String> = e
                .errors
                .iter()
                .map(|f| format!("{}: {}", c.label(f.field), c.error_text(f.code.code())))
                .collect();
            row.push(Cell::from(text.join("; ").as_str()));
            row
        })
        .collect();
    let table = Table {
        title: c.t("import-errors"),
        headers,
        rows,
    };
    polku_reports::xlsx(&table).map_err(|e| AppError::Internal(e.to_string()))
}
