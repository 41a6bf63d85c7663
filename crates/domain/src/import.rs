//! Participants from a spreadsheet: which column holds which field (guessed from headings in
//! Finnish, Swedish or English, or as the organisation mapped them last), each row checked as
//! intake checks it, and every error of every row reported at once.

use crate::error::FieldError;
use crate::ids::ProjectId;
use crate::participant::{Exit, ExitForm, Intake, IntakeForm};
use crate::text::Checkbox;
use crate::validated::Hetu;
use crate::{DomainError, ErrorCode};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};

/// The fields a column can be mapped to, in the order the mapping step shows them.
pub const FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "hetu",
    "birth_date",
    "gender",
    "email",
    "phone",
    "municipality",
    "postal_code",
    "education",
    "labour_status",
    "unemployed_since",
    "subsidy_days",
    "disability",
    "foreign_background",
    "third_country_national",
    "minority",
    "homeless",
    "entry_date",
    "exit_date",
    "exit_status",
];

/// Headings that name each field, normalised (lower case, words split on anything else).
const HEADINGS: &[(&str, &[&str])] = &[
    (
        "first_name",
        &[
            "etunimi",
            "etunimet",
            "förnamn",
            "first name",
            "firstname",
            "given name",
        ],
    ),
    (
        "last_name",
        &[
            "sukunimi",
            "efternamn",
            "last name",
            "lastname",
            "surname",
            "family name",
        ],
    ),
    (
        "hetu",
        &[
            "henkilötunnus",
            "hetu",
            "henkilötunnus hetu",
            "personbeteckning",
            "personal identity code",
            "identity code",
        ],
    ),
    (
        "birth_date",
        &[
            "syntymäaika",
            "födelsedatum",
            "födelsedag",
            "birth date",
            "date of birth",
        ],
    ),
    ("gender", &["sukupuoli", "kön", "gender", "sex"]),
    (
        "email",
        &[
            "sähköposti",
            "sähköpostiosoite",
            "e post",
            "epost",
            "email",
            "e mail",
        ],
    ),
    (
        "phone",
        &[
            "puhelin",
            "puhelinnumero",
            "matkapuhelin",
            "telefon",
            "telefonnummer",
            "phone",
            "mobile",
        ],
    ),
    (
        "municipality",
        &[
            "kunta",
            "kotikunta",
            "asuinkunta",
            "kommun",
            "hemkommun",
            "municipality",
        ],
    ),
    (
        "postal_code",
        &[
            "postinumero",
            "postnummer",
            "postal code",
            "postcode",
            "zip",
        ],
    ),
    (
        "education",
        &[
            "koulutus",
            "koulutustaso",
            "utbildning",
            "utbildningsnivå",
            "education",
            "isced",
        ],
    ),
    (
        "labour_status",
        &[
            "työmarkkina asema",
            "työmarkkinatilanne",
            "asema",
            "ställning på arbetsmarknaden",
            "labour status",
            "labor status",
        ],
    ),
    (
        "unemployed_since",
        &[
            "työttömyys alkanut",
            "työtön alkaen",
            "työttömänä alkaen",
            "arbetslös sedan",
            "unemployed since",
        ],
    ),
    (
        "subsidy_days",
        &[
            "työmarkkinatukipäivät",
            "tukipäivät",
            "stöddagar",
            "subsidy days",
        ],
    ),
    (
        "disability",
        &[
            "vamma",
            "vammaisuus",
            "osatyökykyisyys",
            "osatyökykyinen",
            "funktionsnedsättning",
            "disability",
        ],
    ),
    (
        "foreign_background",
        &[
            "ulkomaalaistausta",
            "ulkomaalaistaustainen",
            "utländsk bakgrund",
            "foreign background",
        ],
    ),
    (
        "third_country_national",
        &[
            "kolmannen maan kansalainen",
            "tredjelandsmedborgare",
            "third country national",
        ],
    ),
    (
        "minority",
        &[
            "vähemmistö",
            "vähemmistöön kuuluva",
            "minoritet",
            "minority",
        ],
    ),
    (
        "homeless",
        &["asunnoton", "asunnottomuus", "hemlös", "homeless"],
    ),
    (
        "entry_date",
        &[
            "aloituspäivä",
            "aloitus",
            "alkupäivä",
            "tulopäivä",
            "startdatum",
            "entry date",
            "start date",
        ],
    ),
    (
        "exit_date",
        &[
            "poistumispäivä",
            "lopetuspäivä",
            "päättymispäivä",
            "slutdatum",
            "exit date",
            "end date",
        ],
    ),
    (
        "exit_status",
        &[
            "poistumistilanne",
            "tilanne poistuessa",
            "situation vid avslutning",
            "exit status",
        ],
    ),
];

fn normalise(heading: &str) -> String {
    heading
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Which heading holds which field; what the organisation saves for next time.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mapping(pub BTreeMap<String, String>);

impl Mapping {
    /// Each field whose heading is one of its known names.
    pub fn guess(headings: &[String]) -> Mapping {
        let mut m = BTreeMap::new();
        for (field, names) in HEADINGS {
            if let Some(h) = headings
                .iter()
                .find(|h| names.contains(&normalise(h).as_str()) || normalise(h) == *field)
            {
                m.insert(field.to_string(), h.clone());
            }
        }
        Mapping(m)
    }

    /// `field=Heading,field=Heading`, as the command line takes it.
    pub fn parse_spec(spec: &str) -> Result<Mapping, String> {
        let mut m = BTreeMap::new();
        for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (field, heading) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?} is not field=Heading"))?;
            let field = field.trim();
            if !FIELDS.contains(&field) {
                return Err(format!(
                    "unknown field {field:?}; fields: {}",
                    FIELDS.join(", ")
                ));
            }
            m.insert(field.to_string(), heading.trim().to_string());
        }
        Ok(Mapping(m))
    }

    /// This mapping where it fits these headings, the guess elsewhere.
    pub fn or_guess(&self, headings: &[String]) -> Mapping {
        let mut m = Mapping::guess(headings).0;
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
    fn columns(&self, headings: &[String]) -> Result<Vec<(&'static str, usize)>, DomainError> {
        let mut out = vec![];
        let mut missing = vec![];
        for field in FIELDS {
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
}

/// A spreadsheet's word for a choice, as the code intake uses.
fn choice(field: &str, value: &str) -> String {
    let v = normalise(value);
    let code = match field {
        "gender" => match v.as_str() {
            "nainen" | "n" | "f" | "female" | "woman" | "kvinna" | "k" => "woman",
            "mies" | "m" | "male" | "man" => "man",
            "muu" | "other" | "annat" | "non binary" | "ei binäärinen" => "non_binary",
            _ => "",
        },
        "labour_status" => match v.as_str() {
            "työtön" | "arbetslös" | "unemployed" => "unemployed",
            "työvoiman ulkopuolella" | "utanför arbetskraften" | "inactive" => "inactive",
            "opiskelija" | "opiskelee" | "studerande" | "student" | "in education" => {
                "in_education"
            }
            "työssä" | "työllinen" | "i arbete" | "employed" => "employed",
            "yrittäjä" | "företagare" | "self employed" => "self_employed",
            _ => "",
        },
        "education" => match v.trim_start_matches("isced ") {
            "0" | "1" | "2" | "0 2" | "perusaste" | "grundskola" => "isced_0_2",
            "3" | "toinen aste" | "andra stadiet" => "isced_3",
            "4" => "isced_4",
            "5" => "isced_5",
            "6" => "isced_6",
            "7" => "isced_7",
            "8" => "isced_8",
            _ => "",
        },
        "disability"
        | "foreign_background"
        | "third_country_national"
        | "minority"
        | "homeless" => match v.as_str() {
            "kyllä" | "k" | "ja" | "yes" | "y" | "1" | "x" => "yes",
            "ei" | "e" | "nej" | "no" | "0" => "no",
            "ei halua vastata" | "kieltäytyi" | "vill inte svara" | "refused" => "refused",
            "" | "ei kysytty" | "not asked" => "not_asked",
            _ => "",
        },
        "exit_status" => match v.as_str() {
            "työllistyi" | "avoimet työmarkkinat" => "employed_open",
            "palkkatuki" | "palkkatuettu työ" => "employed_subsidised",
            "yrittäjäksi" | "yrittäjä" => "self_employed",
            "koulutukseen" | "koulutus" => "education",
            "tutkinto" => "qualification",
            "työnhakijana" => "job_searching",
            "työtön" => "unemployed",
            "työvoiman ulkopuolelle" => "outside_labour_force",
            "ei tiedossa" => "unknown",
            _ => "",
        },
        _ => "",
    };
    if code.is_empty() {
        // A code typed as such (or a word not known here, which intake then refuses).
        value.trim().replace(' ', "_").to_lowercase()
    } else {
        code.to_string()
    }
}

/// One row as it will be stored.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub intake: Intake,
    pub exit: Option<Exit>,
}

/// Everything wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Default)]
pub struct Checked {
    pub rows: Vec<Row>,
    pub errors: Vec<RowError>,
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
    let columns = mapping.columns(headings)?;
    let mut out = Checked::default();
    for (line, cells) in rows {
        let values: BTreeMap<&str, &str> = columns
            .iter()
            .map(|(f, i)| (*f, cells.get(*i).map_or("", |s| s.trim())))
            .collect();
        match check_row(&values, project, consent, today) {
            Ok((intake, exit)) => out.rows.push(Row {
                line: *line,
                intake,
                exit,
            }),
            Err(errors) => out.errors.push(RowError {
                line: *line,
                errors,
            }),
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
    let c = |field: &str| choice(field, get(field));
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

    fn headings() -> Vec<String> {
        [
            "Etunimi",
            "Sukunimi",
            "Henkilötunnus",
            "Kunta",
            "Aloituspäivä",
            "Sukupuoli",
            "Koulutustaso",
            "Poistumispäivä",
            "Tilanne poistuessa",
        ]
        .map(String::from)
        .to_vec()
    }

    fn row(line: usize, cells: [&str; 9]) -> (usize, Vec<String>) {
        (line, cells.map(String::from).to_vec())
    }

    #[test]
    fn headings_are_recognised_in_finnish_swedish_and_english() {
        let m = Mapping::guess(&headings());
        assert_eq!(m.0.get("hetu").map(String::as_str), Some("Henkilötunnus"));
        assert_eq!(
            m.0.get("exit_status").map(String::as_str),
            Some("Tilanne poistuessa")
        );
        let sv = Mapping::guess(&["Förnamn".into(), "Efternamn".into(), "Hemkommun".into()]);
        assert_eq!(sv.0.len(), 3);
        let en = Mapping::guess(&["First name".into(), "Date of birth".into()]);
        assert_eq!(
            en.0.get("birth_date").map(String::as_str),
            Some("Date of birth")
        );
        let spec =
            Mapping::parse_spec("first_name=Nimi, municipality=Kotikunta").map(|m| m.0.len());
        assert_eq!(spec, Ok(2));
        assert!(Mapping::parse_spec("shoe_size=Koko").is_err());
    }

    #[test]
    fn every_error_of_every_row_is_reported() {
        let rows = vec![
            row(
                2,
                [
                    "Maija",
                    "Virtanen",
                    "131052-308T",
                    "Kuopio",
                    "1.2.2026",
                    "nainen",
                    "3",
                    "",
                    "",
                ],
            ),
            row(
                3,
                [
                    "Pekka",
                    "",
                    "131052-308X",
                    "Atlantis",
                    "1.2.2027",
                    "",
                    "",
                    "",
                    "",
                ],
            ),
            row(
                4,
                [
                    "Liisa",
                    "Laine",
                    "010160-9984",
                    "Salo",
                    "2026-02-01",
                    "N",
                    "isced 7",
                    "1.3.2026",
                    "työllistyi",
                ],
            ),
        ];
        let c = check(
            &headings(),
            &rows,
            &Mapping::guess(&headings()),
            ProjectId(1),
            true,
            today(),
        );
        let c = c.unwrap_or_default();
        assert_eq!(c.rows.len(), 2, "{:?}", c.errors);
        assert_eq!(c.errors.len(), 1);
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
        assert_eq!(
            liisa.intake.entry_date,
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default(),
            "ISO dates too"
        );
        assert_eq!(
            liisa.exit.map(|e| e.status),
            Some(crate::participant::ExitStatus::EmployedOpen)
        );
    }

    #[test]
    fn a_person_twice_is_a_duplicate() {
        let rows = vec![
            row(
                2,
                [
                    "Maija",
                    "Virtanen",
                    "131052-308T",
                    "Kuopio",
                    "1.2.2026",
                    "",
                    "",
                    "",
                    "",
                ],
            ),
            row(
                3,
                [
                    "Maija",
                    "Virtanen",
                    "131052-308T",
                    "Kuopio",
                    "1.2.2026",
                    "",
                    "",
                    "",
                    "",
                ],
            ),
        ];
        let mut c = check(
            &headings(),
            &rows,
            &Mapping::guess(&headings()),
            ProjectId(1),
            true,
            today(),
        )
        .unwrap_or_default();
        reject_duplicates(
            &mut c,
            &|h| h.as_str().to_string(),
            &HashSet::new(),
            &HashSet::new(),
        );
        assert_eq!((c.rows.len(), c.errors.len()), (1, 1));
        assert_eq!(c.errors[0].errors[0].code, ErrorCode::Duplicate);
    }
}
