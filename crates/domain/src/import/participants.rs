//! Participants from a spreadsheet: each row checked as intake checks it, and people already
//! in the project (or twice in the file) refused.

use super::{choice as word, iso_to_finnish, push, Checked, Kind, Mapping, RowError};
use crate::error::FieldError;
use crate::ids::ProjectId;
use crate::participant::{Exit, ExitForm, Intake, IntakeForm};
use crate::text::Checkbox;
use crate::validated::Hetu;
use crate::{DomainError, ErrorCode};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};

/// One row as it will be stored.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub intake: Intake,
    pub exit: Option<Exit>,
}

/// Checks every row as intake would, plus dates in the future; `consent` is the importer's
/// statement that consent to processing is on file for everyone in the file.
pub fn check(
    headings: &[String],
    rows: &[(usize, Vec<String>)],
    mapping: &Mapping,
    project: ProjectId,
    consent: bool,
    today: NaiveDate,
) -> Result<Checked, DomainError> {
    let mut out = Checked::default();
    for (line, values) in mapping.values(Kind::Participants, headings, rows)? {
        match check_row(&values, project, consent, today) {
            Ok((intake, exit)) => out.rows.push(Row { line, intake, exit }),
            Err(errors) => out.errors.push(RowError { line, errors }),
        }
    }
    Ok(out)
}

fn check_row(
    values: &BTreeMap<&str, &str>,
    project: ProjectId,
    consent: bool,
    today: NaiveDate,
) -> Result<(Intake, Option<Exit>), Vec<FieldError>> {
    let get = |field: &str| values.get(field).copied().unwrap_or("");
    let c = |field: &str| word(Kind::Participants, field, get(field));
    let d = |field: &str| iso_to_finnish(get(field));
    let form = IntakeForm {
        project_id: project.0.to_string(),
        first_name: get("first_name").into(),
        last_name: get("last_name").into(),
        hetu: get("hetu").into(),
        birth_date: d("birth_date"),
        gender: c("gender"),
        email: get("email").into(),
        phone: get("phone").into(),
        municipality: get("municipality").into(),
        postal_code: get("postal_code").into(),
        education: c("education"),
        labour_status: c("labour_status"),
        unemployed_since: d("unemployed_since"),
        subsidy_days: get("subsidy_days").into(),
        disability: c("disability"),
        foreign_background: c("foreign_background"),
        third_country_national: c("third_country_national"),
        minority: c("minority"),
        homeless: c("homeless"),
        entry_date: d("entry_date"),
        counsellor_id: String::new(),
        consent_data_processing: Checkbox(consent),
        consent_sensitive_data: Checkbox(false),
        target_group_id: String::new(),
    };
    let mut errors = vec![];
    let intake = form.parse(today).map_err(|e| push(&mut errors, e)).ok();
    // A date in the future is reported whatever else is wrong with the row.
    for field in ["birth_date", "unemployed_since", "entry_date", "exit_date"] {
        let date = crate::dates::parse_date(&d(field)).ok();
        if date.is_some_and(|x| x > today) {
            errors.push(FieldError {
                field,
                code: ErrorCode::DateFuture,
            });
        }
    }
    let mut exit = None;
    if let Some(i) = &intake {
        if !get("exit_date").is_empty() || !get("exit_status").is_empty() {
            let f = ExitForm {
                exit_date: d("exit_date"),
                exit_status: c("exit_status"),
                version: "1".into(),
                ..Default::default()
            };
            match f.parse(i.entry_date) {
                Ok(x) => exit = Some(x),
                Err(e) => push(&mut errors, e),
            }
        }
    }
    match intake {
        Some(i) if errors.is_empty() => Ok((i, exit)),
        _ => Err(errors),
    }
}

/// Moves to the errors every row whose person is in the project already (the same identity
/// code and entry date, or a second open participation) or earlier in the file. `key` is the
/// identity code's blind index; `existing` and `open` hold the project's.
pub fn reject_duplicates(
    checked: &mut Checked,
    key: &dyn Fn(&Hetu) -> String,
    existing: &HashSet<(String, NaiveDate)>,
    open: &HashSet<String>,
) {
    let mut seen = existing.clone();
    let mut open = open.clone();
    let rows = std::mem::take(&mut checked.rows);
    for row in rows {
        let Some(h) = &row.intake.hetu else {
            checked.rows.push(row);
            continue;
        };
        let k = key(h);
        let again = !seen.insert((k.clone(), row.intake.entry_date));
        let second_open = row.exit.is_none() && !open.insert(k);
        if again || second_open {
            checked.errors.push(RowError {
                line: row.line,
                errors: vec![FieldError {
                    field: "hetu",
                    code: ErrorCode::Duplicate,
                }],
            });
        } else {
            checked.rows.push(row);
        }
    }
    checked.errors.sort_by_key(|e| e.line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
    }

    fn cells(line: &str) -> Vec<String> {
        line.split(';').map(String::from).collect()
    }

    fn headings() -> Vec<String> {
        cells("Etunimi;Sukunimi;Henkilötunnus;Kunta;Aloituspäivä;Sukupuoli;Koulutustaso;Poistumispäivä;Tilanne poistuessa")
    }

    fn checked(rows: &[(usize, &str)]) -> Checked {
        let rows: Vec<(usize, Vec<String>)> = rows.iter().map(|(n, l)| (*n, cells(l))).collect();
        let m = Mapping::guess(Kind::Participants, &headings());
        check(&headings(), &rows, &m, ProjectId(1), true, today()).unwrap_or_default()
    }

    #[test]
    fn headings_are_recognised_in_finnish_swedish_and_english() {
        let m = Mapping::guess(Kind::Participants, &headings());
        assert_eq!(m.0.get("hetu").map(String::as_str), Some("Henkilötunnus"));
        assert_eq!(
            m.0.get("exit_status").map(String::as_str),
            Some("Tilanne poistuessa")
        );
        assert_eq!(
            Mapping::guess(Kind::Participants, &cells("Förnamn;Efternamn;Hemkommun"))
                .0
                .len(),
            3
        );
        let en = Mapping::guess(Kind::Participants, &cells("First name;Date of birth"));
        assert_eq!(
            en.0.get("birth_date").map(String::as_str),
            Some("Date of birth")
        );
        let spec = Mapping::parse_spec(
            Kind::Participants,
            "first_name=Nimi, municipality=Kotikunta",
        );
        assert_eq!(spec.map(|m| m.0.len()), Ok(2));
        assert!(Mapping::parse_spec(Kind::Participants, "shoe_size=Koko").is_err());
    }

    #[test]
    fn every_error_of_every_row_is_reported() {
        let c = checked(&[
            (2, "Maija;Virtanen;131052-308T;Kuopio;1.2.2026;nainen;3;;"),
            (3, "Pekka;;131052-308X;Atlantis;1.2.2027;;;;"),
            (
                4,
                "Liisa;Laine;010160-9984;Salo;2026-02-01;N;isced 7;1.3.2026;työllistyi",
            ),
        ]);
        assert_eq!((c.rows.len(), c.errors.len()), (2, 1), "{:?}", c.errors);
        let codes: Vec<_> = c.errors[0]
            .errors
            .iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert!(codes.contains(&("last_name", ErrorCode::Required)));
        assert!(codes.contains(&("hetu", ErrorCode::HetuChecksum)));
        assert!(codes.contains(&("municipality", ErrorCode::MunicipalityInvalid)));
        assert!(codes.contains(&("entry_date", ErrorCode::DateFuture)));
        assert_eq!(c.errors[0].line, 3);
        let liisa = &c.rows[1];
        let feb1 = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default();
        assert_eq!(liisa.intake.entry_date, feb1, "ISO dates too");
        let employed = crate::participant::ExitStatus::EmployedOpen;
        assert_eq!(liisa.exit.map(|e| e.status), Some(employed));
    }

    #[test]
    fn a_person_twice_is_a_duplicate() {
        let maija = "Maija;Virtanen;131052-308T;Kuopio;1.2.2026;;;;";
        let mut c = checked(&[(2, maija), (3, maija)]);
        let none = HashSet::new();
        reject_duplicates(&mut c, &|h| h.as_str().to_string(), &none, &HashSet::new());
        assert_eq!((c.rows.len(), c.errors.len()), (1, 1));
        assert_eq!(c.errors[0].errors[0].code, ErrorCode::Duplicate);
    }
}
