//! The funder's report for one project: monitoring as in the seeds' "Hankkeen kuvaus" and the
//! ESF+ common indicators, with small cells suppressed for anyone but the project's own staff.
//! Every output (page, CSV, XLSX, JSON, PDF) is built from [`EsfReport`] here.

pub use crate::employer_work::EmployerWork;
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
    /// Companies taking part: employers with an interaction for the project or a placement of
    /// one of its participants within the project's period, each once.
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
    /// Suppressed where shown: see [`EsfReport::json`] and the tables.
    #[serde(skip)]
    pub employers: EmployerWork,
    /// People referred to the project from outside Polku, by referrer.
    pub referred_by: Vec<(polku_domain::referral::Referrer, i64)>,
    /// The participants' self-assessment at entry and exit, per item.
    pub self_assessment: Vec<crate::assessment::Change>,
    pub indicators: esf::Report,
    /// Among persons who have left: each exit status and its count.
    pub outcomes: Vec<(ExitStatus, i64)>,
    pub gender: Split,
    pub age_bands: Vec<(&'static str, Split)>,
    /// The project's own staff see exact small numbers; everyone else sees "<5".
    pub own_staff: bool,
    /// Which figures are hidden from this reader (none for the project's own staff).
    #[serde(skip)]
    hidden: Hidden,
}

/// Where each figure of the report stands in one grid of cells, for suppression: indicator rows
/// and the gender and age rows four cells each (women, men, non-binary, total), then the exit
/// statuses, the employed-training-business sum, the leavers and the refusals.
#[derive(Debug, Clone, Default)]
struct Hidden {
    cells: Vec<bool>,
    gender: usize,
    bands: usize,
    outcomes: usize,
    etb: usize,
    leavers: usize,
    refused: usize,
}

impl Hidden {
    /// Primary and secondary suppression over every figure and the sums between them, so no
    /// hidden figure follows from the shown ones, across tables too.
    fn compute(r: &EsfReport) -> Hidden {
        use polku_domain::suppression::{suppress, Sum};
        let mut values: Vec<i64> = vec![];
        let split = |v: &mut Vec<i64>, s: &Split| v.extend([s.women, s.men, s.non_binary, s.total]);
        for row in &r.indicators.rows {
            split(&mut values, &row.counts);
        }
        let gender = values.len();
        split(&mut values, &r.gender);
        let bands = values.len();
        for (_, s) in &r.age_bands {
            split(&mut values, s);
        }
        let outcomes = values.len();
        values.extend(r.outcomes.iter().map(|(_, n)| *n));
        let etb = values.len();
        values.push(r.employed_training_business());
        let leavers = values.len();
        values.push(r.leavers());
        let refused = values.len();
        values.extend(r.indicators.refused.values());

        let mut sums = vec![];
        let splits = (0..r.indicators.rows.len()).map(|i| 4 * i).chain([gender]);
        for base in splits.chain((0..r.age_bands.len()).map(|k| bands + 4 * k)) {
            sums.push(Sum {
                parts: vec![base, base + 1, base + 2],
                total: base + 3,
            });
        }
        let row = |code: &str| r.indicators.rows.iter().position(|x| x.code == code);
        let total = row("EECO01");
        for c in 0..4 {
            let at = |code: &str| row(code).map(|i| 4 * i + c);
            // Everyone in the gender row is a participant; labour status and education each
            // split the participants (less the incomplete records, a number the reader may know).
            let groups = [
                (vec![Some(gender + c)], total.map(|t| 4 * t + c)),
                (
                    (0..r.age_bands.len())
                        .map(|k| Some(bands + 4 * k + c))
                        .collect(),
                    Some(gender + c),
                ),
                (vec![at("EECO02"), at("EECO04"), at("EECO05")], at("EECO01")),
                (vec![at("EECO09"), at("EECO10"), at("EECO11")], at("EECO01")),
            ];
            for (parts, total) in groups {
                if let (Some(parts), Some(total)) =
                    (parts.into_iter().collect::<Option<Vec<_>>>(), total)
                {
                    sums.push(Sum { parts, total });
                }
            }
        }
        sums.push(Sum {
            parts: (outcomes..etb).collect(),
            total: leavers,
        });
        let etb_parts = r
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, (s, _))| EMPLOYED_TRAINING_BUSINESS.contains(s))
            .map(|(i, _)| outcomes + i)
            .collect();
        sums.push(Sum {
            parts: etb_parts,
            total: etb,
        });
        let cells = if r.own_staff {
            vec![false; values.len()]
        } else {
            suppress(&values, &sums)
        };
        Hidden {
            cells,
            gender,
            bands,
            outcomes,
            etb,
            leavers,
            refused,
        }
    }
}

pub fn build(
    project: ProjectFacts,
    records: &[Record],
    own_staff: bool,
    employers: EmployerWork,
) -> EsfReport {
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
    let mut report = EsfReport {
        project,
        employers,
        referred_by: vec![],
        self_assessment: vec![],
        indicators,
        outcomes,
        gender,
        age_bands: bands,
        own_staff,
        hidden: Hidden::default(),
    };
    report.hidden = Hidden::compute(&report);
    report
}

impl EsfReport {
    pub fn leavers(&self) -> i64 {
        self.indicators.leavers
    }

    /// The figure at `at` in the grid as this reader sees it: `None` when hidden.
    fn at(&self, at: usize, n: i64) -> Option<i64> {
        (!self.hidden.cells.get(at).copied().unwrap_or(false)).then_some(n)
    }

    fn cell_at(&self, at: usize, n: i64) -> Cell {
        self.at(at, n).map_or(Cell::Text("<5".into()), Cell::Int)
    }

    /// A share of leavers in per mille; hidden with its count.
    fn share_at(&self, at: usize, n: i64) -> Cell {
        match (self.at(at, n), self.leavers()) {
            (Some(n), l) => polku_domain::share::permille(n, l).map_or(Cell::Empty, Cell::Permille),
            (None, _) => Cell::Text("<5".into()),
        }
    }

    /// Each exit status with its count as shown (`None` when hidden), in report order.
    pub fn outcomes_shown(&self) -> Vec<(ExitStatus, Option<i64>)> {
        self.outcomes
            .iter()
            .enumerate()
            .map(|(i, (s, n))| (*s, self.at(self.hidden.outcomes + i, *n)))
            .collect()
    }

    /// The employed-training-business count as shown.
    pub fn etb_shown(&self) -> Option<i64> {
        self.at(self.hidden.etb, self.employed_training_business())
    }

    /// The leavers as shown.
    pub fn leavers_shown(&self) -> Option<i64> {
        self.at(self.hidden.leavers, self.leavers())
    }

    /// All persons (EECO01 total) as shown.
    pub fn persons_shown(&self) -> Option<i64> {
        let at = self.indicators.rows.iter().position(|r| r.code == "EECO01");
        at.map_or(Some(self.indicators.persons), |i| {
            self.at(4 * i + 3, self.indicators.persons)
        })
    }

    /// Refusals per sensitive item as shown: suppressed like every other count.
    pub fn refused_shown(&self) -> Vec<(&'static str, Option<i64>)> {
        self.indicators
            .refused
            .iter()
            .enumerate()
            .map(|(i, (code, n))| (*code, self.at(self.hidden.refused + i, *n)))
            .collect()
    }

    pub fn employed_training_business(&self) -> i64 {
        self.outcomes
            .iter()
            .filter(|(s, _)| EMPLOYED_TRAINING_BUSINESS.contains(s))
            .map(|(_, n)| n)
            .sum()
    }

    /// A split's four cells from grid position `base` on.
    fn split_cells(&self, s: &Split, base: usize) -> Vec<Cell> {
        [s.women, s.men, s.non_binary, s.total]
            .iter()
            .enumerate()
            .map(|(i, n)| self.cell_at(base + i, *n))
            .collect()
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
                    self.persons_shown()
                        .map_or(Cell::Text("<5".into()), Cell::Int),
                ],
                vec![
                    t("report-companies").into(),
                    p.target_companies.into(),
                    Cell::Int(p.realised_companies),
                ],
                vec![
                    t("report-coaches-trained").into(),
                    Cell::Empty,
                    Cell::Text(format!(
                        "{} ({})",
                        self.employers.coaches_trained.0, self.employers.coaches_trained.1
                    )),
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
            .enumerate()
            .map(|(i, (s, n))| {
                let at = self.hidden.outcomes + i;
                let label = format!("choice-exit-status-{}", s.as_str().replace('_', "-"));
                vec![
                    t(&label).into(),
                    self.cell_at(at, *n),
                    self.share_at(at, *n),
                ]
            })
            .collect();
        let etb = self.employed_training_business();
        outcome_rows.push(vec![
            t("report-employed-training-business").into(),
            self.cell_at(self.hidden.etb, etb),
            self.share_at(self.hidden.etb, etb),
        ]);
        outcome_rows.push(vec![
            t("report-leavers").into(),
            self.cell_at(self.hidden.leavers, self.leavers()),
            Cell::Empty,
        ]);
        let outcomes = Table {
            title: t("report-outcomes"),
            headers: vec![t("field-exit-status"), "n".into(), t("report-share")],
            rows: outcome_rows,
        };
        let mut breakdown_rows = vec![[
            vec![Cell::Text(t("project-participants"))],
            self.split_cells(&self.gender, self.hidden.gender),
        ]
        .concat()];
        for (i, (k, s)) in self.age_bands.iter().enumerate() {
            let cells = self.split_cells(s, self.hidden.bands + 4 * i);
            breakdown_rows.push([vec![Cell::Text(t(k))], cells].concat());
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
            .enumerate()
            .map(|(i, r)| {
                [
                    vec![Cell::Text(format!("{} {}", r.code, t(r.key)))],
                    self.split_cells(&r.counts, 4 * i),
                ]
                .concat()
            })
            .collect();
        let indicators = Table {
            title: t("report-indicators"),
            headers: split_headers("report-indicator"),
            rows: indicator_rows,
        };
        let [placements, industries] = self.employer_tables(t);
        let referred_by = Table {
            title: t("report-referred-by"),
            headers: vec![t("report-referrer"), t("report-referred-people")],
            rows: self
                .referred_by
                .iter()
                .map(|(r, n)| {
                    let name = t(&format!("choice-referrer-{}", r.as_str().replace('_', "-")));
                    vec![name.into(), self.small(*n)]
                })
                .collect(),
        };
        vec![
            monitoring,
            outcomes,
            breakdown,
            indicators,
            placements,
            industries,
            referred_by,
            self.assessment_table(t),
        ]
    }

    /// A count as this reader may see it: exact for the project's own staff; for others
    /// none when it is small (but not zero).
    pub(crate) fn shown(&self, n: i64) -> Option<i64> {
        (self.own_staff || n == 0 || n >= esf::SMALL_CELL).then_some(n)
    }

    /// [`Self::shown`] as a cell: "<5" where hidden.
    pub(crate) fn small(&self, n: i64) -> Cell {
        self.shown(n).map_or(Cell::Text("<5".into()), Cell::Int)
    }

    /// The figures as JSON, suppressed like the tables (null = hidden).
    pub fn json(&self) -> serde_json::Value {
        let split = |s: &Split, base: usize| serde_json::json!({ "women": self.at(base, s.women), "men": self.at(base + 1, s.men), "non_binary": self.at(base + 2, s.non_binary), "total": self.at(base + 3, s.total) });
        let refused: serde_json::Map<String, serde_json::Value> = self
            .refused_shown()
            .into_iter()
            .map(|(code, n)| (code.to_string(), serde_json::json!(n)))
            .collect();
        serde_json::json!({
            "project": self.project,
            "persons": self.persons_shown(),
            "leavers": self.leavers_shown(),
            "suppressed_below": if self.own_staff { serde_json::Value::Null } else { serde_json::json!(esf::SMALL_CELL) },
            "indicators": self.indicators.rows.iter().enumerate().map(|(i, r)| serde_json::json!({ "code": r.code, "kind": r.kind, "counts": split(&r.counts, 4 * i) })).collect::<Vec<_>>(),
            "outcomes": self.outcomes_shown().iter().map(|(s, n)| serde_json::json!({ "status": s.as_str(), "count": n })).collect::<Vec<_>>(),
            "employed_training_business": self.etb_shown(),
            "gender": split(&self.gender, self.hidden.gender),
            "age_bands": self.age_bands.iter().enumerate().map(|(i, (k, s))| serde_json::json!({ "band": k.trim_start_matches("age-"), "counts": split(s, self.hidden.bands + 4 * i) })).collect::<Vec<_>>(),
            "refused": refused,
            "placements": self.employers.placements.iter().map(|(k, r, n)| serde_json::json!({ "kind": k, "result": r, "count": self.shown(*n) })).collect::<Vec<_>>(),
            "industries": self.employers.industries.iter().map(|(i, e, n)| serde_json::json!({ "industry": i, "employers": e, "with_needs": n })).collect::<Vec<_>>(),
            "referred_by": self.referred_by.iter().map(|(r, n)| serde_json::json!({ "referrer": r, "count": self.shown(*n) })).collect::<Vec<_>>(),
            "self_assessment": self.assessment_json(),
            "coaches_trained": { "coaches": self.employers.coaches_trained.0, "workplaces": self.employers.coaches_trained.1 },
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
