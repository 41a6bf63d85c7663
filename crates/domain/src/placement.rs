//! Openings at employers (advertised and hidden jobs, work trial and work practice places, …),
//! participants proposed to them, and placements: a participant at an employer for a period,
//! with extensions, and a result that feeds the participant's outcome.

use crate::dates::{parse_date, parse_optional_date};
use crate::error::Errors;
use crate::participant::ExitStatus;
use crate::text::{optional, optional_int, required};
use crate::{DomainError, ErrorCode};
use chrono::NaiveDate;

crate::choice_enum!(
    OpeningKind {
        AdvertisedJob = "advertised_job",
        // Not advertised: found through the employer relationship.
        HiddenJob = "hidden_job",
        WorkTrial = "work_trial",
        WorkPractice = "work_practice",
        PaySubsidised = "pay_subsidised",
        Apprenticeship = "apprenticeship",
        Replacement = "replacement",
    }
);

crate::choice_enum!(OpeningStatus { Open = "open", Filled = "filled", Closed = "closed" });

crate::choice_enum!(
    /// A participant proposed to an opening, and the employer's answer.
    ProposalStatus { Proposed = "proposed", Accepted = "accepted", Declined = "declined" }
);

crate::choice_enum!(
    PlacementKind {
        WorkTrial = "work_trial",
        WorkPractice = "work_practice",
        PaySubsidised = "pay_subsidised",
        Apprenticeship = "apprenticeship",
        Employment = "employment",
    }
);

crate::choice_enum!(
    PlacementResult {
        // Hired by the employer of the placement: "continued at the practice workplace".
        Hired = "hired",
        OtherJob = "other_job",
        Education = "education",
        Interrupted = "interrupted",
        Ended = "ended",
    }
);

impl PlacementResult {
    /// The participant's situation the result stands for, when it settles one: a hire is
    /// employment (subsidised when the placement was pay-subsidised).
    pub fn exit_status(self, kind: PlacementKind) -> Option<ExitStatus> {
        match (self, kind) {
            (PlacementResult::Hired, PlacementKind::PaySubsidised) => {
                Some(ExitStatus::EmployedSubsidised)
            }
            (PlacementResult::Hired, _) | (PlacementResult::OtherJob, _) => {
                Some(ExitStatus::EmployedOpen)
            }
            (PlacementResult::Education, _) => Some(ExitStatus::Education),
            _ => None,
        }
    }
}

impl OpeningKind {
    /// The kind of placement an opening of this kind leads to.
    pub fn placement(self) -> PlacementKind {
        match self {
            OpeningKind::WorkTrial => PlacementKind::WorkTrial,
            OpeningKind::WorkPractice => PlacementKind::WorkPractice,
            OpeningKind::PaySubsidised => PlacementKind::PaySubsidised,
            OpeningKind::Apprenticeship => PlacementKind::Apprenticeship,
            _ => PlacementKind::Employment,
        }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct OpeningForm {
    pub kind: String,
    pub title: String,
    pub places: String,
    pub deadline: String,
    pub requirements: String,
}

#[derive(Debug, Clone)]
pub struct NewOpening {
    pub kind: OpeningKind,
    pub title: String,
    pub places: i64,
    pub deadline: Option<NaiveDate>,
    pub requirements: Option<String>,
}

impl OpeningForm {
    pub fn parse(&self) -> Result<NewOpening, DomainError> {
        let mut e = Errors::new();
        let kind = e.take("kind", OpeningKind::parse(&self.kind));
        let title = e.take("title", required(&self.title, 200));
        let places = e.take("places", optional_int(&self.places, 1, 1000));
        let deadline = e.take("deadline", parse_optional_date(&self.deadline));
        let requirements = e.take("requirements", optional(&self.requirements, 4000));
        e.into_result()?;
        let kind = kind.ok_or_else(|| DomainError::field("form", ErrorCode::Internal))?;
        Ok(NewOpening {
            kind,
            title: title.unwrap_or_default(),
            places: places.flatten().unwrap_or(1),
            deadline: deadline.flatten(),
            requirements: requirements.flatten(),
        })
    }
}

/// A period: from `starts_on` to `ends_on`, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Both dates, the end not before the start.
fn period(e: &mut Errors, start: &str, end: &str) -> Option<Period> {
    let starts_on = e.take("starts_on", parse_date(start));
    let ends_on = e.take("ends_on", parse_date(end));
    match (starts_on, ends_on) {
        (Some(s), Some(t)) if t < s => {
            e.push("ends_on", ErrorCode::DateRange);
            None
        }
        (Some(starts_on), Some(ends_on)) => Some(Period { starts_on, ends_on }),
        _ => None,
    }
}

/// A participant placed at an employer: the agreement and the first period.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlacementForm {
    pub participant_id: String,
    pub kind: String,
    pub agreement_ref: String,
    pub agreement_date: String,
    pub starts_on: String,
    pub ends_on: String,
    /// The workplace coach at the employer, as a name.
    pub coach: String,
}

#[derive(Debug, Clone)]
pub struct NewPlacement {
    pub participant_id: i64,
    pub kind: PlacementKind,
    pub agreement_ref: Option<String>,
    pub agreement_date: Option<NaiveDate>,
    pub period: Period,
    pub coach: Option<String>,
}

impl PlacementForm {
    pub fn parse(&self) -> Result<NewPlacement, DomainError> {
        let mut e = Errors::new();
        let participant_id = e.take(
            "participant_id",
            optional_int(&self.participant_id, 1, i64::MAX)
                .and_then(|v| v.ok_or(ErrorCode::Required)),
        );
        let kind = e.take("kind", PlacementKind::parse(&self.kind));
        let agreement_ref = e.take("agreement_ref", optional(&self.agreement_ref, 100));
        let agreement_date = e.take("agreement_date", parse_optional_date(&self.agreement_date));
        let period = period(&mut e, &self.starts_on, &self.ends_on);
        let coach = e.take("coach", optional(&self.coach, 200));
        e.into_result()?;
        match (participant_id, kind, period) {
            (Some(participant_id), Some(kind), Some(period)) => Ok(NewPlacement {
                participant_id,
                kind,
                agreement_ref: agreement_ref.flatten(),
                agreement_date: agreement_date.flatten(),
                period,
                coach: coach.flatten(),
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

/// A further period of a placement, with its reason (KoPa: two months, then up to four more).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ExtensionForm {
    pub starts_on: String,
    pub ends_on: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct NewExtension {
    pub period: Period,
    pub reason: String,
}

impl ExtensionForm {
    /// An extension begins after the placement's last period ends (`until`): it can neither
    /// overlap nor precede it.
    pub fn parse(&self, until: NaiveDate) -> Result<NewExtension, DomainError> {
        let mut e = Errors::new();
        let period = period(&mut e, &self.starts_on, &self.ends_on);
        let reason = e.take("reason", required(&self.reason, 1000));
        if let Some(p) = period {
            if p.starts_on <= until {
                e.push("starts_on", ErrorCode::PeriodOverlap);
            }
        }
        e.into_result()?;
        let period = period.ok_or_else(|| DomainError::field("form", ErrorCode::Internal))?;
        Ok(NewExtension {
            period,
            reason: reason.unwrap_or_default(),
        })
    }
}

/// How a placement ended.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlacementEndForm {
    pub result: String,
    pub ended_on: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct PlacementEnd {
    pub result: PlacementResult,
    pub ended_on: NaiveDate,
    pub reason: Option<String>,
}

impl PlacementEndForm {
    /// The end falls within the placement (from `starts_on`); an interruption needs a reason.
    pub fn parse(&self, starts_on: NaiveDate) -> Result<PlacementEnd, DomainError> {
        let mut e = Errors::new();
        let result = e.take("result", PlacementResult::parse(&self.result));
        let ended_on = e.take("ended_on", parse_date(&self.ended_on));
        let reason = e.take("reason", optional(&self.reason, 1000)).flatten();
        if ended_on.is_some_and(|d| d < starts_on) {
            e.push("ended_on", ErrorCode::DateRange);
        }
        if result == Some(PlacementResult::Interrupted) && reason.is_none() {
            e.push("reason", ErrorCode::Required);
        }
        e.into_result()?;
        match (result, ended_on) {
            (Some(result), Some(ended_on)) => Ok(PlacementEnd {
                result,
                ended_on,
                reason,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default()
    }

    #[test]
    fn an_extension_neither_overlaps_nor_precedes_the_placement() {
        let until = d(2026, 4, 30);
        let f = |s: &str, t: &str| ExtensionForm {
            starts_on: s.into(),
            ends_on: t.into(),
            reason: "Harjoittelu jatkuu".into(),
        };
        for (s, t) in [("15.4.2026", "31.5.2026"), ("1.3.2026", "31.3.2026")] {
            let Err(DomainError::Invalid(errors)) = f(s, t).parse(until) else {
                panic!("{s}–{t} must be refused");
            };
            assert_eq!(errors[0].code, ErrorCode::PeriodOverlap);
        }
        let ok = f("1.5.2026", "31.8.2026").parse(until).map(|x| x.period);
        assert_eq!(
            ok,
            Ok(Period {
                starts_on: d(2026, 5, 1),
                ends_on: d(2026, 8, 31)
            })
        );
    }

    #[test]
    fn a_hire_is_employment() {
        assert_eq!(
            PlacementResult::Hired.exit_status(PlacementKind::WorkPractice),
            Some(ExitStatus::EmployedOpen)
        );
        assert_eq!(
            PlacementResult::Hired.exit_status(PlacementKind::PaySubsidised),
            Some(ExitStatus::EmployedSubsidised)
        );
        assert_eq!(
            PlacementResult::Interrupted.exit_status(PlacementKind::WorkTrial),
            None
        );
    }
}
