//! Lists as downloads: `?format=csv` (Excel in Finland) or `?format=xlsx`.

use crate::error::AppError;
use crate::i18n::Lang;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use polku_reports::Table;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// `None` for the HTML page.
    pub fn from_query(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

crate::form!(
    /// `?format=csv|xlsx` on a download route.
    pub struct FormatQuery { pub format });

/// `name` is the file name without extension (ASCII; the title inside the file is translated).
pub fn respond(
    table: &Table,
    format: Format,
    lang: Lang,
    name: &str,
) -> Result<Response, AppError> {
    respond_many(std::slice::from_ref(table), format, lang, name)
}

/// Several tables in one download: one after another in the CSV, one sheet each in the XLSX.
pub fn respond_many(
    tables: &[Table],
    format: Format,
    lang: Lang,
    name: &str,
) -> Result<Response, AppError> {
    let (bytes, mime, ext) = match (format, tables) {
        (Format::Csv, [one]) => (
            polku_reports::csv_excel(one, lang.code()),
            "text/csv; charset=utf-8",
            "csv",
        ),
        (Format::Csv, _) => (
            polku_reports::csv_excel_many(tables, lang.code()),
            "text/csv; charset=utf-8",
            "csv",
        ),
        (Format::Xlsx, _) => (
            polku_reports::xlsx_many(tables),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let bytes = bytes.map_err(|e| AppError::Internal(e.to_string()))?;
    let disposition = format!("attachment; filename=\"{name}.{ext}\"");
    Ok(download(mime, disposition, bytes))
}

/// A table with translated title and headers, one row per item.
pub fn table<T>(
    c: &crate::ctx::Chrome,
    title: &str,
    headers: &[&str],
    items: &[T],
    row: impl Fn(&T) -> Vec<polku_reports::Cell>,
) -> Table {
    Table {
        title: c.t(title),
        headers: headers.iter().map(|k| c.t(k)).collect(),
        rows: items.iter().map(row).collect(),
    }
}

/// The parts of a streamed CSV: the head first, then each page's rows as they are read.
pub type CsvParts = tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>;

/// A CSV download sent as it is produced, so an export of any size holds every row without
/// being built in memory first.
pub fn stream_csv(parts: CsvParts, name: &str) -> Response {
    let stream = futures_util::stream::unfold(parts, |mut rx| async move {
        rx.recv().await.map(|part| (part, rx))
    });
    let disposition = format!("attachment; filename=\"{name}.csv\"");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}

/// A file the browser saves (or, for a calendar, hands to its app): its type, how it is
/// offered (`attachment; filename="…"`) and its bytes. Never cached.
pub fn download(
    content_type: impl Into<String>,
    disposition: impl Into<String>,
    body: impl Into<axum::body::Body>,
) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.into()),
            (header::CONTENT_DISPOSITION, disposition.into()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body.into(),
    )
        .into_response()
}
