//! Report output: tables as CSV for Excel in Finland and as XLSX. (PDF and charts come with the
//! funder's reports.) No web or database code: callers build a [`Table`].

pub mod assessment;
pub mod employer_work;
pub mod esf;
pub mod ical;
pub mod pdf;
pub mod referrals;
pub mod sheet;
pub mod surveys;
pub mod svg;

use chrono::{Datelike, NaiveDate};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("csv: {0}")]
    Csv(String),
    #[error("pdf: {0}")]
    Pdf(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Date(NaiveDate),
    /// A share in per mille (667 = 66,7 %), as the domain computes rates.
    Permille(i64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Self {
        Cell::Date(d)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// A titled table with translated headers.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// 562165 → "562 165" (no-break space; comma in English), as numbers are printed.
pub fn grouped(n: i64, lang: &str) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = if lang == "en" { ',' } else { '\u{a0}' };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A cell as people read it on a page or in a PDF: grouped digits, d.m.yyyy, "66,7 %".
/// (CSV and XLSX keep raw numbers so that Excel can compute with them.)
pub fn display(c: &Cell, lang: &str) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Int(n) => grouped(*n, lang),
        Cell::Date(d) => format!("{}.{}.{}", d.day(), d.month(), d.year()),
        Cell::Permille(p) => polku_domain::services::format_rate(Some(*p), lang),
        Cell::Empty => String::new(),
    }
}

/// Decimal separator by UI language: comma in Finnish and Swedish.
fn decimal_comma(lang: &str) -> bool {
    lang != "en"
}

/// A text cell that a spreadsheet would run as a formula (`= + - @`, or a tab or carriage return
/// that some spreadsheets strip before looking) gets a leading apostrophe, OWASP's rule for CSV
/// injection. Numbers and dates are typed cells and are written as they are.
pub fn csv_safe(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

fn csv_text(c: &Cell, lang: &str) -> String {
    match c {
        Cell::Text(s) => csv_safe(s),
        Cell::Int(n) => n.to_string(),
        Cell::Date(d) => format!("{}.{}.{}", d.day(), d.month(), d.year()),
        Cell::Permille(p) => {
            let s = format!("{}.{}", p / 10, p % 10);
            if decimal_comma(lang) {
                s.replace('.', ",")
            } else {
                s
            }
        }
        Cell::Empty => String::new(),
    }
}

/// CSV as Excel in Finland opens it by double-click: UTF-8 with a byte-order mark, ';' between
/// fields, CRLF line ends, dates d.m.yyyy and a decimal comma.
pub fn csv_excel(t: &Table, lang: &str) -> Result<Vec<u8>, ReportError> {
    let mut out = csv_head(&t.headers)?;
    out.extend(csv_rows(&t.rows, lang)?);
    Ok(out)
}

/// The start of such a CSV: the byte-order mark and the header line.
pub fn csv_head(headers: &[String]) -> Result<Vec<u8>, ReportError> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    write_csv(&mut out, [headers.iter().map(|h| csv_safe(h)).collect()])?;
    Ok(out)
}

/// Rows of such a CSV, for a download streamed in parts.
pub fn csv_rows(rows: &[Vec<Cell>], lang: &str) -> Result<Vec<u8>, ReportError> {
    let mut out = vec![];
    write_csv(
        &mut out,
        rows.iter()
            .map(|r| r.iter().map(|c| csv_text(c, lang)).collect()),
    )?;
    Ok(out)
}

fn write_csv(
    out: &mut Vec<u8>,
    records: impl IntoIterator<Item = Vec<String>>,
) -> Result<(), ReportError> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    for r in records {
        w.write_record(&r)
            .map_err(|e| ReportError::Csv(e.to_string()))?;
    }
    w.flush().map_err(|e| ReportError::Csv(e.to_string()))
}

/// Several tables in one CSV: each under its title line, a blank line between.
pub fn csv_excel_many(tables: &[Table], lang: &str) -> Result<Vec<u8>, ReportError> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        let titled = Table {
            title: t.title.clone(),
            headers: vec![t.title.clone()],
            rows: vec![],
        };
        out.extend_from_slice(&csv_excel(&titled, lang)?[3..]);
        out.extend_from_slice(&csv_excel(t, lang)?[3..]);
    }
    Ok(out)
}

/// XLSX with real dates and numbers (so sorting and sums work in Excel), a bold header row,
/// frozen headers and an autofilter.
pub fn xlsx(t: &Table) -> Result<Vec<u8>, ReportError> {
    xlsx_many(std::slice::from_ref(t))
}

/// One worksheet per table.
pub fn xlsx_many(tables: &[Table]) -> Result<Vec<u8>, ReportError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (i, t) in tables.iter().enumerate() {
        sheet(&mut wb, t, i)?;
    }
    Ok(wb.save_to_buffer()?)
}

fn sheet(wb: &mut rust_xlsxwriter::Workbook, t: &Table, index: usize) -> Result<(), ReportError> {
    use rust_xlsxwriter::{ExcelDateTime, Format};
    let ws = wb.add_worksheet();
    // Sheet names: unique, at most 31 characters, none of []:*?/\
    let name: String = t
        .title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(27)
        .collect();
    if !name.is_empty() {
        ws.set_name(if index == 0 {
            name
        } else {
            format!("{} {}", name.trim_end(), index + 1)
        })?;
    }
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("d.m.yyyy");
    let pct = Format::new().set_num_format("0.0%");
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Int(n) => {
                    ws.write_number(r, c, *n as f64)?;
                }
                Cell::Date(d) => {
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, c, &dt, &date)?;
                }
                Cell::Permille(p) => {
                    ws.write_number_with_format(r, c, *p as f64 / 1000.0, &pct)?;
                }
                Cell::Empty => {}
            }
        }
    }
    if !t.headers.is_empty() {
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, t.rows.len() as u32, (t.headers.len() - 1) as u16)?;
        ws.autofit();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn table() -> Table {
        Table {
            title: "Läsnäolot: ryhmä 1/2".into(),
            headers: vec![
                "Nimi".into(),
                "Aloitus".into(),
                "Kerrat".into(),
                "Läsnäoloaste".into(),
            ],
            rows: vec![
                vec![
                    "Öhman; Seppo".into(),
                    Cell::Date(NaiveDate::from_ymd_opt(2015, 9, 1).unwrap()),
                    3.into(),
                    Cell::Permille(667),
                ],
                vec!["Laine \"Tiina\"".into(), Cell::Empty, 0.into(), Cell::Empty],
            ],
        }
    }

    #[test]
    fn csv_for_excel_in_finland() {
        let out = csv_excel(&table(), "fi").unwrap();
        assert_eq!(&out[..3], &[0xEF, 0xBB, 0xBF], "BOM");
        let text = String::from_utf8(out[3..].to_vec()).unwrap();
        assert_eq!(text, "Nimi;Aloitus;Kerrat;Läsnäoloaste\r\n\"Öhman; Seppo\";1.9.2015;3;66,7\r\n\"Laine \"\"Tiina\"\"\";;0;\r\n");
        let en = String::from_utf8(csv_excel(&table(), "en").unwrap()[3..].to_vec()).unwrap();
        assert!(en.contains(";66.7\r\n"));
    }

    #[test]
    fn csv_cells_that_would_run_as_formulas_are_neutralised() {
        let t = Table {
            title: String::new(),
            headers: vec!["=cmd".into()],
            rows: ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", "-"]
                .iter()
                .map(|s| vec![Cell::from(*s)])
                .chain([vec![Cell::Int(-5)]])
                .collect(),
        };
        let text = String::from_utf8(csv_excel(&t, "fi").unwrap()[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines,
            [
                "'=cmd",
                "'=1+2",
                "'+1",
                "'-1",
                "'@SUM(A1)",
                "'\tx",
                "\"'\rx\"",
                "a=b",
                "'-",
                "-5",
                ""
            ],
            "text is prefixed, a typed number is not"
        );
    }

    #[test]
    fn xlsx_holds_the_cells() {
        let bytes = xlsx(&table()).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut shared = String::new();
        zip.by_name("xl/sharedStrings.xml")
            .unwrap()
            .read_to_string(&mut shared)
            .unwrap();
        assert!(shared.contains("Öhman; Seppo") && shared.contains("Läsnäoloaste"));
        let mut sheet = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        assert!(sheet.contains("<v>0.667</v>"), "rate as a number");
        assert!(
            sheet.contains("<v>42248</v>"),
            "1.9.2015 as an Excel date serial"
        );
        let mut wbx = String::new();
        zip.by_name("xl/workbook.xml")
            .unwrap()
            .read_to_string(&mut wbx)
            .unwrap();
        assert!(
            wbx.contains("Läsnäolot ryhmä 12"),
            "sheet name without forbidden characters"
        );
    }
}
