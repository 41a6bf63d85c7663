//! A low-threshold drop-in service point (VOIMA's "Voimala"): opening hours, duty shifts taken by
//! partner organisations, and a visit log. Anonymous visitors are counted apart from registered
//! participants: visitors of open services are not ESF participants.

use crate::dates::parse_date;
use crate::error::Errors;
use crate::services::parse_time;
use crate::text::{optional, optional_int, required};
use crate::{DomainError, ErrorCode};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PointForm {
    pub name: String,
    pub address: String,
    pub town: String,
    pub project_id: String,
}

#[derive(Debug, Clone)]
pub struct NewPoint {
    pub name: String,
    pub address: Option<String>,
    pub town: Option<String>,
    pub project_id: Option<i64>,
}

impl PointForm {
    pub fn parse(&self) -> Result<NewPoint, DomainError> {
        let mut e = Errors::new();
        let name = e.take("name", required(&self.name, 200));
        let address = e.take("address", optional(&self.address, 300)).flatten();
        let town = e.take("town", optional(&self.town, 100)).flatten();
        let project_id = e
            .take("project_id", optional_int(&self.project_id, 1, i64::MAX))
            .flatten();
        e.into_result()?;
        Ok(NewPoint {
            name: name.unwrap_or_default(),
            address,
            town,
            project_id,
        })
    }
}

/// Opening hours for one weekday (0 = Monday).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct HoursForm {
    pub weekday: String,
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    pub weekday: u8,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

impl HoursForm {
    pub fn parse(&self) -> Result<Hours, DomainError> {
        let mut e = Errors::new();
        let weekday = e.take(
            "weekday",
            optional_int(&self.weekday, 0, 6).and_then(|v| v.ok_or(ErrorCode::Required)),
        );
        let opens = e.take("opens", parse_time(&self.opens));
        let closes = e.take("closes", parse_time(&self.closes));
        if let (Some(o), Some(c)) = (opens, closes) {
            if c <= o {
                e.push("closes", ErrorCode::DateRange);
            }
        }
        e.into_result()?;
        match (weekday, opens, closes) {
            (Some(w), Some(opens), Some(closes)) => Ok(Hours {
                weekday: w as u8,
                opens,
                closes,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

/// A duty shift: a time slot, the organisation on duty (empty = open for partners to take) and a topic.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShiftForm {
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    pub org_id: String,
    pub topic: String,
}

#[derive(Debug, Clone)]
pub struct NewShift {
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub org_id: Option<i64>,
    pub topic: Option<String>,
}

impl ShiftForm {
    pub fn parse(&self) -> Result<NewShift, DomainError> {
        let mut e = Errors::new();
        let slot =
            crate::services::parse_slot(&mut e, &self.date, &self.start_time, &self.end_time);
        let org_id = e
            .take("org_id", optional_int(&self.org_id, 1, i64::MAX))
            .flatten();
        let topic = e.take("topic", optional(&self.topic, 300)).flatten();
        e.into_result()?;
        let (starts_at, ends_at) =
            slot.ok_or_else(|| DomainError::field("form", ErrorCode::Internal))?;
        Ok(NewShift {
            starts_at,
            ends_at,
            org_id,
            topic,
        })
    }
}

/// A visit: either a registered participant, or a number of anonymous visitors.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct VisitForm {
    pub date: String,
    pub participant_id: String,
    pub anonymous_count: String,
    pub topic: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visitor {
    Participant(i64),
    Anonymous(i64),
}

#[derive(Debug, Clone)]
pub struct NewVisit {
    pub date: NaiveDate,
    pub visitor: Visitor,
    pub topic: Option<String>,
}

impl VisitForm {
    pub fn parse(&self, today: NaiveDate) -> Result<NewVisit, DomainError> {
        let mut e = Errors::new();
        let date = e.take("date", parse_date(&self.date));
        if date.is_some_and(|d| d > today) {
            e.push("date", ErrorCode::DateRange);
        }
        let participant = e
            .take(
                "participant_id",
                optional_int(&self.participant_id, 1, i64::MAX),
            )
            .flatten();
        let anonymous = e
            .take(
                "anonymous_count",
                optional_int(&self.anonymous_count, 1, 10_000),
            )
            .flatten();
        let visitor = match (participant, anonymous) {
            (Some(p), None) => Some(Visitor::Participant(p)),
            (None, Some(n)) => Some(Visitor::Anonymous(n)),
            // One line is one kind of visit, so the two counts never mix.
            (Some(_), Some(_)) => {
                e.push("anonymous_count", ErrorCode::ChoiceInvalid);
                None
            }
            (None, None) => {
                e.push("anonymous_count", ErrorCode::Required);
                None
            }
        };
        let topic = e.take("topic", optional(&self.topic, 300)).flatten();
        e.into_result()?;
        match (date, visitor) {
            (Some(date), Some(visitor)) => Ok(NewVisit {
                date,
                visitor,
                topic,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visit_is_either_a_participant_or_anonymous() {
        let today = NaiveDate::from_ymd_opt(2019, 3, 5).unwrap();
        let v = VisitForm {
            date: "4.3.2019".into(),
            anonymous_count: "3".into(),
            ..Default::default()
        }
        .parse(today)
        .unwrap();
        assert_eq!(v.visitor, Visitor::Anonymous(3));
        let v = VisitForm {
            date: "4.3.2019".into(),
            participant_id: "7".into(),
            ..Default::default()
        }
        .parse(today)
        .unwrap();
        assert_eq!(v.visitor, Visitor::Participant(7));
        let both = VisitForm {
            date: "4.3.2019".into(),
            participant_id: "7".into(),
            anonymous_count: "2".into(),
            ..Default::default()
        };
        assert!(
            matches!(both.parse(today), Err(DomainError::Invalid(v)) if v[0].field == "anonymous_count")
        );
        let future = VisitForm {
            date: "6.3.2019".into(),
            anonymous_count: "1".into(),
            ..Default::default()
        };
        assert!(
            matches!(future.parse(today), Err(DomainError::Invalid(v)) if v[0].code == ErrorCode::DateRange)
        );
    }

    #[test]
    fn hours_and_shifts() {
        let h = HoursForm {
            weekday: "0".into(),
            opens: "9".into(),
            closes: "15.30".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(
            (h.weekday, h.closes.to_string()),
            (0, "15:30:00".to_string())
        );
        assert!(HoursForm {
            weekday: "7".into(),
            opens: "9".into(),
            closes: "15".into()
        }
        .parse()
        .is_err());
        let s = ShiftForm {
            date: "4.3.2019".into(),
            start_time: "10".into(),
            end_time: "12".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(s.org_id, None, "an open slot");
    }
}
