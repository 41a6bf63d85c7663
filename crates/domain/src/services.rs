//! The shared service catalogue, group programmes with sessions, enrolment and attendance,
//! and individual guidance contacts.

use crate::dates::{parse_date, parse_optional_date};
use crate::error::Errors;
use crate::text::{optional, optional_int, required};
use crate::{DomainError, ErrorCode};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

crate::choice_enum!(
    ServiceKind {
        GroupCoaching = "group_coaching",
        IndividualGuidance = "individual_guidance",
        Workshop = "workshop",
        ThemeDay = "theme_day",
        FollowUpMeeting = "follow_up_meeting",
        PeerGroup = "peer_group",
        Webinar = "webinar",
        TrainingModule = "training_module",
        CertificateCourse = "certificate_course",
        RecruitmentEvent = "recruitment_event",
        EmployerBrunch = "employer_brunch",
        DropInDuty = "drop_in_duty",
        EServicesHelp = "e_services_help",
        CompetenceMapping = "competence_mapping",
    }
);

crate::choice_enum!(Channel { InPerson = "in_person", Online = "online", Phone = "phone", Chat = "chat" });

crate::choice_enum!(
    /// Who offers a module on the study menu (TEHDAS: staff, partners, and the participants themselves).
    OfferedBy { Staff = "staff", Partner = "partner", Participant = "participant" }
);

crate::choice_enum!(
    /// A participant-proposed module waits for a counsellor's approval before anyone can enrol.
    Approval { Approved = "approved", Pending = "pending", Rejected = "rejected" }
);

crate::choice_enum!(EnrolmentStatus { Enrolled = "enrolled", Waiting = "waiting", Cancelled = "cancelled" });
crate::choice_enum!(Attendance { Present = "present", Absent = "absent", Excused = "excused" });
crate::choice_enum!(ContactKind { Meeting = "meeting", Phone = "phone", Email = "email", Chat = "chat" });

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ServiceForm {
    pub project_id: String,
    pub kind: String,
    pub name: String,
    pub description: String,
    pub channel: String,
    pub place: String,
    pub town: String,
    pub capacity: String,
    /// Comma separated: fi, sv, en, …
    pub languages: String,
    pub offered_by: String,
    /// Participant who proposed and runs the module (study menu), if any.
    pub proposed_by_participant_id: String,
    pub starts_on: String,
    pub ends_on: String,
    pub version: String,
}

#[derive(Debug, Clone)]
pub struct ServiceDraft {
    pub project_id: Option<i64>,
    pub kind: ServiceKind,
    pub name: String,
    pub description: Option<String>,
    pub channel: Channel,
    pub place: Option<String>,
    pub town: Option<String>,
    pub capacity: Option<i64>,
    pub languages: Vec<String>,
    pub offered_by: OfferedBy,
    pub proposed_by_participant_id: Option<i64>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub version: Option<i64>,
}

impl ServiceDraft {
    /// Staff and partner offers are approved at once; a participant's proposal waits.
    pub fn initial_approval(&self) -> Approval {
        if self.offered_by == OfferedBy::Participant {
            Approval::Pending
        } else {
            Approval::Approved
        }
    }
}

fn language(s: &str) -> Result<String, ErrorCode> {
    let l = s.trim().to_lowercase();
    if (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()) {
        Ok(l)
    } else {
        Err(ErrorCode::ChoiceInvalid)
    }
}

impl ServiceForm {
    pub fn parse(&self) -> Result<ServiceDraft, DomainError> {
        let mut e = Errors::new();
        let project_id = e
            .take("project_id", optional_int(&self.project_id, 1, i64::MAX))
            .flatten();
        let kind = e.take("kind", ServiceKind::parse(&self.kind));
        let name = e.take("name", required(&self.name, 200));
        let description = e
            .take("description", optional(&self.description, 5000))
            .flatten();
        let channel = e.take(
            "channel",
            if self.channel.trim().is_empty() {
                Ok(Channel::InPerson)
            } else {
                Channel::parse(&self.channel)
            },
        );
        let place = e.take("place", optional(&self.place, 300)).flatten();
        let town = e.take("town", optional(&self.town, 100)).flatten();
        let capacity = e
            .take("capacity", optional_int(&self.capacity, 1, 100_000))
            .flatten();
        let mut languages = vec![];
        for l in self.languages.split(',').filter(|l| !l.trim().is_empty()) {
            if let Some(l) = e.take("languages", language(l)) {
                languages.push(l);
            }
        }
        if languages.is_empty() {
            languages.push("fi".into());
        }
        let offered_by = e.take(
            "offered_by",
            if self.offered_by.trim().is_empty() {
                Ok(OfferedBy::Staff)
            } else {
                OfferedBy::parse(&self.offered_by)
            },
        );
        let proposed_by_participant_id = e
            .take(
                "proposed_by_participant_id",
                optional_int(&self.proposed_by_participant_id, 1, i64::MAX),
            )
            .flatten();
        if offered_by == Some(OfferedBy::Participant) && proposed_by_participant_id.is_none() {
            e.push("proposed_by_participant_id", ErrorCode::Required);
        }
        let starts_on = e
            .take("starts_on", parse_optional_date(&self.starts_on))
            .flatten();
        let ends_on = e
            .take("ends_on", parse_optional_date(&self.ends_on))
            .flatten();
        if let (Some(s), Some(en)) = (starts_on, ends_on) {
            if en < s {
                e.push("ends_on", ErrorCode::DateRange);
            }
        }
        let version = e
            .take("version", optional_int(&self.version, 0, i64::MAX))
            .flatten();
        e.into_result()?;
        match (kind, name, channel, offered_by) {
            (Some(kind), Some(name), Some(channel), Some(offered_by)) => Ok(ServiceDraft {
                project_id,
                kind,
                name,
                description,
                channel,
                place,
                town,
                capacity,
                languages,
                offered_by,
                proposed_by_participant_id,
                starts_on,
                ends_on,
                version,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

/// A session of a programme: a date, a time span and who facilitates.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SessionForm {
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub facilitators: String,
}

#[derive(Debug, Clone)]
pub struct SessionDraft {
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub place: Option<String>,
    pub facilitators: Option<String>,
}

/// "9", "9.00", "9:00", "09:30" — as Finns type times.
pub fn parse_time(s: &str) -> Result<NaiveTime, ErrorCode> {
    let t = s.trim().replace('.', ":");
    if t.is_empty() {
        return Err(ErrorCode::Required);
    }
    let (h, m) = t.split_once(':').unwrap_or((&t, "0"));
    match (h.parse::<u32>(), m.parse::<u32>()) {
        (Ok(h), Ok(m)) => NaiveTime::from_hms_opt(h, m, 0).ok_or(ErrorCode::TimeInvalid),
        _ => Err(ErrorCode::TimeInvalid),
    }
}

/// A time slot on one day, from the date, start and end fields every slot form has
/// (`date`, `start_time`, `end_time`); errors go under those field names.
pub fn parse_slot(
    e: &mut Errors,
    date: &str,
    start: &str,
    end: &str,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let date = e.take("date", parse_date(date));
    let start = e.take("start_time", parse_time(start));
    let end = e.take("end_time", parse_time(end));
    if let (Some(s), Some(en)) = (start, end) {
        if en <= s {
            e.push("end_time", ErrorCode::DateRange);
            return None;
        }
    }
    Some((date?.and_time(start?), date?.and_time(end?)))
}

impl SessionForm {
    pub fn parse(&self) -> Result<SessionDraft, DomainError> {
        let mut e = Errors::new();
        let slot = parse_slot(&mut e, &self.date, &self.start_time, &self.end_time);
        let place = e.take("place", optional(&self.place, 300)).flatten();
        let facilitators = e
            .take("facilitators", optional(&self.facilitators, 500))
            .flatten();
        e.into_result()?;
        let (starts_at, ends_at) =
            slot.ok_or_else(|| DomainError::field("form", ErrorCode::Internal))?;
        Ok(SessionDraft {
            starts_at,
            ends_at,
            place,
            facilitators,
        })
    }
}

/// An individual guidance contact on the participant's timeline.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub kind: String,
    pub date: String,
    pub duration_min: String,
    pub summary: String,
}

#[derive(Debug, Clone)]
pub struct NewContact {
    pub kind: ContactKind,
    pub date: NaiveDate,
    pub duration_min: i64,
    pub summary: String,
}

impl ContactForm {
    pub fn parse(&self, today: NaiveDate) -> Result<NewContact, DomainError> {
        let mut e = Errors::new();
        let kind = e.take("kind", ContactKind::parse(&self.kind));
        let date = e.take("date", parse_date(&self.date));
        if date.is_some_and(|d| d > today) {
            e.push("date", ErrorCode::DateRange);
        }
        let duration_min = e.take(
            "duration_min",
            optional_int(&self.duration_min, 1, 24 * 60).and_then(|v| v.ok_or(ErrorCode::Required)),
        );
        let summary = e.take("summary", required(&self.summary, 5000));
        e.into_result()?;
        match (kind, date, duration_min, summary) {
            (Some(kind), Some(date), Some(duration_min), Some(summary)) => Ok(NewContact {
                kind,
                date,
                duration_min,
                summary,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

/// Attendance counts for one participant or a whole group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct AttendanceTally {
    pub present: i64,
    pub absent: i64,
    pub excused: i64,
}

impl AttendanceTally {
    pub fn add(&mut self, a: Attendance) {
        match a {
            Attendance::Present => self.present += 1,
            Attendance::Absent => self.absent += 1,
            Attendance::Excused => self.excused += 1,
        }
    }
    pub fn recorded(&self) -> i64 {
        self.present + self.absent + self.excused
    }
    /// Share present of the sessions with attendance recorded, in per mille so it stays an integer
    /// until shown (`None` when nothing is recorded yet). Excused absences count as not present:
    /// the funder asks how much of the programme a person actually took part in.
    pub fn rate_permille(&self) -> Option<i64> {
        crate::share::permille(self.present, self.recorded())
    }
}

/// Per mille as a Finnish/Swedish percentage with one decimal ("66,7 %"), or English ("66.7%").
pub fn format_rate(permille: Option<i64>, lang: &str) -> String {
    match permille {
        None => "—".into(),
        Some(p) => {
            let (whole, tenth) = (p / 10, p % 10);
            if lang == "en" {
                format!("{whole}.{tenth}%")
            } else {
                format!("{whole},{tenth}\u{a0}%")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_and_format() {
        let mut t = AttendanceTally::default();
        assert_eq!(t.rate_permille(), None);
        t.add(Attendance::Present);
        t.add(Attendance::Present);
        t.add(Attendance::Excused);
        assert_eq!(t.rate_permille(), Some(667));
        assert_eq!(format_rate(t.rate_permille(), "fi"), "66,7\u{a0}%");
        assert_eq!(format_rate(t.rate_permille(), "en"), "66.7%");
        assert_eq!(format_rate(None, "sv"), "—");
    }

    #[test]
    fn participant_module_needs_its_proposer_and_waits_for_approval() {
        let f = ServiceForm {
            kind: "workshop".into(),
            name: "Kielikahvila".into(),
            offered_by: "participant".into(),
            ..Default::default()
        };
        assert!(
            matches!(f.parse(), Err(DomainError::Invalid(v)) if v[0].field == "proposed_by_participant_id")
        );
        let f = ServiceForm {
            proposed_by_participant_id: "7".into(),
            capacity: "12".into(),
            ..f
        };
        let d = f.parse().unwrap();
        assert_eq!(
            (d.initial_approval(), d.capacity, d.languages.clone()),
            (Approval::Pending, Some(12), vec!["fi".to_string()])
        );
    }

    #[test]
    fn sessions_and_times() {
        assert_eq!(
            parse_time("9"),
            Ok(NaiveTime::from_hms_opt(9, 0, 0).unwrap())
        );
        assert_eq!(
            parse_time("12.30"),
            Ok(NaiveTime::from_hms_opt(12, 30, 0).unwrap())
        );
        assert_eq!(parse_time("25:00"), Err(ErrorCode::TimeInvalid));
        let s = SessionForm {
            date: "5.10.2015".into(),
            start_time: "9.00".into(),
            end_time: "15.30".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(s.starts_at.to_string(), "2015-10-05 09:00:00");
        let bad = SessionForm {
            date: "5.10.2015".into(),
            start_time: "15".into(),
            end_time: "9".into(),
            ..Default::default()
        };
        assert!(matches!(bad.parse(), Err(DomainError::Invalid(v)) if v[0].field == "end_time"));
    }

    #[test]
    fn contact_in_future_is_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let f = ContactForm {
            kind: "phone".into(),
            date: "3.3.2026".into(),
            duration_min: "20".into(),
            summary: "Soitto".into(),
        };
        assert!(
            matches!(f.parse(today), Err(DomainError::Invalid(v)) if v[0].code == ErrorCode::DateRange)
        );
        let f = ContactForm {
            date: "2.3.2026".into(),
            ..f
        };
        assert_eq!(f.parse(today).unwrap().duration_min, 20);
    }
}
