//! The indicator definitions as data: each ESF+ common indicator's code, what it counts and
//! the rule that decides whether a participation counts.

use crate::participant::ExitStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Output,
    Result,
}

/// Which sensitive entry item an indicator counts (only a "yes" counts; refusals are reported apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Disability,
    ThirdCountryNational,
    ForeignBackground,
    Minority,
    Homeless,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Total,
    Unemployed,
    LongTermUnemployed,
    Inactive,
    Employed,
    AgeBelow(i32),
    AgeBetween(i32, i32),
    AgeFrom(i32),
    Isced(u8, u8),
    Sensitive(Item),
    Rural,
    /// Left the project with one of these statuses.
    ExitIn(&'static [ExitStatus]),
    /// Left with a qualification gained, whatever the status.
    ExitQualification,
    /// Left in education or training, beside any status.
    ExitInEducation,
    /// In employment, incl. self-employment, at the six-month follow-up.
    EmployedAfterSixMonths,
    /// Employed at entry and in a better labour-market situation at the six-month follow-up.
    ImprovedAfterSixMonths,
}

pub struct Indicator {
    pub code: &'static str,
    /// Fluent key of the name.
    pub key: &'static str,
    pub kind: Kind,
    pub rule: Rule,
}

pub(super) const EMPLOYED_EXITS: &[ExitStatus] = &[
    ExitStatus::EmployedOpen,
    ExitStatus::EmployedSubsidised,
    ExitStatus::SelfEmployed,
];

/// The indicator table. Codes as in the Regulation's annexes.
pub const INDICATORS: &[Indicator] = &[
    Indicator {
        code: "EECO01",
        key: "esf-total",
        kind: Kind::Output,
        rule: Rule::Total,
    },
    Indicator {
        code: "EECO02",
        key: "esf-unemployed",
        kind: Kind::Output,
        rule: Rule::Unemployed,
    },
    Indicator {
        code: "EECO03",
        key: "esf-long-term-unemployed",
        kind: Kind::Output,
        rule: Rule::LongTermUnemployed,
    },
    Indicator {
        code: "EECO04",
        key: "esf-inactive",
        kind: Kind::Output,
        rule: Rule::Inactive,
    },
    Indicator {
        code: "EECO05",
        key: "esf-employed",
        kind: Kind::Output,
        rule: Rule::Employed,
    },
    Indicator {
        code: "EECO06",
        key: "esf-below-18",
        kind: Kind::Output,
        rule: Rule::AgeBelow(18),
    },
    Indicator {
        code: "EECO07",
        key: "esf-18-29",
        kind: Kind::Output,
        rule: Rule::AgeBetween(18, 29),
    },
    Indicator {
        code: "EECO08",
        key: "esf-55-plus",
        kind: Kind::Output,
        rule: Rule::AgeFrom(55),
    },
    Indicator {
        code: "EECO09",
        key: "esf-isced-0-2",
        kind: Kind::Output,
        rule: Rule::Isced(0, 2),
    },
    Indicator {
        code: "EECO10",
        key: "esf-isced-3-4",
        kind: Kind::Output,
        rule: Rule::Isced(3, 4),
    },
    Indicator {
        code: "EECO11",
        key: "esf-isced-5-8",
        kind: Kind::Output,
        rule: Rule::Isced(5, 8),
    },
    Indicator {
        code: "EECO12",
        key: "esf-disability",
        kind: Kind::Output,
        rule: Rule::Sensitive(Item::Disability),
    },
    Indicator {
        code: "EECO13",
        key: "esf-third-country",
        kind: Kind::Output,
        rule: Rule::Sensitive(Item::ThirdCountryNational),
    },
    Indicator {
        code: "EECO14",
        key: "esf-foreign-background",
        kind: Kind::Output,
        rule: Rule::Sensitive(Item::ForeignBackground),
    },
    Indicator {
        code: "EECO15",
        key: "esf-minority",
        kind: Kind::Output,
        rule: Rule::Sensitive(Item::Minority),
    },
    Indicator {
        code: "EECO16",
        key: "esf-homeless",
        kind: Kind::Output,
        rule: Rule::Sensitive(Item::Homeless),
    },
    Indicator {
        code: "EECO17",
        key: "esf-rural",
        kind: Kind::Output,
        rule: Rule::Rural,
    },
    Indicator {
        code: "EECR01",
        key: "esf-job-searching",
        kind: Kind::Result,
        rule: Rule::ExitIn(&[ExitStatus::JobSearching]),
    },
    Indicator {
        code: "EECR02",
        key: "esf-in-education",
        kind: Kind::Result,
        rule: Rule::ExitInEducation,
    },
    Indicator {
        code: "EECR03",
        key: "esf-qualification",
        kind: Kind::Result,
        rule: Rule::ExitQualification,
    },
    Indicator {
        code: "EECR04",
        key: "esf-employed-on-leaving",
        kind: Kind::Result,
        rule: Rule::ExitIn(EMPLOYED_EXITS),
    },
    Indicator {
        code: "EECR05",
        key: "esf-employed-6-months",
        kind: Kind::Result,
        rule: Rule::EmployedAfterSixMonths,
    },
    Indicator {
        code: "EECR06",
        key: "esf-improved-6-months",
        kind: Kind::Result,
        rule: Rule::ImprovedAfterSixMonths,
    },
];
