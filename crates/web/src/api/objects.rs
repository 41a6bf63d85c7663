//! What the API answers: its own types, stable and documented, made from the store's rows.
//! (One file, so the schema reads in one place.)

use super::local_time as time;
use chrono::{NaiveDate, NaiveDateTime};
use polku_domain::special::SpecialCategories;
use polku_store::calendar::EntryRow;
use polku_store::dropin::{PointRow, ShiftRow, VisitRow};
use polku_store::orgs::Org;
use polku_store::participants::{NoteRow, ParticipantRow};
use polku_store::services::{ContactRow, ServiceRow, SessionRow};
use polku_store::users::UserRow;
use polku_usecases::participants as uc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A participant; `hetu` only on the single-participant endpoints.
#[derive(Serialize, ToSchema)]
pub struct Participant {
    #[serde(flatten)]
    pub record: ParticipantRow,
    pub hetu: Option<String>,
    /// Only in the answer about one participant, never in lists.
    pub special_categories: Option<SpecialAnswers>,
}

/// The voluntary special-category answers: yes, no, refused or not_asked.
#[derive(Serialize, ToSchema)]
pub struct SpecialAnswers {
    pub disability: String,
    pub foreign_background: String,
    pub third_country_national: String,
    pub minority: String,
    pub homeless: String,
}

impl From<SpecialCategories> for SpecialAnswers {
    fn from(s: SpecialCategories) -> Self {
        SpecialAnswers {
            disability: s.disability.as_str().into(),
            foreign_background: s.foreign_background.as_str().into(),
            third_country_national: s.third_country_national.as_str().into(),
            minority: s.minority.as_str().into(),
            homeless: s.homeless.as_str().into(),
        }
    }
}

pub(super) fn participant(record: ParticipantRow, hetu: Option<String>) -> Participant {
    Participant {
        record,
        hetu,
        special_categories: None,
    }
}

/// One participant with the identity code and the special-category answers decrypted.
pub(super) fn one_participant(r: uc::Record) -> Participant {
    Participant {
        special_categories: Some(r.special.into()),
        ..participant(r.p, r.hetu)
    }
}

#[derive(Serialize, ToSchema)]
pub struct Erased {
    /// Participations that became anonymous ESF+ records.
    pub participations: usize,
}

pub(super) fn date(s: &str) -> Option<NaiveDate> {
    polku_store::parse_date(s.get(..10).unwrap_or(s))
}

pub(super) fn iso(d: Option<NaiveDate>) -> String {
    d.map(polku_store::date).unwrap_or_default()
}

/// A goal of the person's plan, with its steps.
#[derive(Serialize, ToSchema)]
pub struct Goal {
    pub id: i64,
    /// work, training, entrepreneurship, other
    pub kind: String,
    pub description: String,
    pub target_date: Option<NaiveDate>,
    pub status: String,
    pub steps: Vec<Step>,
}

#[derive(Serialize, ToSchema)]
pub struct Step {
    pub id: i64,
    pub description: String,
    pub due_date: Option<NaiveDate>,
    pub done: bool,
}

/// A consent event: the latest per kind is in force.
#[derive(Serialize, ToSchema)]
pub struct Consent {
    /// data_processing, sensitive_data, share_with_partners, surveys
    pub kind: String,
    pub granted: bool,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
}

/// The six-month follow-up after exit: due, and once done, its finding.
#[derive(Serialize, ToSchema)]
pub struct FollowUp {
    pub due_date: Option<NaiveDate>,
    pub done: bool,
    pub status: Option<String>,
    pub improved: Option<bool>,
}

impl From<polku_store::follow_ups::FollowUpRow> for FollowUp {
    fn from(f: polku_store::follow_ups::FollowUpRow) -> Self {
        FollowUp {
            due_date: date(&f.due_date),
            done: f.done_at.is_some(),
            status: f.status,
            improved: f.improved.map(|i| i != 0),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Plan {
    pub goals: Vec<Goal>,
    pub consents: Vec<Consent>,
    pub follow_up: Option<FollowUp>,
}

api_object! {
    pub struct Note from NoteRow as n {
        id: i64,
        author_name: String,
        body: String,
        created_at: String,
    }
}

api_object! {
    pub struct Contact from ContactRow as c {
        id: i64,
        counsellor_name: String,
        /// meeting, phone, email, chat
        kind: String,
        date: Option<NaiveDate> = date(&c.date),
        duration_min: i64,
        summary: String,
    }
}

pub(super) fn opt_date(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(polku_store::parse_date)
}

api_object! {
    /// A service of the shared catalogue.
    pub struct Service from ServiceRow as s {
        id: i64,
        /// The organising organisation.
        org_id: i64,
        org_name: String,
        provider_org_id: i64,
        provider_name: String,
        project_id: Option<i64>,
        project_code: Option<String>,
        /// group_coaching, individual_guidance, workshop, theme_day, follow_up_meeting, peer_group,
        /// webinar, training_module, certificate_course, recruitment_event, employer_brunch,
        /// drop_in_duty, e_services_help, competence_mapping
        kind: String,
        name: String,
        description: Option<String>,
        channel: String,
        place: Option<String>,
        town: Option<String>,
        capacity: Option<i64>,
        languages: Vec<String> = s
            .languages
            .split(',')
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        offered_by: String,
        proposed_by_participant_id: Option<i64>,
        /// pending, approved, rejected
        approval: String,
        starts_on: Option<NaiveDate> = opt_date(&s.starts_on),
        ends_on: Option<NaiveDate> = opt_date(&s.ends_on),
        enrolled: i64 = s.enrolled_count,
        waiting: i64 = s.waiting_count,
        sessions: i64 = s.session_count,
        /// The row's version, for optimistic concurrency.
        version: i64,
    }
}

api_object! {
    pub struct Session from SessionRow as s {
        id: i64,
        /// Local time (Europe/Helsinki).
        starts_at: Option<NaiveDateTime> = time(&s.starts_at),
        ends_at: Option<NaiveDateTime> = time(&s.ends_at),
        place: Option<String>,
        facilitators: Option<String>,
    }
}

/// Someone on the roster, with their attendance so far.
#[derive(Serialize, ToSchema)]
pub struct RosterEntry {
    pub participant_id: i64,
    pub first_name: String,
    pub last_name: String,
    /// enrolled, waiting
    pub status: String,
    pub present: i64,
    pub absent: i64,
    pub excused: i64,
}

/// A service with its sessions; the roster only for the organising organisation.
#[derive(Serialize, ToSchema)]
pub struct ServiceDetail {
    pub service: Service,
    pub sessions: Vec<Session>,
    pub roster: Option<Vec<RosterEntry>>,
}

#[derive(Serialize, ToSchema)]
pub struct Enrolment {
    /// enrolled, waiting
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct Cancelled {
    /// Who took the place from the waiting list, if anyone.
    pub promoted_participant_id: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Mark {
    pub participant_id: i64,
    /// present, absent, excused; empty or absent: not marked
    #[serde(default)]
    pub mark: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SessionAttendance {
    pub session: Session,
    /// Everyone enrolled, with their mark.
    pub marks: Vec<Mark>,
}

#[derive(Serialize, ToSchema)]
pub struct Marked {
    pub saved: usize,
}

api_object! {
    pub struct Point from PointRow as p {
        id: i64,
        org_id: i64,
        org_name: String,
        project_id: Option<i64>,
        name: String,
        address: Option<String>,
        town: Option<String>,
    }
}

#[derive(Serialize, ToSchema)]
pub struct Hours {
    /// 0 Monday … 6 Sunday
    pub weekday: i64,
    pub opens: String,
    pub closes: String,
}

api_object! {
    pub struct Shift from ShiftRow as s {
        id: i64,
        /// The organisation on duty; null while the shift is free.
        org_id: Option<i64>,
        org_name: Option<String>,
        starts_at: Option<NaiveDateTime> = time(&s.starts_at),
        ends_at: Option<NaiveDateTime> = time(&s.ends_at),
        topic: Option<String>,
        version: i64,
    }
}

api_object! {
    pub struct Visit from VisitRow as v {
        id: i64,
        date: Option<NaiveDate> = polku_store::parse_date(&v.date),
        participant_id: Option<i64>,
        participant_name: Option<String>,
        anonymous_count: i64,
        topic: Option<String>,
    }
}

#[derive(Serialize, ToSchema)]
pub struct DayCount {
    pub date: Option<NaiveDate>,
    pub registered: i64,
    pub anonymous: i64,
}

/// A point's week: opening hours, shifts and daily visitor counts for everyone; the visit log
/// only for the organising organisation (its read is audited).
#[derive(Serialize, ToSchema)]
pub struct Week {
    pub point: Point,
    pub monday: NaiveDate,
    pub hours: Vec<Hours>,
    pub shifts: Vec<Shift>,
    pub counts: Vec<DayCount>,
    pub visits: Option<Vec<Visit>>,
}

api_object! {
    pub struct CalendarEntry from EntryRow as e {
        /// session or shift
        kind: String,
        title: String,
        starts_at: Option<NaiveDateTime> = time(&e.starts_at),
        ends_at: Option<NaiveDateTime> = time(&e.ends_at),
        place: Option<String>,
    }
}

api_object! {
    pub struct User from UserRow as u {
        id: i64,
        org_id: i64,
        name: String,
        email: String,
        role: String,
        active: bool = u.active != 0,
        locked: bool = u.locked_at.is_some(),
    }
}

api_object! {
    pub struct Organisation from Org as o {
        id: i64,
        name: String,
        business_id: Option<String>,
        kind: String,
    }
}
