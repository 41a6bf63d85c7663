//! Workplace coaches (työpaikkaohjaajat): people at an employer who guide a placed participant
//! (their details are a contact person's: name, role, phone, e-mail), the training days a
//! project holds for them with who attended, and the meetings that follow a placement.

use crate::dates::parse_date;
use crate::error::Errors;
use crate::text::{optional, optional_int, required};
use crate::{DomainError, ErrorCode};
use chrono::NaiveDate;

pub use crate::employer::{ContactPersonForm as CoachForm, NewContactPerson as NewCoach};

crate::choice_enum!(
    /// A coach on a training day's list: asked to come, then there or not.
    TrainingStatus { Invited = "invited", Present = "present", Absent = "absent" }
);

crate::choice_enum!(
    /// A meeting about a placement: the coach's supervision with the participant, or the
    /// counsellor's follow-up with both.
    MeetingKind { Supervision = "supervision", FollowUp = "follow_up" }
);

/// A training day for workplace coaches.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TrainingForm {
    pub project_id: String,
    pub title: String,
    pub date: String,
    pub hours: String,
    pub place: String,
}

#[derive(Debug, Clone)]
pub struct NewTraining {
    pub project_id: Option<i64>,
    pub title: String,
    pub date: NaiveDate,
    pub hours: i64,
    pub place: Option<String>,
}

impl TrainingForm {
    pub fn parse(&self) -> Result<NewTraining, DomainError> {
        let mut e = Errors::new();
        let project_id = e.take("project_id", optional_int(&self.project_id, 1, i64::MAX));
        let title = e.take("title", required(&self.title, 200));
        let date = e.take("date", parse_date(&self.date));
        let hours = e.take("hours", optional_int(&self.hours, 0, 24));
        let place = e.take("place", optional(&self.place, 200));
        e.into_result()?;
        Ok(NewTraining {
            project_id: project_id.flatten(),
            title: title.unwrap_or_default(),
            date: date.ok_or_else(|| DomainError::field("date", ErrorCode::Internal))?,
            hours: hours.flatten().unwrap_or(0),
            place: place.flatten(),
        })
    }
}

/// A supervision or follow-up meeting of a placement.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct MeetingForm {
    pub kind: String,
    pub date: String,
    pub notes: String,
}

#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub date: NaiveDate,
    pub notes: Option<String>,
}

impl MeetingForm {
    /// A meeting falls on or after the placement's start (`starts_on`).
    pub fn parse(&self, starts_on: NaiveDate) -> Result<NewMeeting, DomainError> {
        let mut e = Errors::new();
        let kind = e.take("kind", MeetingKind::parse(&self.kind));
        let date = e.take("date", parse_date(&self.date));
        let notes = e.take("notes", optional(&self.notes, 4000));
        if date.is_some_and(|d| d < starts_on) {
            e.push("date", ErrorCode::DateRange);
        }
        e.into_result()?;
        match (kind, date) {
            (Some(kind), Some(date)) => Ok(NewMeeting {
                kind,
                date,
                notes: notes.flatten(),
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_training_needs_a_title_and_a_day_and_a_meeting_comes_after_the_start() {
        let bad = TrainingForm {
            hours: "30".into(),
            ..Default::default()
        };
        let Err(DomainError::Invalid(errors)) = bad.parse() else {
            panic!("refused");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["title", "date", "hours"]);
        let start = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        let early = MeetingForm {
            kind: "supervision".into(),
            date: "1.3.2026".into(),
            notes: String::new(),
        };
        assert!(early.parse(start).is_err());
        let ok = MeetingForm {
            date: "16.3.2026".into(),
            ..early
        };
        assert_eq!(
            ok.parse(start).map(|m| m.kind).ok(),
            Some(MeetingKind::Supervision)
        );
    }
}
