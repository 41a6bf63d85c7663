//! Target groups and the eligibility rules that explain their verdict.

use crate::participant::{Education, LabourStatus, Sensitive};
use serde::{Deserialize, Serialize};

/// Rules of one target group. Every `None`/empty rule is "no requirement".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    /// Municipality codes.
    pub municipalities: Vec<String>,
    /// Minimum ISCED level (e.g. 5 for "highly educated").
    pub min_education: Option<u8>,
    pub max_education: Option<u8>,
    pub min_subsidy_days: Option<i64>,
    pub min_unemployed_months: Option<i32>,
    pub requires_partial_work_ability: bool,
    /// Accepted labour-market statuses; empty means any.
    pub labour_statuses: Vec<LabourStatus>,
}

/// What we know of a person when checking eligibility.
#[derive(Debug, Clone)]
pub struct Facts {
    pub age: Option<i32>,
    pub municipality: Option<String>,
    pub education: Option<Education>,
    pub subsidy_days: Option<i64>,
    pub unemployed_months: Option<i32>,
    pub partial_work_ability: Sensitive,
    pub labour_status: Option<LabourStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// The fact is missing or was refused: the counsellor must ask, the system does not guess.
    Unknown,
}

/// One rule's verdict with what was required and what was found, for the UI to explain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Fluent key suffix: `elig-<rule>`.
    pub rule: &'static str,
    pub required: String,
    pub found: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub outcome: Outcome,
    pub checks: Vec<Check>,
}

fn check<T: PartialOrd + ToString + Copy>(
    rule: &'static str,
    required: String,
    found: Option<T>,
    ok: impl Fn(T) -> bool,
) -> Check {
    let (outcome, found) = match found {
        None => (Outcome::Unknown, "—".to_string()),
        Some(v) => (
            if ok(v) { Outcome::Pass } else { Outcome::Fail },
            v.to_string(),
        ),
    };
    Check {
        rule,
        required,
        found,
        outcome,
    }
}

impl Outcome {
    /// Fluent key for the UI.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Pass => "elig-pass",
            Outcome::Fail => "elig-fail",
            Outcome::Unknown => "elig-unknown",
        }
    }
}

impl Check {
    pub fn rule_key(&self) -> String {
        format!("elig-{}", self.rule)
    }
    pub fn outcome_key(&self) -> &'static str {
        self.outcome.key()
    }
}

impl Verdict {
    pub fn outcome_key(&self) -> &'static str {
        self.outcome.key()
    }
}

impl Rules {
    pub fn evaluate(&self, f: &Facts) -> Verdict {
        let mut checks = Vec::new();
        if let Some(min) = self.min_age {
            checks.push(check("min-age", format!("≥ {min}"), f.age, |a| a >= min));
        }
        if let Some(max) = self.max_age {
            checks.push(check("max-age", format!("≤ {max}"), f.age, |a| a <= max));
        }
        if !self.municipalities.is_empty() {
            let (outcome, found) = match &f.municipality {
                None => (Outcome::Unknown, "—".to_string()),
                Some(m) => (
                    if self.municipalities.contains(m) {
                        Outcome::Pass
                    } else {
                        Outcome::Fail
                    },
                    m.clone(),
                ),
            };
            checks.push(Check {
                rule: "municipality",
                required: self.municipalities.join(", "),
                found,
                outcome,
            });
        }
        let level = f.education.map(Education::level);
        if let Some(min) = self.min_education {
            checks.push(check(
                "min-education",
                format!("ISCED ≥ {min}"),
                level,
                |l| l >= min,
            ));
        }
        if let Some(max) = self.max_education {
            checks.push(check(
                "max-education",
                format!("ISCED ≤ {max}"),
                level,
                |l| l <= max,
            ));
        }
        if let Some(min) = self.min_subsidy_days {
            checks.push(check(
                "subsidy-days",
                format!("≥ {min}"),
                f.subsidy_days,
                |d| d >= min,
            ));
        }
        if let Some(min) = self.min_unemployed_months {
            checks.push(check(
                "unemployed-months",
                format!("≥ {min}"),
                f.unemployed_months,
                |m| m >= min,
            ));
        }
        if self.requires_partial_work_ability {
            let outcome = match f.partial_work_ability {
                Sensitive::Yes => Outcome::Pass,
                Sensitive::No => Outcome::Fail,
                Sensitive::Refused | Sensitive::NotAsked => Outcome::Unknown,
            };
            checks.push(Check {
                rule: "partial-work-ability",
                required: "yes".into(),
                found: f.partial_work_ability.as_str().into(),
                outcome,
            });
        }
        if !self.labour_statuses.is_empty() {
            let required = self
                .labour_statuses
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let (outcome, found) = match f.labour_status {
                None => (Outcome::Unknown, "—".to_string()),
                Some(s) => (
                    if self.labour_statuses.contains(&s) {
                        Outcome::Pass
                    } else {
                        Outcome::Fail
                    },
                    s.as_str().to_string(),
                ),
            };
            checks.push(Check {
                rule: "labour-status",
                required,
                found,
                outcome,
            });
        }
        let outcome = if checks.iter().any(|c| c.outcome == Outcome::Fail) {
            Outcome::Fail
        } else if checks.iter().any(|c| c.outcome == Outcome::Unknown) {
            Outcome::Unknown
        } else {
            Outcome::Pass
        };
        Verdict { outcome, checks }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voima() -> Rules {
        Rules {
            min_subsidy_days: Some(200),
            municipalities: vec!["734".into()],
            ..Default::default()
        }
    }

    fn facts() -> Facts {
        Facts {
            age: Some(58),
            municipality: Some("734".into()),
            education: Some(Education::UpperSecondary),
            subsidy_days: Some(450),
            unemployed_months: Some(30),
            partial_work_ability: Sensitive::NotAsked,
            labour_status: Some(LabourStatus::Unemployed),
        }
    }

    #[test]
    fn verdict_explains_each_rule() {
        let v = voima().evaluate(&facts());
        assert_eq!(v.outcome, Outcome::Pass);
        assert_eq!(v.checks.len(), 2);
        let mut f = facts();
        f.subsidy_days = Some(150);
        let v = voima().evaluate(&f);
        assert_eq!(v.outcome, Outcome::Fail);
        assert_eq!(
            v.checks[1],
            Check {
                rule: "subsidy-days",
                required: "≥ 200".into(),
                found: "150".into(),
                outcome: Outcome::Fail
            }
        );
    }

    #[test]
    fn refused_sensitive_answer_is_unknown_not_fail() {
        let rules = Rules {
            requires_partial_work_ability: true,
            ..Default::default()
        };
        let mut f = facts();
        f.partial_work_ability = Sensitive::Refused;
        assert_eq!(rules.evaluate(&f).outcome, Outcome::Unknown);
        f.partial_work_ability = Sensitive::Yes;
        assert_eq!(rules.evaluate(&f).outcome, Outcome::Pass);
    }

    #[test]
    fn age_band_50_to_54() {
        let rules = Rules {
            min_age: Some(50),
            max_age: Some(54),
            ..Default::default()
        };
        let mut f = facts();
        assert_eq!(rules.evaluate(&f).outcome, Outcome::Fail);
        f.age = Some(54);
        assert_eq!(rules.evaluate(&f).outcome, Outcome::Pass);
        f.age = None;
        assert_eq!(rules.evaluate(&f).outcome, Outcome::Unknown);
    }
}
