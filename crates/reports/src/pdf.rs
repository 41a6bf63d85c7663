//! PDF through typst, compiled in-process with embedded fonts and no package downloads.
//! A document is a title, facts and titled tables; the typst markup is generated here.

#[cfg(test)]
use crate::grouped;
use crate::{Cell, ReportError, Table};
use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// BCP 47 language for hyphenation and quotes: fi, sv, en.
    pub lang: String,
    pub title: String,
    pub subtitle: String,
    /// Label–value pairs shown under the title.
    pub facts: Vec<(String, String)>,
    pub tables: Vec<Table>,
    /// Small print at the end.
    pub notes: Vec<String>,
}

/// A typst string literal: everything inside is text, never markup.
fn lit(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

fn cell(c: &Cell, lang: &str) -> String {
    format!("[#{}]", lit(&crate::display(c, lang)))
}

/// The typst source of a document (public for tests and debugging).
pub fn markup(doc: &Doc) -> String {
    let mut m = String::new();
    m.push_str(&format!("#set document(title: {})\n", lit(&doc.title)));
    m.push_str("#set page(paper: \"a4\", margin: (x: 2cm, y: 2cm), numbering: \"1 / 1\")\n");
    m.push_str(&format!(
        "#set text(font: \"Libertinus Serif\", size: 10pt, lang: {})\n",
        lit(&doc.lang)
    ));
    m.push_str("#set table(stroke: 0.4pt + luma(160), inset: 4pt)\n");
    m.push_str(&format!(
        "#text(size: 16pt, weight: \"bold\")[#{}]\n\n",
        lit(&doc.title)
    ));
    if !doc.subtitle.is_empty() {
        m.push_str(&format!("#text(size: 11pt)[#{}]\n\n", lit(&doc.subtitle)));
    }
    if !doc.facts.is_empty() {
        m.push_str("#table(columns: (auto, 1fr), stroke: none,\n");
        for (k, v) in &doc.facts {
            m.push_str(&format!("  [*#{}*], [#{}],\n", lit(k), lit(v)));
        }
        m.push_str(")\n\n");
    }
    for t in &doc.tables {
        m.push_str(&format!("== #{}\n\n", lit(&t.title)));
        let n = t.headers.len().max(1);
        // First column takes the room; numbers right-aligned.
        m.push_str(&format!(
            "#table(columns: (1fr{}), align: (x, y) => if x == 0 {{ left }} else {{ right }},\n",
            ", auto".repeat(n - 1)
        ));
        let header: Vec<String> = t
            .headers
            .iter()
            .map(|h| format!("[*#{}*]", lit(h)))
            .collect();
        m.push_str(&format!("  table.header({}),\n", header.join(", ")));
        for r in &t.rows {
            let cells: Vec<String> = r.iter().map(|c| cell(c, &doc.lang)).collect();
            m.push_str(&format!("  {},\n", cells.join(", ")));
        }
        m.push_str(")\n\n");
    }
    for note in &doc.notes {
        m.push_str(&format!("#text(size: 8pt)[#{}]\n\n", lit(note)));
    }
    m
}

/// Fonts and the standard library are the same for every document: parsed once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: std::sync::LazyLock<Shared> = std::sync::LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

struct DocWorld {
    shared: &'static Shared,
    main: Source,
    today: NaiveDate,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        // No images, no packages: nothing is read from disk or network.
        Err(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(
            self.today.year(),
            self.today.month() as u8,
            self.today.day() as u8,
        )
    }
}

/// Renders the document to PDF. `today` is the clock's date (typst's `datetime.today()`).
pub fn pdf(doc: &Doc, today: NaiveDate) -> Result<Vec<u8>, ReportError> {
    let world = DocWorld {
        shared: &SHARED,
        main: Source::detached(markup(doc)),
        today,
    };
    let compiled = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|e| {
            ReportError::Pdf(
                e.iter()
                    .map(|d| d.message.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
    typst_pdf::pdf(&compiled, &typst_pdf::PdfOptions::default()).map_err(|e| {
        ReportError::Pdf(
            e.iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_pdf_compiles_with_embedded_fonts() {
        let doc = Doc {
            lang: "fi".into(),
            title: "Loppuraportin tiivistelmä: S21358 VOIMA".into(),
            subtitle: "Hämeen ELY-keskus \"tarkastus\" #1 [ei markupia]".into(),
            facts: vec![("Toteutusaika".into(), "3.9.2018–31.12.2020".into())],
            tables: vec![Table {
                title: "Tulokset".into(),
                headers: vec!["Tilanne".into(), "n".into(), "Osuus".into()],
                rows: vec![vec![
                    "Työllistyi".into(),
                    Cell::Int(113),
                    Cell::Permille(440),
                ]],
            }],
            notes: vec!["Alle 5 havainnon solut on peitetty (<5).".into()],
        };
        assert_eq!(
            (
                grouped(562165, "fi"),
                grouped(257, "fi"),
                grouped(-1234567, "en")
            ),
            (
                "562\u{a0}165".to_string(),
                "257".to_string(),
                "-1,234,567".to_string()
            )
        );
        let m = markup(&doc);
        assert!(
            m.contains(r#"[#"Hämeen ELY-keskus \"tarkastus\" #1 [ei markupia]"]"#),
            "user text stays text"
        );
        let bytes = pdf(&doc, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() > 5_000);
    }
}
