//! Employers in a project's register: who they are (Y-tunnus, industry, size), their contact
//! persons, and the timeline of what was done with them. Openings and placements are in
//! [`crate::placement`].

use crate::dates::{parse_date, parse_optional_date};
use crate::error::Errors;
use crate::text::{optional, optional_int, required};
use crate::validated::{BusinessId, Email, Municipality};
use crate::{DomainError, ErrorCode};
use chrono::NaiveDate;

crate::choice_enum!(
    /// The main classes (sections) of Statistics Finland's Standard Industrial Classification
    /// TOL 2008.
    Industry {
        A = "A", B = "B", C = "C", D = "D", E = "E", F = "F", G = "G", H = "H", I = "I", J = "J",
        K = "K", L = "L", M = "M", N = "N", O = "O", P = "P", Q = "Q", R = "R", S = "S", T = "T",
        U = "U",
    }
);

crate::choice_enum!(
    /// Size by personnel, as Statistics Finland's enterprise register classes them.
    SizeClass { Micro = "micro", Small = "small", Medium = "medium", Large = "large" }
);

crate::choice_enum!(
    /// What was done with an employer: the seeds' ways of working (AURA's employer brunches,
    /// VOIMA's recruitment events and campaigns).
    InteractionKind {
        Visit = "visit",
        Call = "call",
        Email = "email",
        Brunch = "brunch",
        RecruitmentEvent = "recruitment_event",
        Campaign = "campaign",
        InfoSession = "info_session",
        NetworkMeeting = "network_meeting",
    }
);

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct EmployerForm {
    pub business_id: String,
    pub name: String,
    pub industry: String,
    pub size_class: String,
    /// The employer's municipality, by name or code.
    pub town: String,
    pub address: String,
    /// "on" when the employer agreed to be contacted.
    pub contact_consent: Option<String>,
    pub owner_id: String,
    pub notes: String,
    pub version: String,
    /// "on" to save although another employer of the register has the same name.
    pub same_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewEmployer {
    pub business_id: BusinessId,
    pub name: String,
    pub industry: Option<Industry>,
    pub size_class: Option<SizeClass>,
    pub municipality: Option<Municipality>,
    pub address: Option<String>,
    pub contact_consent: bool,
    pub owner_id: Option<i64>,
    pub notes: Option<String>,
}

/// An optional choice: empty is none, anything else must be one of the choices.
fn optional_choice<T>(
    input: &str,
    parse: impl Fn(&str) -> Result<T, ErrorCode>,
) -> Result<Option<T>, ErrorCode> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

impl EmployerForm {
    pub fn parse(&self) -> Result<NewEmployer, DomainError> {
        let mut e = Errors::new();
        let business_id = e.take("business_id", BusinessId::parse(&self.business_id));
        let name = e.take("name", required(&self.name, 200));
        let industry = e.take("industry", optional_choice(&self.industry, Industry::parse));
        let size_class = e.take(
            "size_class",
            optional_choice(&self.size_class, SizeClass::parse),
        );
        let municipality = e.take("town", optional_choice(&self.town, Municipality::parse));
        let address = e.take("address", optional(&self.address, 300));
        let owner_id = e.take("owner_id", optional_int(&self.owner_id, 1, i64::MAX));
        let notes = e.take("notes", optional(&self.notes, 4000));
        e.into_result()?;
        let internal = || DomainError::field("form", ErrorCode::Internal);
        Ok(NewEmployer {
            business_id: business_id.ok_or_else(internal)?,
            name: name.unwrap_or_default(),
            industry: industry.flatten(),
            size_class: size_class.flatten(),
            municipality: municipality.flatten(),
            address: address.flatten(),
            contact_consent: self.contact_consent.as_deref() == Some("on"),
            owner_id: owner_id.flatten(),
            notes: notes.flatten(),
        })
    }
}

/// A contact person at an employer.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ContactPersonForm {
    pub name: String,
    pub role: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct NewContactPerson {
    pub name: String,
    pub role: Option<String>,
    pub phone: Option<String>,
    pub email: Option<Email>,
}

impl ContactPersonForm {
    pub fn parse(&self) -> Result<NewContactPerson, DomainError> {
        let mut e = Errors::new();
        let name = e.take("name", crate::text::name(&self.name, 200));
        let role = e.take("role", optional(&self.role, 200));
        let phone = e.take("phone", optional(&self.phone, 40));
        let email = e.take("email", optional_choice(&self.email, Email::parse));
        e.into_result()?;
        Ok(NewContactPerson {
            name: name.unwrap_or_default(),
            role: role.flatten(),
            phone: phone.flatten(),
            email: email.flatten(),
        })
    }
}

/// Something done with an employer, for its timeline: who took part (participants by id;
/// others only counted), what needs the employer told about, and a follow-up task.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct InteractionForm {
    /// The project the work was for, which then counts the employer as participating.
    pub project_id: String,
    pub kind: String,
    pub date: String,
    pub summary: String,
    /// Skill and recruitment needs the employer told about.
    pub needs: String,
    /// Attendees who are not participants: counted, not registered.
    pub others_count: String,
    pub follow_up_date: String,
    pub follow_up_task: String,
}

crate::choice_enum!(
    /// Who took part in an interaction: the project's staff, the employer's contact persons,
    /// participants.
    AttendeeKind { Staff = "staff", Contact = "contact", Participant = "participant" }
);

/// Who took part in an interaction besides whoever recorded it, as ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attendees(pub Vec<(AttendeeKind, i64)>);

impl Attendees {
    /// From a form's pairs: `staff_id`, `contact_id` and `participant_id`, each any number of
    /// times (a box ticked or an option chosen per person).
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Attendees, DomainError> {
        let mut out = vec![];
        for (key, value) in pairs {
            let (kind, field) = match key.as_str() {
                "staff_id" => (AttendeeKind::Staff, "staff_id"),
                "contact_id" => (AttendeeKind::Contact, "contact_id"),
                "participant_id" => (AttendeeKind::Participant, "participant_id"),
                _ => continue,
            };
            let id = value
                .trim()
                .parse::<i64>()
                .map_err(|_| DomainError::field(field, ErrorCode::ChoiceInvalid))?;
            if !out.contains(&(kind, id)) {
                out.push((kind, id));
            }
        }
        Ok(Attendees(out))
    }

    pub fn of(&self, kind: AttendeeKind) -> impl Iterator<Item = i64> + '_ {
        self.0
            .iter()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, id)| *id)
    }
}

#[derive(Debug, Clone)]
pub struct NewInteraction {
    pub project_id: Option<i64>,
    pub kind: InteractionKind,
    pub date: NaiveDate,
    pub summary: String,
    pub needs: Option<String>,
    pub others_count: i64,
    pub follow_up: Option<(NaiveDate, String)>,
}

impl InteractionForm {
    pub fn parse(&self) -> Result<NewInteraction, DomainError> {
        let mut e = Errors::new();
        let project_id = e.take("project_id", optional_int(&self.project_id, 1, i64::MAX));
        let kind = e.take("kind", InteractionKind::parse(&self.kind));
        let date = e.take("date", parse_date(&self.date));
        let summary = e.take("summary", required(&self.summary, 4000));
        let needs = e.take("needs", optional(&self.needs, 4000));
        let others = e.take("others_count", optional_int(&self.others_count, 0, 100_000));
        let due = e.take("follow_up_date", parse_optional_date(&self.follow_up_date));
        let task = e.take("follow_up_task", optional(&self.follow_up_task, 500));
        let follow_up = match (due.flatten(), task.flatten()) {
            (Some(d), Some(t)) => Some((d, t)),
            (Some(_), None) => {
                e.push("follow_up_task", ErrorCode::Required);
                None
            }
            (None, Some(_)) => {
                e.push("follow_up_date", ErrorCode::Required);
                None
            }
            (None, None) => None,
        };
        e.into_result()?;
        match (kind, date) {
            (Some(kind), Some(date)) => Ok(NewInteraction {
                project_id: project_id.flatten(),
                kind,
                date,
                summary: summary.unwrap_or_default(),
                needs: needs.flatten(),
                others_count: others.flatten().unwrap_or(0),
                follow_up,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_employer_needs_a_valid_business_id_and_a_name() {
        let f = EmployerForm {
            business_id: "0112038-8".into(),
            name: "Yrityssalo Oy".into(),
            industry: "N".into(),
            town: "Salo".into(),
            ..Default::default()
        };
        let Err(DomainError::Invalid(errors)) = f.parse() else {
            panic!("a wrong check digit must be refused");
        };
        assert_eq!(errors[0].field, "business_id");
        assert_eq!(errors[0].code, ErrorCode::BusinessIdChecksum);
        let ok = EmployerForm {
            business_id: "0112038-9".into(),
            ..f
        }
        .parse()
        .map_err(|e| format!("{e:?}"));
        let ok = ok.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.industry, Some(Industry::N));
        assert_eq!(ok.municipality.map(|m| m.code()), Some("734"));
    }

    #[test]
    fn a_follow_up_needs_both_its_date_and_its_task() {
        let f = InteractionForm {
            kind: "visit".into(),
            date: "2.3.2026".into(),
            summary: "Tutustumiskäynti".into(),
            follow_up_date: "16.3.2026".into(),
            ..Default::default()
        };
        let Err(DomainError::Invalid(errors)) = f.parse() else {
            panic!("a follow-up date without a task must be refused");
        };
        assert_eq!(errors[0].field, "follow_up_task");
    }
}
