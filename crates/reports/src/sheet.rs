//! Reading a spreadsheet someone made elsewhere: CSV with any delimiter in UTF-8 or
//! Windows-1252 (what Excel saves in Finland), or the first sheet of an XLSX workbook. Every
//! cell comes back as text, as the user would see it; dates as d.m.yyyy.

use calamine::{Data, Reader};
use std::io::Cursor;

/// The first row's headings and the rows under them (blank rows left out), every row as wide
/// as the headings.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub headings: Vec<String>,
    /// (line in the file, 1-based, the heading being line 1; cells)
    pub rows: Vec<(usize, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("no headings")]
    Empty,
    #[error("unreadable: {0}")]
    Unreadable(String),
}

/// Reads `bytes`; an XLSX workbook is recognised by its content, not its name.
pub fn read(bytes: &[u8]) -> Result<Sheet, SheetError> {
    if bytes.starts_with(b"PK\x03\x04") {
        // calamine can panic on a damaged workbook (an arithmetic overflow in a cell address,
        // found by the fuzzing below): a bad upload is refused as unreadable, not a crash.
        std::panic::catch_unwind(|| xlsx(bytes))
            .unwrap_or_else(|_| Err(SheetError::Unreadable("damaged workbook".into())))
    } else {
        Ok(csv_text(&decode(bytes))?)
    }
}

/// UTF-8 (a byte-order mark dropped) when it is valid, else Windows-1252.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The delimiter the heading line uses most, outside quotes: semicolon (Excel in Finland),
/// tab, comma or pipe.
pub fn sniff(heading_line: &str) -> u8 {
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for b in heading_line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            b';' => counts[0] += 1,
            b'\t' => counts[1] += 1,
            b',' => counts[2] += 1,
            b'|' => counts[3] += 1,
            _ => {}
        }
    }
    let delimiters = [b';', b'\t', b',', b'|'];
    counts
        .iter()
        .zip(delimiters)
        .max_by_key(|(n, _)| **n)
        .filter(|(n, _)| **n > 0)
        .map_or(b',', |(_, d)| d)
}

fn csv_text(text: &str) -> Result<Sheet, SheetError> {
    let delimiter = sniff(text.lines().next().unwrap_or(""));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = vec![];
    // Lines counted as the reader moves on, so a large file is scanned once.
    let bytes = text.as_bytes();
    let (mut counted_to, mut newlines) = (0usize, 0usize);
    for (n, r) in reader.records().enumerate() {
        let r = r.map_err(|e| SheetError::Unreadable(format!("line {}: {e}", n + 1)))?;
        // The record's first line, from its byte offset, which can point at the line ends
        // before it (the reader's own line count lags behind with CRLF).
        let line = r.position().map_or(n + 1, |p| {
            let mut at = usize::try_from(p.byte()).unwrap_or(0).min(bytes.len());
            while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
                at += 1;
            }
            if at > counted_to {
                newlines += bytes[counted_to..at]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                counted_to = at;
            }
            1 + newlines
        });
        records.push((line, r.iter().map(|c| c.trim().to_string()).collect()));
    }
    shape(records)
}

fn xlsx(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(SheetError::Empty)?
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let first = range.start().map_or(0, |(row, _)| row as usize);
    let records = range
        .rows()
        .enumerate()
        .map(|(i, row)| (first + i + 1, row.iter().map(cell).collect()))
        .collect();
    shape(records)
}

fn cell(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        // Whole numbers as typed (a postal code or subsidy days), not "420.0".
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{d}.{m}.{y}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The first non-blank row is the headings; blank rows are dropped; rows padded to width.
fn shape(records: Vec<(usize, Vec<String>)>) -> Result<Sheet, SheetError> {
    let mut it = records
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let (_, headings) = it.next().ok_or(SheetError::Empty)?;
    let width = headings.len();
    let rows = it
        .map(|(line, mut cells)| {
            cells.resize(width.max(cells.len()), String::new());
            (line, cells)
        })
        .collect();
    Ok(Sheet { headings, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_windows_1252_with_semicolons() {
        // "Sukunimi;Kunta\nJärvinen;Hämeenlinna" as Excel saves it in Finland.
        let bytes = b"Sukunimi;Kunta\r\nJ\xe4rvinen;H\xe4meenlinna\r\n\r\n;\r\nVirtanen;\"Salo; keskusta\"\r\n";
        let s = read(bytes).unwrap();
        assert_eq!(s.headings, vec!["Sukunimi", "Kunta"]);
        assert_eq!(
            s.rows[0],
            (2, vec!["Järvinen".into(), "Hämeenlinna".into()])
        );
        assert_eq!(
            s.rows[1].1,
            vec!["Virtanen".to_string(), "Salo; keskusta".into()]
        );
        assert_eq!(s.rows[1].0, 5, "the line in the file, blank lines counted");
        assert_eq!(s.rows.len(), 2);
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff("a\tb\tc"), b'\t');
        assert_eq!(sniff("a,b,\"c;d\""), b',');
        assert_eq!(sniff("single"), b',');
        let s = read("\u{feff}a|b\n1|2\n".as_bytes()).unwrap();
        assert_eq!(s.headings, vec!["a", "b"]);
    }

    #[test]
    fn xlsx_cells_as_the_user_sees_them() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 2).unwrap();
        let fmt = rust_xlsxwriter::Format::new().set_num_format("d.m.yyyy");
        sheet.write(0, 0, "Aloitus").unwrap();
        sheet.write(0, 1, "Postinumero").unwrap();
        sheet.write(0, 2, "Päivät").unwrap();
        sheet.write_datetime_with_format(1, 0, &date, &fmt).unwrap();
        sheet.write(1, 1, "00100").unwrap();
        sheet.write(1, 2, 420).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let s = read(&bytes).unwrap();
        assert_eq!(s.headings, vec!["Aloitus", "Postinumero", "Päivät"]);
        assert_eq!(
            s.rows,
            vec![(2, vec!["2.3.2026".into(), "00100".into(), "420".into()])]
        );
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Bounded fuzzing of the readers (cargo-fuzz needs nightly): any bytes, CSV-like
        /// text in either encoding, and a real workbook with bytes changed, give a sheet or an
        /// error, never a panic; every row is as wide as the headings.
        #[test]
        fn any_input_reads_or_errs(bytes in prop::collection::vec(any::<u8>(), 0..400),
                                  text in "[a-zåäö0-9;,\t\"\r\n|\u{e4}\u{0}-\u{1f}]{0,300}",
                                  at in 0usize..4000, byte in any::<u8>()) {
            for input in [bytes.clone(), text.as_bytes().to_vec(), encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()] {
                if let Ok(s) = read(&input) {
                    prop_assert!(s.rows.iter().all(|(_, r)| r.len() >= s.headings.len()));
                }
            }
            let mut book = WORKBOOK.clone();
            let i = at % book.len();
            book[i] = byte;
            let _ = read(&book);
        }
    }

    static WORKBOOK: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in [["Etunimi", "Kunta"], ["Maija", "Salo"]].iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let _ = sheet.write(r as u32, c as u16, *v);
            }
        }
        book.save_to_buffer().unwrap_or_default()
    });

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(read(b"PK\x03\x04not a zip").is_err());
        assert_eq!(read(b""), Err(SheetError::Empty));
    }
}
