//! `polku reference import`: reference values the repository does not ship (see
//! `crates/domain/reference/SOURCES.md`) loaded from a file of municipality code and value.

use polku_domain::clock::Clock;
use polku_domain::validated::Municipality;
use polku_store::reference::{self, Kind};
use polku_store::Db;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    /// Eurostat degree of urbanisation per municipality (LAU): 1, 2 or 3.
    Degurba,
    /// The employment area (työllisyysalue) per municipality: its name.
    EmploymentArea,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::Degurba => Kind::Degurba,
            KindArg::EmploymentArea => Kind::EmploymentArea,
        }
    }
}

/// The delimiter the first line uses most: tab, semicolon or comma.
pub fn sniff_delimiter(first_line: &str) -> u8 {
    [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// Parses `text`: two columns, municipality (code or name) and value; a first line whose first
/// cell is no municipality is a header. Every bad line is reported, and nothing is returned then.
pub fn parse(kind: Kind, text: &str) -> Result<Vec<(String, String)>, Vec<String>> {
    let delimiter = sniff_delimiter(text.lines().next().unwrap_or(""));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let (mut values, mut errors) = (vec![], vec![]);
    for (n, record) in reader.records().enumerate() {
        let line = n + 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let municipality = match Municipality::parse(cell(0)) {
            Ok(m) => m,
            Err(_) if line == 1 => continue,
            Err(_) => {
                errors.push(format!("line {line}: unknown municipality {:?}", cell(0)));
                continue;
            }
        };
        let value = cell(1);
        let ok = match kind {
            Kind::Degurba => matches!(value, "1" | "2" | "3"),
            Kind::EmploymentArea => !value.is_empty() && value.chars().count() <= 200,
        };
        if !ok {
            errors.push(format!("line {line}: value {value:?} is not valid here"));
            continue;
        }
        values.push((municipality.code().to_string(), value.to_string()));
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// Reads, checks and stores the file; returns how many municipalities got a value.
pub async fn import(
    db: &Db,
    kind: Kind,
    path: &Path,
    source: &str,
    clock: &dyn Clock,
) -> anyhow::Result<usize> {
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
    let values = parse(kind, &text).map_err(|errors| {
        anyhow::anyhow!(
            "nothing imported, {} bad lines:\n{}",
            errors.len(),
            errors.join("\n")
        )
    })?;
    let mut tx = db.begin().await?;
    reference::replace(&mut tx, kind, &values, source, clock.now()).await?;
    tx.commit().await?;
    Ok(values.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_delimiters_names_and_errors() {
        let ok = parse(Kind::Degurba, "kunta;degurba\n091;1\nKarkkila;3\n").unwrap();
        assert_eq!(
            ok,
            vec![("091".into(), "1".into()), ("224".into(), "3".into())]
        );
        let tabs = parse(Kind::Degurba, "297\t2\n").unwrap();
        assert_eq!(tabs, vec![("297".into(), "2".into())]);
        let bad = parse(Kind::Degurba, "091,1\nAtlantis,2\n092,4\n").unwrap_err();
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(bad[0].starts_with("line 2"));
    }
}
