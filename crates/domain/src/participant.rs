//! A participant's intake (ESF+ entry data), plan, consents and exit.

use crate::dates::{parse_date, parse_optional_date};
use crate::error::Errors;
use crate::ids::{ProjectId, TargetGroupId, UserId};
use crate::special::SpecialCategories;
use crate::text::{optional, optional_int, required, Checkbox};
use crate::validated::{Email, Hetu, HetuSex, Municipality, PostalCode};
use crate::{DomainError, ErrorCode};
use chrono::NaiveDate;

crate::choice_enum!(Gender { Woman = "woman", Man = "man", NonBinary = "non_binary" });

crate::choice_enum!(
    /// ISCED 2011 levels, grouped as ESF+ reports them (0–2, 3–4, 5–8).
    Education {
        Basic = "isced_0_2",
        UpperSecondary = "isced_3",
        PostSecondary = "isced_4",
        ShortTertiary = "isced_5",
        Bachelor = "isced_6",
        Master = "isced_7",
        Doctoral = "isced_8",
    }
);

impl Education {
    /// The ISCED level's upper bound, for comparisons in eligibility rules.
    pub fn level(self) -> u8 {
        match self {
            Education::Basic => 2,
            Education::UpperSecondary => 3,
            Education::PostSecondary => 4,
            Education::ShortTertiary => 5,
            Education::Bachelor => 6,
            Education::Master => 7,
            Education::Doctoral => 8,
        }
    }
}

crate::choice_enum!(
    /// Labour-market status at entry.
    LabourStatus {
        Unemployed = "unemployed",
        Inactive = "inactive",
        InEducation = "in_education",
        Employed = "employed",
        SelfEmployed = "self_employed",
    }
);

crate::choice_enum!(
    /// Answer to a sensitive, voluntary question. A refusal is recorded, never guessed.
    Sensitive { Yes = "yes", No = "no", Refused = "refused", NotAsked = "not_asked" }
);

crate::choice_enum!(
    ExitStatus {
        EmployedOpen = "employed_open",
        EmployedSubsidised = "employed_subsidised",
        SelfEmployed = "self_employed",
        Education = "education",
        Qualification = "qualification",
        JobSearching = "job_searching",
        OutsideLabourForce = "outside_labour_force",
        Unemployed = "unemployed",
        Unknown = "unknown",
    }
);

crate::choice_enum!(
    ConsentKind {
        DataProcessing = "data_processing",
        SensitiveData = "sensitive_data",
        ShareWithPartners = "share_with_partners",
        Surveys = "surveys",
    }
);

crate::choice_enum!(GoalKind { Work = "work", Training = "training", Entrepreneurship = "entrepreneurship", Other = "other" });
crate::choice_enum!(GoalStatus { Open = "open", Achieved = "achieved", Dropped = "dropped" });

/// The intake form as submitted (HTML form or JSON). Every field is text until parsed; dates are
/// d.m.yyyy or yyyy-mm-dd; sensitive items take `yes`, `no`, `refused` or `not_asked`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IntakeForm {
    pub project_id: String,
    pub target_group_id: String,
    pub first_name: String,
    pub last_name: String,
    pub hetu: String,
    pub birth_date: String,
    pub gender: String,
    pub email: String,
    pub phone: String,
    pub municipality: String,
    pub postal_code: String,
    pub education: String,
    pub labour_status: String,
    pub unemployed_since: String,
    pub subsidy_days: String,
    pub disability: String,
    pub foreign_background: String,
    pub third_country_national: String,
    pub minority: String,
    pub homeless: String,
    pub entry_date: String,
    pub counsellor_id: String,
    pub consent_data_processing: Checkbox,
    pub consent_sensitive_data: Checkbox,
}

/// A validated intake. Holds a `Hetu`, so Debug is redacted through it.
#[derive(Debug, Clone)]
pub struct Intake {
    pub project_id: ProjectId,
    pub target_group_id: Option<TargetGroupId>,
    pub first_name: String,
    pub last_name: String,
    pub hetu: Option<Hetu>,
    pub birth_date: NaiveDate,
    pub gender: Option<Gender>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub municipality: Municipality,
    pub postal_code: Option<PostalCode>,
    pub education: Option<Education>,
    pub labour_status: Option<LabourStatus>,
    pub unemployed_since: Option<NaiveDate>,
    pub subsidy_days: Option<i64>,
    /// Stored encrypted, as one value.
    pub special: SpecialCategories,
    pub entry_date: NaiveDate,
    pub counsellor_id: Option<UserId>,
    pub consent_data_processing: bool,
    pub consent_sensitive_data: bool,
}

fn opt_choice<T>(s: &str, parse: fn(&str) -> Result<T, ErrorCode>) -> Result<Option<T>, ErrorCode> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse(s).map(Some)
    }
}

fn sensitive(s: &str) -> Result<Sensitive, ErrorCode> {
    opt_choice(s, Sensitive::parse).map(|v| v.unwrap_or(Sensitive::NotAsked))
}

fn id(s: &str) -> Result<Option<i64>, ErrorCode> {
    optional_int(s, 1, i64::MAX)
}

impl IntakeForm {
    /// Parses every field and reports every problem at once.
    pub fn parse(&self, today: NaiveDate) -> Result<Intake, DomainError> {
        let mut e = Errors::new();
        let project_id = e.take(
            "project_id",
            id(&self.project_id).and_then(|v| v.ok_or(ErrorCode::Required)),
        );
        let target_group_id = e
            .take("target_group_id", id(&self.target_group_id))
            .flatten();
        let first_name = e.take("first_name", crate::text::name(&self.first_name, 100));
        let last_name = e.take("last_name", crate::text::name(&self.last_name, 100));
        let hetu = e
            .take("hetu", opt_choice(&self.hetu, Hetu::parse))
            .flatten();
        let typed_birth = e
            .take("birth_date", parse_optional_date(&self.birth_date))
            .flatten();
        let birth_date = match (&hetu, typed_birth) {
            (Some(h), Some(b)) if h.birth_date() != b => {
                e.push("birth_date", ErrorCode::DateRange);
                None
            }
            (Some(h), _) => Some(h.birth_date()),
            (None, Some(b)) => Some(b),
            (None, None) => {
                if self.hetu.trim().is_empty() {
                    e.push("birth_date", ErrorCode::Required);
                }
                None
            }
        };
        if birth_date.is_some_and(|b| b > today) {
            e.push("birth_date", ErrorCode::DateRange);
        }
        let gender = e
            .take("gender", opt_choice(&self.gender, Gender::parse))
            .flatten();
        // A hetu's individual number states legal sex; a different self-reported gender is allowed
        // (non-binary, corrected records), so we only fill it in when the form leaves it empty.
        let gender = gender.or_else(|| {
            hetu.as_ref().map(|h| match h.sex() {
                HetuSex::Female => Gender::Woman,
                HetuSex::Male => Gender::Man,
            })
        });
        let email = e
            .take("email", opt_choice(&self.email, Email::parse))
            .flatten();
        let phone = e.take("phone", optional(&self.phone, 40)).flatten();
        let postal_code = e
            .take(
                "postal_code",
                opt_choice(&self.postal_code, PostalCode::parse),
            )
            .flatten();
        // A postal code fills in an empty municipality.
        let from_postal = postal_code
            .as_ref()
            .and_then(|p| Municipality::of_postal_code(p.as_str()));
        let municipality = e.take(
            "municipality",
            match (self.municipality.trim().is_empty(), from_postal) {
                (true, Some(m)) => Ok(m),
                (true, None) => Err(ErrorCode::Required),
                (false, _) => Municipality::parse(&self.municipality),
            },
        );
        let education = e
            .take("education", opt_choice(&self.education, Education::parse))
            .flatten();
        let labour_status = e
            .take(
                "labour_status",
                opt_choice(&self.labour_status, LabourStatus::parse),
            )
            .flatten();
        let unemployed_since = e
            .take(
                "unemployed_since",
                parse_optional_date(&self.unemployed_since),
            )
            .flatten();
        let subsidy_days = e
            .take("subsidy_days", optional_int(&self.subsidy_days, 0, 20_000))
            .flatten();
        let disability = e.take("disability", sensitive(&self.disability));
        let foreign_background = e.take("foreign_background", sensitive(&self.foreign_background));
        let third_country_national = e.take(
            "third_country_national",
            sensitive(&self.third_country_national),
        );
        let minority = e.take("minority", sensitive(&self.minority));
        let homeless = e.take("homeless", sensitive(&self.homeless));
        let entry_date = e.take("entry_date", parse_date(&self.entry_date));
        if let (Some(since), Some(entry)) = (unemployed_since, entry_date) {
            if since > entry {
                e.push("unemployed_since", ErrorCode::DateRange);
            }
        }
        let counsellor_id = e
            .take("counsellor_id", id(&self.counsellor_id))
            .flatten()
            .map(UserId);
        let consent_data_processing = self.consent_data_processing.0;
        if !consent_data_processing {
            e.push("consent_data_processing", ErrorCode::Required);
        }
        e.into_result()?;
        match (
            project_id,
            first_name,
            last_name,
            birth_date,
            municipality,
            disability,
            foreign_background,
            third_country_national,
            minority,
            homeless,
            entry_date,
        ) {
            (
                Some(p),
                Some(f),
                Some(l),
                Some(b),
                Some(m),
                Some(d),
                Some(fb),
                Some(t),
                Some(mi),
                Some(h),
                Some(en),
            ) => Ok(Intake {
                project_id: ProjectId(p),
                target_group_id: target_group_id.map(TargetGroupId),
                first_name: f,
                last_name: l,
                hetu,
                birth_date: b,
                gender,
                email,
                phone,
                municipality: m,
                postal_code,
                education,
                labour_status,
                unemployed_since,
                subsidy_days,
                special: SpecialCategories {
                    disability: d,
                    foreign_background: fb,
                    third_country_national: t,
                    minority: mi,
                    homeless: h,
                },
                entry_date: en,
                counsellor_id,
                consent_data_processing,
                consent_sensitive_data: self.consent_sensitive_data.0,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

/// Leaving the project.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ExitForm {
    pub exit_date: String,
    pub exit_status: String,
    /// Gained a qualification upon leaving, whatever the status (ESF+ EECR03).
    pub qualification: Checkbox,
    /// In education or training upon leaving, beside the status (ESF+ EECR02).
    pub in_education: Checkbox,
    pub version: String,
}

#[derive(Debug, Clone, Copy)]
pub struct Exit {
    pub date: NaiveDate,
    pub status: ExitStatus,
    /// Set also when the status itself is "qualification" or "education".
    pub qualification: bool,
    pub in_education: bool,
    pub version: i64,
}

impl ExitForm {
    pub fn parse(&self, entry_date: NaiveDate) -> Result<Exit, DomainError> {
        let mut e = Errors::new();
        let date = e.take("exit_date", parse_date(&self.exit_date));
        if date.is_some_and(|d| d < entry_date) {
            e.push("exit_date", ErrorCode::DateRange);
        }
        let status = e.take("exit_status", ExitStatus::parse(&self.exit_status));
        let version = e.take(
            "version",
            optional_int(&self.version, 0, i64::MAX).and_then(|v| v.ok_or(ErrorCode::Required)),
        );
        e.into_result()?;
        match (date, status, version) {
            (Some(date), Some(status), Some(version)) => Ok(Exit {
                date,
                status,
                qualification: self.qualification.0 || status == ExitStatus::Qualification,
                in_education: self.in_education.0 || status == ExitStatus::Education,
                version,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct GoalForm {
    pub kind: String,
    pub description: String,
    pub target_date: String,
}

#[derive(Debug, Clone)]
pub struct NewGoal {
    pub kind: GoalKind,
    pub description: String,
    pub target_date: Option<NaiveDate>,
}

impl GoalForm {
    pub fn parse(&self) -> Result<NewGoal, DomainError> {
        let mut e = Errors::new();
        let kind = e.take("kind", GoalKind::parse(&self.kind));
        let description = e.take("description", required(&self.description, 2000));
        let target_date = e
            .take("target_date", parse_optional_date(&self.target_date))
            .flatten();
        e.into_result()?;
        match (kind, description) {
            (Some(kind), Some(description)) => Ok(NewGoal {
                kind,
                description,
                target_date,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct StepForm {
    pub description: String,
    pub due_date: String,
}

#[derive(Debug, Clone)]
pub struct NewStep {
    pub description: String,
    pub due_date: Option<NaiveDate>,
}

impl StepForm {
    pub fn parse(&self) -> Result<NewStep, DomainError> {
        let mut e = Errors::new();
        let description = e.take("description", required(&self.description, 2000));
        let due_date = e
            .take("due_date", parse_optional_date(&self.due_date))
            .flatten();
        e.into_result()?;
        description
            .map(|description| NewStep {
                description,
                due_date,
            })
            .ok_or_else(|| DomainError::field("form", ErrorCode::Internal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> IntakeForm {
        IntakeForm {
            project_id: "1".into(),
            first_name: "Maija".into(),
            last_name: "Meikäläinen".into(),
            hetu: "131052-308T".into(),
            municipality: "Vantaa".into(),
            entry_date: "1.10.2015".into(),
            consent_data_processing: Checkbox(true),
            ..Default::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default()
    }

    #[test]
    fn municipality_by_name_in_either_language_or_from_the_postal_code() {
        let code = |municipality: &str, postal: &str| {
            IntakeForm {
                municipality: municipality.into(),
                postal_code: postal.into(),
                ..form()
            }
            .parse(today())
            .map(|i| i.municipality.code())
            .map_err(|e| e.to_string())
        };
        assert_eq!(code("Kuopio", ""), Ok("297"));
        assert_eq!(code("Jakobstad", ""), Ok("598"));
        assert_eq!(code("", "70100"), Ok("297"));
        assert_eq!(code("Vantaa", "70100"), Ok("092"), "what was typed wins");
        assert!(code("", "").is_err());
        assert!(code("", "98765").is_err(), "no such postal code");
        assert_eq!(code("", "99999"), Ok("698"), "Korvatunturi, Rovaniemi");
    }

    #[test]
    fn valid_intake_derives_birth_date_and_gender() {
        let i = form().parse(today()).map_err(|e| e.to_string());
        let i = i
            .as_ref()
            .map(|i| (i.birth_date, i.gender, i.special.disability));
        assert_eq!(
            i,
            Ok((
                NaiveDate::from_ymd_opt(1952, 10, 13).unwrap_or_default(),
                Some(Gender::Woman),
                Sensitive::NotAsked
            ))
        );
    }

    #[test]
    fn all_errors_reported_at_once() {
        let mut f = form();
        f.hetu = "131052-308A".into();
        f.entry_date = "32.1.2015".into();
        f.email = "nope".into();
        f.consent_data_processing = Checkbox(false);
        let Err(DomainError::Invalid(errs)) = f.parse(today()) else {
            panic!("expected errors");
        };
        let got: Vec<_> = errs.iter().map(|e| (e.field, e.code)).collect();
        assert!(got.contains(&("hetu", ErrorCode::HetuChecksum)));
        assert!(got.contains(&("entry_date", ErrorCode::DateInvalid)));
        assert!(got.contains(&("email", ErrorCode::EmailInvalid)));
        assert!(got.contains(&("consent_data_processing", ErrorCode::Required)));
    }

    #[test]
    fn exit_before_entry_is_refused() {
        let entry = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
        let f = ExitForm {
            exit_date: "31.12.2015".into(),
            exit_status: "employed_open".into(),
            version: "1".into(),
            ..Default::default()
        };
        assert!(
            matches!(f.parse(entry), Err(DomainError::Invalid(v)) if v[0].code == ErrorCode::DateRange)
        );
    }

    #[test]
    fn a_qualification_and_education_are_recorded_beside_the_status() {
        let entry = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
        let exit = |status: &str, qualification: bool| {
            ExitForm {
                exit_date: "1.6.2016".into(),
                exit_status: status.into(),
                qualification: Checkbox(qualification),
                version: "1".into(),
                ..Default::default()
            }
            .parse(entry)
            .map(|e| (e.status, e.qualification, e.in_education))
            .map_err(|e| e.to_string())
        };
        let employed = ExitStatus::EmployedOpen;
        assert_eq!(exit("employed_open", true), Ok((employed, true, false)));
        assert_eq!(exit("employed_open", false), Ok((employed, false, false)));
        let q = ExitStatus::Qualification;
        assert_eq!(exit("qualification", false), Ok((q, true, false)));
        let edu = ExitStatus::Education;
        assert_eq!(exit("education", false), Ok((edu, false, true)));
    }
}
