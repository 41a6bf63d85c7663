//! The funder's report for one project: monitoring as in the seeds' "Hankkeen kuvaus" and the
//! ESF+ common indicators, with small cells suppressed for anyone but the project's own staff.
//! Every output (page, CSV, XLSX, JSON, PDF) is built from [`EsfReport`] here.

use crate::{Cell, Table};
use chrono::NaiveDate;
use polku_domain::dates::age_on;
use polku_domain::esf::{self, Record, Split};
use polku_domain::participant::ExitStatus;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ProjectFacts {
    pub code: String,
    pub name: String,
    pub owner: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub authority: Option<String>,
    pub municipalities: String,
    pub target_participants: Option<i64>,
    pub target_companies: Option<i64>,
    /// Companies taking part: the project's partner organisations of kind "company".
    pub realised_companies: i64,
    pub budget_public_cents: Option<i64>,
    pub budget_granted_cents: Option<i64>,
    pub budget_realised_cents: Option<i64>,
}

/// Age bands at first entry (Fluent keys), chosen for the seeds' target groups (45+, 50–54, 55+).
pub const AGE_BANDS: &[(&str, i32, i32)] = &[
    ("age-under-25", 0, 24),
    ("age-25-29", 25, 29),
    ("age-30-44", 30, 44),
    ("age-45-49", 45, 49),
    ("age-50-54", 50, 54),
    ("age-55-plus", 55, 200),
];

/// Exit statuses that make AURA's "employed, in training or started a business" share.
pub const EMPLOYED_TRAINING_BUSINESS: &[ExitStatus] = &[
    ExitStatus::EmployedOpen,
    ExitStatus::EmployedSubsidised,
    ExitStatus::SelfEmployed,
    ExitStatus::Education,
];

#[derive(Debug, Clone, serde::Serialize)]
pub struct EsfReport {
    pub project: ProjectFacts,
    pub indicators: esf::Report,
    /// Among persons who have left: each exit status and its count.
    pub outcomes: Vec<(ExitStatus, i64)>,
    pub gender: Split,
    pub age_bands: Vec<(&'static str, Split)>,
    /// The project's own staff see exact small numbers; everyone else sees "<5".
    pub own_staff: bool,
}

pub fn build(project: ProjectFacts, records: &[Record], own_staff: bool) -> EsfReport {
    let people = esf::persons(records);
    let indicators = esf::compute_persons(&people);
    let outcomes = ExitStatus::ALL
        .iter()
        .map(|s| {
            (
                *s,
                people
                    .iter()
                    .filter(|p| p.exit_date.is_some() && p.exit_status == Some(*s))
                    .count() as i64,
            )
        })
        .collect();
    let mut gender = Split::default();
    let mut bands: Vec<(&'static str, Split)> = AGE_BANDS
        .iter()
        .map(|(k, _, _)| (*k, Split::default()))
        .collect();
    let mut unknown_age = Split::default();
    for p in &people {
        gender.add(p.gender);
        match p.birth_date.map(|b| age_on(b, p.entry_date)) {
            Some(age) => {
                if let Some(i) = AGE_BANDS
                    .iter()
                    .position(|(_, lo, hi)| (*lo..=*hi).contains(&age))
                {
                    bands[i].1.add(p.gender);
                }
            }
            None => unknown_age.add(p.gender),
        }
    }
    if unknown_age.total > 0 {
        bands.push(("age-unknown", unknown_age));
    }
    EsfReport {
        project,
        indicators,
        outcomes,
        gender,
        age_bands: bands,
        own_staff,
    }
}

impl EsfReport {
    pub fn leavers(&self) -> i64 {
        self.indicators.leavers
    }

    fn count(&self, n: i64) -> Option<i64> {
        esf::shown(n, self.own_staff)
    }

    fn cell(&self, n: i64) -> Cell {
        self.count(n).map_or(Cell::Text("<5".into()), Cell::Int)
    }

    /// A share of leavers in per mille; suppressed with its count.
    fn share(&self, n: i64) -> Cell {
        match (self.count(n), self.leavers()) {
            (Some(n), l) if l > 0 => Cell::Permille((n * 1000 + l / 2) / l),
            (Some(_), _) => Cell::Empty,
            (None, _) => Cell::Text("<5".into()),
        }
    }

    pub fn employed_training_business(&self) -> i64 {
        self.outcomes
            .iter()
            .filter(|(s, _)| EMPLOYED_TRAINING_BUSINESS.contains(s))
            .map(|(_, n)| n)
            .sum()
    }

    fn split_cells(&self, s: &Split) -> Vec<Cell> {
        vec![
            self.cell(s.women),
            self.cell(s.men),
            self.cell(s.non_binary),
            self.cell(s.total),
        ]
    }

    /// All tables of the report in display order; `t` translates a Fluent key.
    pub fn tables(&self, t: &dyn Fn(&str) -> String) -> Vec<Table> {
        let p = &self.project;
        let euros = |c: Option<i64>| c.map_or(Cell::Empty, |c| Cell::Int(c / 100));
        let split_headers = |first: &str| {
            vec![
                t(first),
                t("gender-women"),
                t("gender-men"),
                t("gender-non-binary"),
                t("total"),
            ]
        };
        let monitoring = Table {
            title: t("report-monitoring"),
            headers: vec![t("report-item"), t("report-planned"), t("realised")],
            rows: vec![
                vec![
                    t("project-participants").into(),
                    p.target_participants.into(),
                    Cell::Int(self.indicators.persons),
                ],
                vec![
                    t("report-companies").into(),
                    p.target_companies.into(),
                    Cell::Int(p.realised_companies),
                ],
                vec![
                    t("report-public-funding").into(),
                    euros(p.budget_public_cents),
                    euros(p.budget_realised_cents),
                ],
                vec![
                    t("field-budget-granted").into(),
                    euros(p.budget_granted_cents),
                    Cell::Empty,
                ],
            ],
        };
        let mut outcome_rows: Vec<Vec<Cell>> = self
            .outcomes
            .iter()
            .map(|(s, n)| {
                vec![
                    t(&format!(
                        "choice-exit-status-{}",
                        s.as_str().replace('_', "-")
                    ))
                    .into(),
                    self.cell(*n),
                    self.share(*n),
                ]
            })
            .collect();
        let etb = self.employed_training_business();
        outcome_rows.push(vec![
            t("report-employed-training-business").into(),
            self.cell(etb),
            self.share(etb),
        ]);
        outcome_rows.push(vec![
            t("report-leavers").into(),
            Cell::Int(self.leavers()),
            Cell::Empty,
        ]);
        let outcomes = Table {
            title: t("report-outcomes"),
            headers: vec![t("field-exit-status"), "n".into(), t("report-share")],
            rows: outcome_rows,
        };
        let mut breakdown_rows = vec![[
            vec![Cell::Text(t("project-participants"))],
            self.split_cells(&self.gender),
        ]
        .concat()];
        for (k, s) in &self.age_bands {
            breakdown_rows.push([vec![Cell::Text(t(k))], self.split_cells(s)].concat());
        }
        let breakdown = Table {
            title: t("report-gender-age"),
            headers: split_headers("report-group"),
            rows: breakdown_rows,
        };
        let indicator_rows = self
            .indicators
            .rows
            .iter()
            .map(|r| {
                [
                    vec![Cell::Text(format!("{} {}", r.code, t(r.key)))],
                    self.split_cells(&r.counts),
                ]
                .concat()
            })
            .collect();
        let indicators = Table {
            title: t("report-indicators"),
            headers: split_headers("report-indicator"),
            rows: indicator_rows,
        };
        vec![monitoring, outcomes, breakdown, indicators]
    }

    /// The figures as JSON, suppressed like the tables (null = fewer than five).
    pub fn json(&self) -> serde_json::Value {
        let split = |s: &Split| serde_json::json!({ "women": self.count(s.women), "men": self.count(s.men), "non_binary": self.count(s.non_binary), "total": self.count(s.total) });
        serde_json::json!({
            "project": self.project,
            "persons": self.indicators.persons,
            "leavers": self.leavers(),
            "suppressed_below": if self.own_staff { serde_json::Value::Null } else { serde_json::json!(esf::SMALL_CELL) },
            "indicators": self.indicators.rows.iter().map(|r| serde_json::json!({ "code": r.code, "kind": r.kind, "counts": split(&r.counts) })).collect::<Vec<_>>(),
            "outcomes": self.outcomes.iter().map(|(s, n)| serde_json::json!({ "status": s.as_str(), "count": self.count(*n) })).collect::<Vec<_>>(),
            "employed_training_business": self.count(self.employed_training_business()),
            "gender": split(&self.gender),
            "age_bands": self.age_bands.iter().map(|(k, s)| serde_json::json!({ "band": k.trim_start_matches("age-"), "counts": split(s) })).collect::<Vec<_>>(),
            "refused": self.indicators.refused,
            "incomplete_records": self.indicators.incomplete.len(),
        })
    }

    /// The final-report summary as a PDF document.
    pub fn doc(&self, t: &dyn Fn(&str) -> String, lang: &str) -> crate::pdf::Doc {
        let p = &self.project;
        let date = |d: Option<NaiveDate>| d.map(polku_domain::dates::format_fi).unwrap_or_default();
        let mut notes = vec![t("report-note-indicators")];
        if !self.own_staff {
            notes.push(t("report-note-suppressed"));
        }
        if !self.indicators.incomplete.is_empty() {
            notes.push(format!(
                "{}: {}",
                t("report-incomplete"),
                self.indicators.incomplete.len()
            ));
        }
        crate::pdf::Doc {
            lang: lang.to_string(),
            title: format!("{}: {} {}", t("report-final-summary"), p.code, p.name),
            subtitle: p.owner.clone(),
            facts: vec![
                (
                    t("project-period"),
                    format!("{}–{}", date(p.start_date), date(p.end_date)),
                ),
                (
                    t("field-authority"),
                    p.authority.clone().unwrap_or_default(),
                ),
                (t("field-municipalities"), p.municipalities.clone()),
            ],
            tables: self.tables(t),
            notes,
        }
    }
}
