//! ESF+ 2021–2027 common indicators for participants (Regulation (EU) 2021/1057, Annexes I–II),
//! computed from entry, exit and follow-up data. The definitions are one data table,
//! [`INDICATORS`]: a code can be corrected there without touching the rules.

use crate::dates::{age_on, months_between};
use crate::participant::{Education, ExitStatus, Gender, LabourStatus, Sensitive};
use crate::special::SpecialCategories;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

mod indicators;

use indicators::EMPLOYED_EXITS;
pub use indicators::{Indicator, Item, Kind, Rule, INDICATORS};

/// What the six-month follow-up found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUp {
    pub status: ExitStatus,
    pub improved: bool,
}

/// One participation as the indicators need it.
#[derive(Debug, Clone)]
pub struct Record {
    pub participant_id: i64,
    /// The same person in several participations: the identity code's blind index, or the id.
    pub person_key: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub entry_date: NaiveDate,
    pub labour_status: Option<LabourStatus>,
    pub unemployed_since: Option<NaiveDate>,
    pub education: Option<Education>,
    pub special: SpecialCategories,
    pub rural: Option<bool>,
    pub exit_date: Option<NaiveDate>,
    pub exit_status: Option<ExitStatus>,
    /// Gained a qualification upon leaving (also when that is the exit status).
    pub exit_qualification: bool,
    /// In education or training upon leaving (also when that is the exit status).
    pub exit_in_education: bool,
    pub follow_up: Option<FollowUp>,
}

impl Record {
    fn age(&self) -> Option<i32> {
        self.birth_date.map(|b| age_on(b, self.entry_date))
    }

    fn sensitive(&self, item: Item) -> Sensitive {
        match item {
            Item::Disability => self.special.disability,
            Item::ThirdCountryNational => self.special.third_country_national,
            Item::ForeignBackground => self.special.foreign_background,
            Item::Minority => self.special.minority,
            Item::Homeless => self.special.homeless,
        }
    }

    /// The fields without which a record counts only in the total (Fluent field keys).
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = vec![];
        if self.gender.is_none() {
            m.push("gender");
        }
        if self.birth_date.is_none() {
            m.push("birth_date");
        }
        if self.labour_status.is_none() {
            m.push("labour_status");
        }
        if self.education.is_none() {
            m.push("education");
        }
        m
    }

    fn matches(&self, rule: Rule) -> bool {
        let age = self.age();
        match rule {
            Rule::Total => true,
            Rule::Unemployed => self.labour_status == Some(LabourStatus::Unemployed),
            Rule::LongTermUnemployed => {
                // Continuously unemployed more than 6 months under 25, more than 12 from 25.
                match (self.labour_status, self.unemployed_since, age) {
                    (Some(LabourStatus::Unemployed), Some(since), Some(a)) => {
                        let months = months_between(since, self.entry_date);
                        let full_months_over = |limit: i32| {
                            months > limit
                                || (months == limit
                                    && since + chrono::Months::new(limit as u32) < self.entry_date)
                        };
                        if a < 25 {
                            full_months_over(6)
                        } else {
                            full_months_over(12)
                        }
                    }
                    _ => false,
                }
            }
            Rule::Inactive => matches!(
                self.labour_status,
                Some(LabourStatus::Inactive | LabourStatus::InEducation)
            ),
            Rule::Employed => matches!(
                self.labour_status,
                Some(LabourStatus::Employed | LabourStatus::SelfEmployed)
            ),
            Rule::AgeBelow(n) => age.is_some_and(|a| a < n),
            Rule::AgeBetween(lo, hi) => age.is_some_and(|a| (lo..=hi).contains(&a)),
            Rule::AgeFrom(n) => age.is_some_and(|a| a >= n),
            Rule::Isced(lo, hi) => self.education.is_some_and(|e| {
                // The 0–2 band is stored as one value whose level is its upper bound.
                let l = e.level();
                (lo..=hi).contains(&l)
            }),
            Rule::Sensitive(item) => self.sensitive(item) == Sensitive::Yes,
            Rule::Rural => self.rural == Some(true),
            Rule::ExitIn(statuses) => {
                self.exit_date.is_some() && self.exit_status.is_some_and(|s| statuses.contains(&s))
            }
            // The flags are set with the status too; a record written without them (bulk data)
            // still counts by its status.
            Rule::ExitQualification => {
                self.exit_date.is_some()
                    && (self.exit_qualification
                        || self.exit_status == Some(ExitStatus::Qualification))
            }
            Rule::ExitInEducation => {
                self.exit_date.is_some()
                    && (self.exit_in_education || self.exit_status == Some(ExitStatus::Education))
            }
            Rule::EmployedAfterSixMonths => self
                .follow_up
                .is_some_and(|f| EMPLOYED_EXITS.contains(&f.status)),
            Rule::ImprovedAfterSixMonths => {
                matches!(
                    self.labour_status,
                    Some(LabourStatus::Employed | LabourStatus::SelfEmployed)
                ) && self.follow_up.is_some_and(|f| f.improved)
            }
        }
    }
}

/// Counts by gender; `total` includes records with no gender.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Split {
    pub women: i64,
    pub men: i64,
    pub non_binary: i64,
    pub total: i64,
}

impl Split {
    /// Counts one person: in the total always, and under their gender when known.
    pub fn add(&mut self, g: Option<Gender>) {
        self.total += 1;
        match g {
            Some(Gender::Woman) => self.women += 1,
            Some(Gender::Man) => self.men += 1,
            Some(Gender::NonBinary) => self.non_binary += 1,
            None => {}
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub code: &'static str,
    pub key: &'static str,
    pub kind: Kind,
    pub counts: Split,
}

/// A record that counts only in the total until fixed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Incomplete {
    pub participant_id: i64,
    pub missing: Vec<&'static str>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub rows: Vec<Row>,
    pub incomplete: Vec<Incomplete>,
    /// Refusals per sensitive item (code → count): recorded, never guessed.
    pub refused: BTreeMap<&'static str, i64>,
    /// Distinct persons (EECO01 total).
    pub persons: i64,
    pub leavers: i64,
}

/// One person per project: entry data from the first participation, exit data from the last.
/// One pass with a hash map, so the report stays linear in the number of participations; the
/// order of the result is unspecified (every figure made from it is a count).
pub fn persons(records: &[Record]) -> Vec<Record> {
    let mut by_person: HashMap<&str, (&Record, &Record)> = HashMap::with_capacity(records.len());
    let order = |r: &Record| (r.entry_date, r.participant_id);
    for r in records {
        by_person
            .entry(&r.person_key)
            .and_modify(|(first, last)| {
                if order(r) < order(first) {
                    *first = r;
                }
                if order(r) > order(last) {
                    *last = r;
                }
            })
            .or_insert((r, r));
    }
    by_person
        .into_values()
        .map(|(first, last)| Record {
            exit_date: last.exit_date,
            exit_status: last.exit_status,
            exit_qualification: last.exit_qualification,
            exit_in_education: last.exit_in_education,
            follow_up: last.follow_up,
            ..first.clone()
        })
        .collect()
}

/// The indicators over participations: persons first ([`persons`]), then [`compute_persons`].
pub fn compute(records: &[Record]) -> Report {
    compute_persons(&persons(records))
}

/// The indicators over persons already deduplicated by [`persons`], for callers that need the
/// persons for other figures too.
pub fn compute_persons(people: &[Record]) -> Report {
    let mut rows: Vec<Row> = INDICATORS
        .iter()
        .map(|i| Row {
            code: i.code,
            key: i.key,
            kind: i.kind,
            counts: Split::default(),
        })
        .collect();
    let mut incomplete = vec![];
    let mut refused: BTreeMap<&'static str, i64> = BTreeMap::new();
    for p in people {
        let missing = p.missing();
        let complete = missing.is_empty();
        if !complete {
            incomplete.push(Incomplete {
                participant_id: p.participant_id,
                missing,
            });
        }
        for (row, ind) in rows.iter_mut().zip(INDICATORS) {
            // Incomplete records count only in the total.
            let counts = if ind.rule == Rule::Total {
                true
            } else {
                complete && p.matches(ind.rule)
            };
            if counts {
                row.counts.add(p.gender);
            }
            if let Rule::Sensitive(item) = ind.rule {
                if p.sensitive(item) == Sensitive::Refused {
                    *refused.entry(ind.code).or_default() += 1;
                }
            }
        }
    }
    incomplete.sort_by_key(|i| i.participant_id);
    Report {
        rows,
        incomplete,
        refused,
        persons: people.len() as i64,
        leavers: people.iter().filter(|p| p.exit_date.is_some()).count() as i64,
    }
}

/// Cells under this are shown as "<5" to anyone but the project's own staff (see
/// [`crate::suppression`], which also hides the cells that would give them away).
pub const SMALL_CELL: i64 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn rec(
        id: i64,
        gender: Option<Gender>,
        birth: (i32, u32, u32),
        status: LabourStatus,
        since: Option<NaiveDate>,
        edu: Education,
    ) -> Record {
        Record {
            participant_id: id,
            person_key: format!("p{id}"),
            gender,
            birth_date: Some(d(birth.0, birth.1, birth.2)),
            entry_date: d(2024, 3, 1),
            labour_status: Some(status),
            unemployed_since: since,
            education: Some(edu),
            special: SpecialCategories {
                disability: Sensitive::No,
                third_country_national: Sensitive::No,
                foreign_background: Sensitive::No,
                minority: Sensitive::NotAsked,
                homeless: Sensitive::No,
            },
            rural: Some(false),
            exit_date: None,
            exit_status: None,
            exit_qualification: false,
            exit_in_education: false,
            follow_up: None,
        }
    }

    fn count(r: &Report, code: &str) -> Split {
        r.rows.iter().find(|x| x.code == code).unwrap().counts
    }

    #[test]
    fn long_term_unemployment_thresholds() {
        // 24-year-old: more than 6 months; 30-year-old: more than 12 months.
        let young = rec(
            1,
            Some(Gender::Woman),
            (2000, 1, 1),
            LabourStatus::Unemployed,
            Some(d(2023, 8, 31)),
            Education::Basic,
        );
        let young_short = rec(
            2,
            Some(Gender::Woman),
            (2000, 1, 1),
            LabourStatus::Unemployed,
            Some(d(2023, 9, 1)),
            Education::Basic,
        );
        let older = rec(
            3,
            Some(Gender::Man),
            (1994, 1, 1),
            LabourStatus::Unemployed,
            Some(d(2023, 2, 28)),
            Education::Bachelor,
        );
        let older_short = rec(
            4,
            Some(Gender::Man),
            (1994, 1, 1),
            LabourStatus::Unemployed,
            Some(d(2023, 3, 1)),
            Education::Bachelor,
        );
        let r = compute(&[young, young_short, older, older_short]);
        assert_eq!(count(&r, "EECO02").total, 4);
        assert_eq!(
            count(&r, "EECO03"),
            Split {
                women: 1,
                men: 1,
                non_binary: 0,
                total: 2
            }
        );
    }

    #[test]
    fn incomplete_counts_only_in_total_and_is_listed() {
        let mut a = rec(
            1,
            None,
            (1960, 5, 5),
            LabourStatus::Unemployed,
            None,
            Education::Basic,
        );
        a.gender = None;
        let mut b = rec(
            2,
            Some(Gender::NonBinary),
            (1960, 5, 5),
            LabourStatus::Unemployed,
            None,
            Education::Basic,
        );
        b.education = None;
        let r = compute(&[a, b]);
        assert_eq!(
            count(&r, "EECO01"),
            Split {
                women: 0,
                men: 0,
                non_binary: 1,
                total: 2
            }
        );
        assert_eq!(count(&r, "EECO02").total, 0);
        assert_eq!(count(&r, "EECO08").total, 0);
        assert_eq!(r.incomplete.len(), 2);
        assert_eq!(r.incomplete[0].missing, vec!["gender"]);
        assert_eq!(r.incomplete[1].missing, vec!["education"]);
    }

    #[test]
    fn one_person_first_entry_last_exit_and_refusals() {
        let mut first = rec(
            1,
            Some(Gender::Woman),
            (1962, 6, 1),
            LabourStatus::Unemployed,
            None,
            Education::UpperSecondary,
        );
        first.exit_date = Some(d(2024, 5, 1));
        first.exit_status = Some(ExitStatus::JobSearching);
        first.special.foreign_background = Sensitive::Refused;
        let mut again = first.clone();
        again.participant_id = 2;
        again.entry_date = d(2024, 9, 1);
        again.labour_status = Some(LabourStatus::Inactive);
        again.exit_date = Some(d(2024, 12, 1));
        again.exit_status = Some(ExitStatus::EmployedOpen);
        again.follow_up = Some(FollowUp {
            status: ExitStatus::EmployedOpen,
            improved: false,
        });
        let r = compute(&[again, first]);
        assert_eq!(r.persons, 1);
        assert_eq!(
            count(&r, "EECO02").total,
            1,
            "entry data from the first participation"
        );
        assert_eq!(count(&r, "EECO04").total, 0);
        assert_eq!(count(&r, "EECR04").total, 1, "exit data from the last");
        assert_eq!(count(&r, "EECR01").total, 0);
        assert_eq!(count(&r, "EECR05").total, 1);
        assert_eq!(
            count(&r, "EECR06").total,
            0,
            "improvement counts only for those employed at entry"
        );
        assert_eq!(count(&r, "EECO14").total, 0, "a refusal is not a yes");
        assert_eq!(r.refused.get("EECO14"), Some(&1));
        assert_eq!(count(&r, "EECO08").total, 1, "61 at first entry");
    }

    #[test]
    fn indicator_codes_unique_and_in_order() {
        let codes: Vec<&str> = INDICATORS.iter().map(|i| i.code).collect();
        assert_eq!(codes.len(), 23);
        assert!(
            codes.windows(2).all(|w| w[0] < w[1]),
            "codes unique and in order"
        );
    }
}
