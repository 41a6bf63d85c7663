//! Employers from a spreadsheet (the lists projects keep today): each row checked as the
//! employer form checks it, with its contact person if the row names one, and employers
//! already in the register (by Y-tunnus or by name) or twice in the file refused.

use super::{choice, normalise, push, Checked, Kind, Mapping, RowError};
use crate::employer::{ContactPersonForm, EmployerForm, NewContactPerson, NewEmployer};
use crate::error::FieldError;
use crate::{DomainError, ErrorCode};
use std::collections::{BTreeMap, HashSet};

/// One row as it will be stored.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub employer: NewEmployer,
    pub contact: Option<NewContactPerson>,
}

/// Checks every row as the employer form would.
pub fn check(
    headings: &[String],
    rows: &[(usize, Vec<String>)],
    mapping: &Mapping,
) -> Result<Checked<Row>, DomainError> {
    let mut out = Checked::default();
    for (line, values) in mapping.values(Kind::Employers, headings, rows)? {
        match check_row(&values) {
            Ok((employer, contact)) => out.rows.push(Row {
                line,
                employer,
                contact,
            }),
            Err(errors) => out.errors.push(RowError { line, errors }),
        }
    }
    Ok(out)
}

fn check_row(
    values: &BTreeMap<&str, &str>,
) -> Result<(NewEmployer, Option<NewContactPerson>), Vec<FieldError>> {
    let get = |field: &str| values.get(field).copied().unwrap_or("");
    let mut errors = vec![];
    let consent = match choice(Kind::Employers, "contact_consent", get("contact_consent")) {
        c if c == "on" => Some("on".to_string()),
        c if c.is_empty() => None,
        _ => {
            errors.push(FieldError {
                field: "contact_consent",
                code: ErrorCode::ChoiceInvalid,
            });
            None
        }
    };
    let form = EmployerForm {
        business_id: get("business_id").into(),
        name: get("name").into(),
        industry: industry(get("industry")),
        size_class: choice(Kind::Employers, "size_class", get("size_class")),
        town: get("town").into(),
        address: get("address").into(),
        contact_consent: consent,
        notes: get("notes").into(),
        ..Default::default()
    };
    let employer = form.parse().map_err(|e| push(&mut errors, e)).ok();
    let person = ContactPersonForm {
        name: get("contact_name").into(),
        role: get("contact_role").into(),
        phone: get("contact_phone").into(),
        email: get("contact_email").into(),
    };
    let named = [&person.name, &person.role, &person.phone, &person.email]
        .iter()
        .any(|v| !v.is_empty());
    let mut contact = None;
    if named {
        match person.parse() {
            Ok(p) => contact = Some(p),
            Err(DomainError::Invalid(v)) => errors.extend(v.into_iter().map(|e| FieldError {
                field: contact_field(e.field),
                code: e.code,
            })),
            Err(e) => push(&mut errors, e),
        }
    }
    match employer {
        Some(e) if errors.is_empty() => Ok((e, contact)),
        _ => Err(errors),
    }
}

/// The contact person form's field as the file's column is named.
fn contact_field(field: &'static str) -> &'static str {
    match field {
        "name" => "contact_name",
        "role" => "contact_role",
        "phone" => "contact_phone",
        "email" => "contact_email",
        other => other,
    }
}

/// A main class as the form takes it: its letter (`C`, `C Teollisuus`, `c)`), or its name.
fn industry(value: &str) -> String {
    let n = normalise(value);
    let mut words = n.split(' ');
    match (words.next(), words.next()) {
        (Some(first), _) if first.len() == 1 && first.chars().all(|c| c.is_ascii_alphabetic()) => {
            first.to_uppercase()
        }
        _ => choice(Kind::Employers, "industry", value).to_uppercase(),
    }
}

/// The name as the register compares names: case and surrounding space do not tell apart.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Moves to the errors every row whose employer is in the register already — the same
/// Y-tunnus, or the same name under another one — or earlier in the file.
pub fn reject_duplicates(
    checked: &mut Checked<Row>,
    business_ids: &HashSet<String>,
    names: &HashSet<String>,
) {
    let (mut file_ids, mut file_names) = (HashSet::new(), HashSet::new());
    let rows = std::mem::take(&mut checked.rows);
    for row in rows {
        let e = &row.employer;
        let (id, name) = (e.business_id.as_str().to_string(), name_key(&e.name));
        let field = if business_ids.contains(&id) {
            Some(("business_id", ErrorCode::EmployerExists))
        } else if names.contains(&name) {
            Some(("name", ErrorCode::EmployerNameInRegister))
        } else if !file_ids.insert(id) {
            Some(("business_id", ErrorCode::RepeatedInFile))
        } else if !file_names.insert(name) {
            Some(("name", ErrorCode::RepeatedInFile))
        } else {
            None
        };
        match field {
            Some((field, code)) => checked.errors.push(RowError {
                line: row.line,
                errors: vec![FieldError { field, code }],
            }),
            None => checked.rows.push(row),
        }
    }
    checked.errors.sort_by_key(|e| e.line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(line: &str) -> Vec<String> {
        line.split(';').map(String::from).collect()
    }

    fn checked(headings: &str, rows: &[(usize, &str)]) -> Checked<Row> {
        let headings = cells(headings);
        let rows: Vec<(usize, Vec<String>)> = rows.iter().map(|(n, l)| (*n, cells(l))).collect();
        let m = Mapping::guess(Kind::Employers, &headings);
        check(&headings, &rows, &m).unwrap_or_default()
    }

    const HEADINGS: &str = "Y-tunnus;Yritys;Toimiala;Koko;Kunta;Yhteyshenkilö;Sähköposti;Suostumus";

    #[test]
    fn headings_and_words_in_finnish_swedish_and_english() {
        let m = Mapping::guess(Kind::Employers, &cells(HEADINGS));
        assert_eq!(m.0.len(), 8, "{m:?}");
        let sv = Mapping::guess(Kind::Employers, &cells("FO-nummer;Företag;Kommun"));
        assert_eq!(sv.0.get("town").map(String::as_str), Some("Kommun"));
        let c = checked(
            HEADINGS,
            &[
                (2, "0112038-9;Salon Metalli Oy;C Teollisuus;pieni;Salo;;;kyllä"),
                (3, "2561490-6;Kotihoito Oy;terveys- ja sosiaalipalvelut;50-249;Turku;Anna Aho;anna@example.fi;"),
            ],
        );
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let e = &c.rows[0].employer;
        assert_eq!(e.industry.map(|i| i.as_str()), Some("C"));
        assert!(e.contact_consent);
        assert_eq!(e.municipality.map(|m| m.code()), Some("734"));
        let kotihoito = &c.rows[1];
        assert_eq!(kotihoito.employer.industry.map(|i| i.as_str()), Some("Q"));
        assert_eq!(
            kotihoito.employer.size_class.map(|s| s.as_str()),
            Some("medium")
        );
        assert_eq!(
            kotihoito.contact.as_ref().map(|p| p.name.as_str()),
            Some("Anna Aho")
        );
    }

    #[test]
    fn every_error_of_a_row_is_reported_under_the_file_s_field() {
        let c = checked(
            HEADINGS,
            &[(2, "0112038-8;;Z;jättiläinen;Atlantis;;not-an-address;ehkä")],
        );
        let codes: Vec<_> = c.errors[0]
            .errors
            .iter()
            .map(|e| (e.field, e.code))
            .collect();
        for expected in [
            ("business_id", ErrorCode::BusinessIdChecksum),
            ("name", ErrorCode::Required),
            ("industry", ErrorCode::ChoiceInvalid),
            ("size_class", ErrorCode::ChoiceInvalid),
            ("town", ErrorCode::MunicipalityInvalid),
            ("contact_name", ErrorCode::Required),
            ("contact_email", ErrorCode::EmailInvalid),
            ("contact_consent", ErrorCode::ChoiceInvalid),
        ] {
            assert!(codes.contains(&expected), "{expected:?} not in {codes:?}");
        }
    }

    #[test]
    fn an_employer_in_the_register_or_twice_in_the_file_is_a_duplicate() {
        let mut c = checked(
            HEADINGS,
            &[
                (2, "0112038-9;Salon Metalli Oy;;;;;;"),
                (3, "2561490-6;Salon metalli oy ;;;;;;"),
                (4, "0112038-9;Toinen Oy;;;;;;"),
                (5, "1572860-0;Vanha Oy;;;;;;"),
                (6, "2345678-0;Vanha Nimi Oy;;;;;;"),
            ],
        );
        let register = HashSet::from(["1572860-0".to_string()]);
        let names = HashSet::from(["vanha nimi oy".to_string()]);
        reject_duplicates(&mut c, &register, &names);
        let refused: Vec<_> = c
            .errors
            .iter()
            .map(|e| (e.line, e.errors[0].code))
            .collect();
        assert_eq!(
            refused,
            vec![
                (3, ErrorCode::RepeatedInFile),
                (4, ErrorCode::RepeatedInFile),
                (5, ErrorCode::EmployerExists),
                (6, ErrorCode::EmployerNameInRegister),
            ]
        );
        assert_eq!(c.rows.len(), 1);
    }
}
