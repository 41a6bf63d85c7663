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

/// Parses a spreadsheet (CSV in any delimiter and encoding, or XLSX): two columns,
/// municipality (code or name) and value; a first row whose first cell is no municipality is a
/// header. Every bad line is reported, and nothing is returned then.
pub fn parse(kind: Kind, bytes: &[u8]) -> Result<Vec<(String, String)>, Vec<String>> {
    let sheet = polku_reports::sheet::read(bytes).map_err(|e| vec![e.to_string()])?;
    let first = (1, sheet.headings);
    let (mut values, mut errors) = (vec![], vec![]);
    for (line, cells) in std::iter::once(first).chain(sheet.rows) {
        let cell = |i: usize| cells.get(i).map_or("", |c| c.trim());
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
    let values = parse(kind, &std::fs::read(path)?).map_err(|errors| {
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
        let ok = parse(Kind::Degurba, b"kunta;degurba\n091;1\nKarkkila;3\n").unwrap();
        assert_eq!(
            ok,
            vec![("091".into(), "1".into()), ("224".into(), "3".into())]
        );
        let tabs = parse(Kind::Degurba, b"297\t2\n").unwrap();
        assert_eq!(tabs, vec![("297".into(), "2".into())]);
        let bad = parse(Kind::Degurba, b"091,1\nAtlantis,2\n092,4\n").unwrap_err();
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(bad[0].starts_with("line 2"));
    }
}
