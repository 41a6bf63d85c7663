//! Rows from a spreadsheet: which column holds which field (guessed from headings in Finnish,
//! Swedish or English, or as the organisation mapped them last), each row checked as its form
//! checks it, and every error of every row reported at once. What a file holds — participants
//! or employers — is its [`Kind`]; each kind has its own fields, words and row check.

pub mod employers;
pub mod participants;

pub use participants::{check, reject_duplicates, Row};

use crate::error::FieldError;
use crate::{DomainError, ErrorCode};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// What an imported file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A project's participants.
    Participants,
    /// The organisation's employer register.
    Employers,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Participants => "participants",
            Kind::Employers => "employers",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Participants, Kind::Employers]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    fn words(self) -> &'static Words {
        match self {
            Kind::Participants => &PARTICIPANT_WORDS,
            Kind::Employers => &EMPLOYER_WORDS,
        }
    }

    /// The fields a column can be mapped to, in the order the mapping step shows them: as
    /// the word table lists them.
    pub fn fields(self) -> &'static [&'static str] {
        &self.words().fields
    }
}

/// Words a spreadsheet uses: headings that name a field, and values for a choice's code, in
/// Finnish, Swedish and English, normalised as [`normalise`] does (`reference/import_*.tsv`).
struct Words {
    fields: Vec<&'static str>,
    headings: HashMap<String, &'static str>,
    values: HashMap<(&'static str, String), &'static str>,
}

impl Words {
    fn of(table: &'static str) -> Words {
        let mut w = Words {
            fields: vec![],
            headings: HashMap::new(),
            values: HashMap::new(),
        };
        for line in table.lines().skip(1) {
            match line.split('\t').collect::<Vec<_>>()[..] {
                ["heading", field, word, _] => {
                    if !w.fields.contains(&field) {
                        w.fields.push(field);
                    }
                    w.headings.insert(word.to_string(), field);
                }
                ["value", field, word, code] => {
                    w.values.insert((field, word.to_string()), code);
                }
                _ => {}
            }
        }
        w
    }
}

static PARTICIPANT_WORDS: LazyLock<Words> =
    LazyLock::new(|| Words::of(include_str!("../../reference/import_words.tsv")));
static EMPLOYER_WORDS: LazyLock<Words> =
    LazyLock::new(|| Words::of(include_str!("../../reference/import_employer_words.tsv")));

fn normalise(heading: &str) -> String {
    heading
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A row's cells by the field they were mapped to.
type Cells<'a> = BTreeMap<&'static str, &'a str>;

/// Which heading holds which field; what the organisation saves for next time.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mapping(pub BTreeMap<String, String>);

impl Mapping {
    /// Each field whose heading is one of its known names.
    pub fn guess(kind: Kind, headings: &[String]) -> Mapping {
        let words = kind.words();
        let mut m = BTreeMap::new();
        for h in headings.iter().rev() {
            let n = normalise(h);
            let field = words
                .headings
                .get(&n)
                .copied()
                .or_else(|| words.fields.iter().copied().find(|f| *f == n));
            if let Some(field) = field {
                m.insert(field.to_string(), h.clone());
            }
        }
        Mapping(m)
    }

    /// `field=Heading,field=Heading`, as the command line takes it.
    pub fn parse_spec(kind: Kind, spec: &str) -> Result<Mapping, String> {
        let fields = kind.fields();
        let mut m = BTreeMap::new();
        for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (field, heading) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?} is not field=Heading"))?;
            let field = field.trim();
            if !fields.contains(&field) {
                return Err(format!(
                    "unknown field {field:?}; fields: {}",
                    fields.join(", ")
                ));
            }
            m.insert(field.to_string(), heading.trim().to_string());
        }
        Ok(Mapping(m))
    }

    /// This mapping where it fits these headings, the guess elsewhere.
    pub fn or_guess(&self, kind: Kind, headings: &[String]) -> Mapping {
        let mut m = Mapping::guess(kind, headings).0;
        for (field, heading) in &self.0 {
            if heading.is_empty() {
                m.remove(field);
            } else if headings.contains(heading) {
                m.insert(field.clone(), heading.clone());
            }
        }
        Mapping(m)
    }

    /// Column index per mapped field; an error names headings the file does not have.
    fn columns(
        &self,
        kind: Kind,
        headings: &[String],
    ) -> Result<Vec<(&'static str, usize)>, DomainError> {
        let mut out = vec![];
        let mut missing = vec![];
        for field in kind.fields() {
            if let Some(h) = self.0.get(*field).filter(|h| !h.is_empty()) {
                match headings.iter().position(|x| x == h) {
                    Some(i) => out.push((*field, i)),
                    None => missing.push(FieldError {
                        field,
                        code: ErrorCode::ChoiceInvalid,
                    }),
                }
            }
        }
        if missing.is_empty() {
            Ok(out)
        } else {
            Err(DomainError::Invalid(missing))
        }
    }

    /// Each row's cells by field (trimmed; an unmapped or missing cell is empty).
    fn values<'a>(
        &self,
        kind: Kind,
        headings: &[String],
        rows: &'a [(usize, Vec<String>)],
    ) -> Result<Vec<(usize, Cells<'a>)>, DomainError> {
        let columns = self.columns(kind, headings)?;
        Ok(rows
            .iter()
            .map(|(line, cells)| {
                let values = columns
                    .iter()
                    .map(|(f, i)| (*f, cells.get(*i).map_or("", |s| s.trim())))
                    .collect();
                (*line, values)
            })
            .collect())
    }
}

/// A spreadsheet's word for a choice, as the form uses it; a code typed as such (or a word
/// not known here, which the form then refuses) passes as it is.
fn choice(kind: Kind, field: &str, value: &str) -> String {
    let v = normalise(value);
    let v = v.strip_prefix("isced ").unwrap_or(&v);
    match kind.words().values.get(&(field, v.to_string())) {
        Some(code) => code.to_string(),
        None => value.trim().replace(' ', "_").to_lowercase(),
    }
}

/// Everything wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub errors: Vec<FieldError>,
}

/// A file's rows as they will be stored, and the rows that will not.
#[derive(Debug)]
pub struct Checked<R = Row> {
    pub rows: Vec<R>,
    pub errors: Vec<RowError>,
}

impl<R> Default for Checked<R> {
    fn default() -> Self {
        Checked {
            rows: vec![],
            errors: vec![],
        }
    }
}

/// `2026-03-01` (as many systems export dates) as `1.3.2026`; anything else as it is.
fn iso_to_finnish(s: &str) -> String {
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => crate::dates::format_fi(d),
        Err(_) => s.to_string(),
    }
}

fn push(errors: &mut Vec<FieldError>, e: DomainError) {
    match e {
        DomainError::Invalid(v) => errors.extend(v),
        _ => errors.push(FieldError {
            field: "form",
            code: ErrorCode::Internal,
        }),
    }
}
