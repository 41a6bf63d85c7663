//! An ESF project as the funder's form describes it.

use crate::dates::parse_date;
use crate::eligibility::Rules;
use crate::error::Errors;
use crate::participant::{Education, LabourStatus};
use crate::text::{euros_to_cents, optional, optional_int, required};
use crate::validated::Municipality;
use crate::{DomainError, ErrorCode};
use chrono::{Datelike, NaiveDate};

/// Project fields as text (the web form and the API); dates d.m.yyyy or yyyy-mm-dd, euros as typed
/// in Finland ("373 016,50"), municipalities comma separated. `version` is required on edits.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProjectForm {
    pub code: String,
    pub name: String,
    pub funding_line: String,
    pub objective: String,
    pub start_date: String,
    pub end_date: String,
    pub authority: String,
    /// Municipalities, comma separated (codes or names).
    pub municipalities: String,
    pub target_participants: String,
    pub target_companies: String,
    pub budget_public: String,
    /// EU and state funding granted.
    pub budget_granted: String,
    /// Public funding realised so far.
    pub budget_realised: String,
    pub owner_org_id: String,
    /// The funder's final payment (d.m.yyyy), from which the retention period runs.
    pub final_payment_date: String,
    /// Years the records are kept after the year of the final payment; default 5.
    pub retention_years: String,
    pub version: String,
}

#[derive(Debug, Clone)]
pub struct ProjectDraft {
    pub code: String,
    pub name: String,
    pub funding_line: Option<String>,
    pub objective: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub authority: Option<String>,
    pub municipalities: Vec<Municipality>,
    pub target_participants: Option<i64>,
    pub target_companies: Option<i64>,
    pub budget_public_cents: Option<i64>,
    pub budget_granted_cents: Option<i64>,
    pub budget_realised_cents: Option<i64>,
    pub owner_org_id: Option<i64>,
    pub final_payment_date: Option<NaiveDate>,
    pub retention_years: i64,
    /// Present on edits: the version the user saw.
    pub version: Option<i64>,
}

/// ESF project codes are a letter and five digits (S20363); older projects have none, so
/// we accept 2–20 letters, digits and hyphens.
/// ESF+ records are kept five years from 31 December of the year of the final payment (CPR,
/// Regulation (EU) 2021/1060, Art. 82) unless the funder sets another period.
pub const DEFAULT_RETENTION_YEARS: i64 = 5;

/// The first day on which a project's personal data may be erased: the day after 31 December of
/// the year of the final payment plus the retention years. `None` while there is no final
/// payment.
pub fn erase_from(final_payment: Option<NaiveDate>, years: i64) -> Option<NaiveDate> {
    let year = final_payment?.year() + i32::try_from(years).ok()? + 1;
    NaiveDate::from_ymd_opt(year, 1, 1)
}

pub fn parse_project_code(s: &str) -> Result<String, ErrorCode> {
    let s = s.trim().to_uppercase();
    if s.is_empty() {
        return Err(ErrorCode::Required);
    }
    if (2..=20).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Ok(s)
    } else {
        Err(ErrorCode::ProjectCodeInvalid)
    }
}

impl ProjectForm {
    pub fn parse(&self) -> Result<ProjectDraft, DomainError> {
        let mut e = Errors::new();
        let code = e.take("code", parse_project_code(&self.code));
        let name = e.take("name", required(&self.name, 200));
        let funding_line = e
            .take("funding_line", optional(&self.funding_line, 300))
            .flatten();
        let objective = e
            .take("objective", optional(&self.objective, 500))
            .flatten();
        let start_date = e.take("start_date", parse_date(&self.start_date));
        let end_date = e.take("end_date", parse_date(&self.end_date));
        if let (Some(s), Some(en)) = (start_date, end_date) {
            if en < s {
                e.push("end_date", ErrorCode::DateRange);
            }
        }
        let authority = e
            .take("authority", optional(&self.authority, 300))
            .flatten();
        let mut municipalities = Vec::new();
        for part in self
            .municipalities
            .split(',')
            .filter(|p| !p.trim().is_empty())
        {
            if let Some(m) = e.take("municipalities", Municipality::parse(part)) {
                if !municipalities.contains(&m) {
                    municipalities.push(m);
                }
            }
        }
        let target_participants = e
            .take(
                "target_participants",
                optional_int(&self.target_participants, 0, 10_000_000),
            )
            .flatten();
        let target_companies = e
            .take(
                "target_companies",
                optional_int(&self.target_companies, 0, 10_000_000),
            )
            .flatten();
        let budget_public_cents = e
            .take("budget_public", euros_to_cents(&self.budget_public))
            .flatten();
        let budget_granted_cents = e
            .take("budget_granted", euros_to_cents(&self.budget_granted))
            .flatten();
        let budget_realised_cents = e
            .take("budget_realised", euros_to_cents(&self.budget_realised))
            .flatten();
        let owner_org_id = e
            .take(
                "owner_org_id",
                optional_int(&self.owner_org_id, 1, i64::MAX),
            )
            .flatten();
        let final_payment_date = e
            .take(
                "final_payment_date",
                crate::dates::parse_optional_date(&self.final_payment_date),
            )
            .flatten();
        let retention_years = e
            .take(
                "retention_years",
                optional_int(&self.retention_years, 1, 50),
            )
            .flatten()
            .unwrap_or(DEFAULT_RETENTION_YEARS);
        let version = e
            .take("version", optional_int(&self.version, 0, i64::MAX))
            .flatten();
        e.into_result()?;
        match (code, name, start_date, end_date) {
            (Some(code), Some(name), Some(start_date), Some(end_date)) => Ok(ProjectDraft {
                code,
                name,
                funding_line,
                objective,
                start_date,
                end_date,
                authority,
                municipalities,
                target_participants,
                target_companies,
                budget_public_cents,
                budget_granted_cents,
                budget_realised_cents,
                owner_org_id,
                final_payment_date,
                retention_years,
                version,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_runs_from_the_end_of_the_final_payment_year() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(erase_from(d(2021, 3, 15), 5), d(2027, 1, 1));
        assert_eq!(erase_from(d(2021, 12, 31), 10), d(2032, 1, 1));
        assert_eq!(erase_from(None, 5), None);
    }

    #[test]
    fn aura_project_parses() {
        let f = ProjectForm {
            code: "s20363".into(),
            name: "AURA".into(),
            start_date: "1.9.2015".into(),
            end_date: "31.12.2017".into(),
            municipalities: "Vantaa, Espoo".into(),
            budget_public: "373 016".into(),
            ..Default::default()
        };
        let p = f.parse().unwrap();
        assert_eq!(p.code, "S20363");
        assert_eq!(
            p.municipalities
                .iter()
                .map(|m| m.code())
                .collect::<Vec<_>>(),
            ["092", "049"]
        );
        assert_eq!(p.budget_public_cents, Some(37_301_600));
    }

    #[test]
    fn end_before_start_is_refused() {
        let f = ProjectForm {
            code: "X1".into(),
            name: "x".into(),
            start_date: "1.9.2015".into(),
            end_date: "31.8.2015".into(),
            ..Default::default()
        };
        assert!(
            matches!(f.parse(), Err(DomainError::Invalid(v)) if v[0].field == "end_date" && v[0].code == ErrorCode::DateRange)
        );
    }
}

/// A target group as typed: its name and eligibility rules.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct TargetGroupForm {
    pub name: String,
    pub min_age: String,
    pub max_age: String,
    pub municipalities: String,
    pub min_education: String,
    pub min_subsidy_days: String,
    pub min_unemployed_months: String,
    pub requires_partial_work_ability: Option<String>,
    pub unemployed_only: Option<String>,
}

impl TargetGroupForm {
    pub fn parse(&self) -> Result<(String, Rules), DomainError> {
        let mut e = Errors::new();
        let name = e.take("name", required(&self.name, 200));
        let min_age = e
            .take("min_age", optional_int(&self.min_age, 15, 100))
            .flatten();
        let max_age = e
            .take("max_age", optional_int(&self.max_age, 15, 100))
            .flatten();
        let mut municipalities = vec![];
        for m in self
            .municipalities
            .split(',')
            .filter(|m| !m.trim().is_empty())
        {
            if let Some(m) = e.take("municipalities", Municipality::parse(m)) {
                municipalities.push(m.code().to_string());
            }
        }
        let min_education = e
            .take(
                "min_education",
                if self.min_education.is_empty() {
                    Ok(None)
                } else {
                    Education::parse(&self.min_education).map(|e| Some(e.level()))
                },
            )
            .flatten();
        let min_subsidy_days = e
            .take(
                "min_subsidy_days",
                optional_int(&self.min_subsidy_days, 0, 20_000),
            )
            .flatten();
        let min_unemployed_months = e
            .take(
                "min_unemployed_months",
                optional_int(&self.min_unemployed_months, 0, 600),
            )
            .flatten();
        e.into_result()?;
        let rules = Rules {
            min_age: min_age.map(|v| v as i32),
            max_age: max_age.map(|v| v as i32),
            municipalities,
            min_education,
            max_education: None,
            min_subsidy_days,
            min_unemployed_months: min_unemployed_months.map(|v| v as i32),
            requires_partial_work_ability: self.requires_partial_work_ability.is_some(),
            labour_statuses: if self.unemployed_only.is_some() {
                vec![LabourStatus::Unemployed]
            } else {
                vec![]
            },
        };
        Ok((name.unwrap_or_default(), rules))
    }
}
