//! What the API answers: its own types, stable and documented, made from the store's rows.
//! (One file, so the schema reads in one place.)

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use polku_domain::authz::Role;
use polku_domain::ids::*;
use polku_domain::participant::{
    ConsentKind, Education, ExitStatus, Gender, GoalKind, GoalStatus, LabourStatus,
};
use polku_domain::services::{Approval, Channel, ContactKind, OfferedBy, ServiceKind};
use polku_domain::special::SpecialCategories;
use polku_store::calendar::EntryRow;
use polku_store::dropin::{PointRow, ShiftRow, VisitRow};
use polku_store::orgs::Org;
use polku_store::participants::{NoteRow, ParticipantRow};
use polku_store::projects::ProjectRow;
use polku_store::services::{ContactRow, ServiceRow, SessionRow};
use polku_store::users::UserRow;
use polku_usecases::participants as uc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A participant; `hetu` only on the single-participant endpoints.
#[derive(Serialize, ToSchema)]
pub struct Participant {
    #[serde(flatten)]
    pub record: ParticipantRecord,
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

api_object! {
    /// What a participant's record holds besides the identity code and special categories.
    pub struct ParticipantRecord from ParticipantRow as p {
        id: ParticipantId,
        project_id: ProjectId,
        project_code: String,
        org_id: OrgId,
        target_group_id: Option<TargetGroupId>,
        first_name: String,
        last_name: String,
        birth_date: NaiveDate,
        gender: Option<Gender>,
        email: Option<String>,
        phone: Option<String>,
        /// Statistics Finland's three-digit municipality code.
        municipality: String,
        postal_code: Option<String>,
        education: Option<Education>,
        labour_status: Option<LabourStatus>,
        unemployed_since: Option<NaiveDate>,
        subsidy_days: Option<i64>,
        entry_date: NaiveDate,
        counsellor_id: Option<UserId>,
        counsellor_name: Option<String>,
        exit_date: Option<NaiveDate>,
        exit_status: Option<ExitStatus>,
        /// Gained a qualification upon leaving (ESF+ EECR03).
        exit_qualification: bool,
        /// In education or training upon leaving (ESF+ EECR02).
        exit_in_education: bool,
        /// The row's version, for optimistic concurrency.
        version: i64,
    }
}

pub(super) fn participant(record: ParticipantRow, hetu: Option<String>) -> Participant {
    Participant {
        record: record.into(),
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

pub(super) fn iso(d: Option<NaiveDate>) -> String {
    d.map(polku_store::date).unwrap_or_default()
}

/// A goal of the person's plan, with its steps.
#[derive(Serialize, ToSchema)]
pub struct Goal {
    pub id: GoalId,
    pub kind: GoalKind,
    pub description: String,
    pub target_date: Option<NaiveDate>,
    pub status: GoalStatus,
    pub steps: Vec<Step>,
}

/// The plan's goals, each with its steps.
pub fn goals_with_steps(
    goals: Vec<polku_store::participants::GoalRow>,
    steps: &[polku_store::participants::StepRow],
) -> Vec<Goal> {
    goals
        .into_iter()
        .map(|g| Goal {
            steps: steps
                .iter()
                .filter(|s| s.goal_id == g.id)
                .map(|s| Step {
                    id: s.id,
                    description: s.description.clone(),
                    due_date: s.due_date,
                    done: s.done,
                })
                .collect(),
            id: g.id,
            kind: g.kind,
            description: g.description,
            target_date: g.target_date,
            status: g.status,
        })
        .collect()
}

#[derive(Serialize, ToSchema)]
pub struct Step {
    pub id: StepId,
    pub description: String,
    pub due_date: Option<NaiveDate>,
    pub done: bool,
}

/// A consent event: the latest per kind is in force.
#[derive(Serialize, ToSchema)]
pub struct Consent {
    pub kind: ConsentKind,
    pub granted: bool,
    pub recorded_at: DateTime<Utc>,
}

/// The six-month follow-up after exit: due, and once done, its finding.
#[derive(Serialize, ToSchema)]
pub struct FollowUp {
    pub due_date: NaiveDate,
    pub done: bool,
    pub status: Option<ExitStatus>,
    pub improved: Option<bool>,
}

impl From<polku_store::follow_ups::FollowUpRow> for FollowUp {
    fn from(f: polku_store::follow_ups::FollowUpRow) -> Self {
        FollowUp {
            due_date: f.due_date,
            done: f.done_at.is_some(),
            status: f.status,
            improved: f.improved,
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
        id: NoteId,
        author_name: String,
        body: String,
        created_at: DateTime<Utc>,
    }
}

api_object! {
    pub struct Contact from ContactRow as c {
        id: ContactId,
        counsellor_name: String,
        kind: ContactKind,
        date: NaiveDate,
        duration_min: i64,
        summary: String,
    }
}

api_object! {
    /// A service of the shared catalogue.
    pub struct Service from ServiceRow as s {
        id: ServiceId,
        /// The organising organisation.
        org_id: OrgId,
        org_name: String,
        provider_org_id: OrgId,
        provider_name: String,
        project_id: Option<ProjectId>,
        project_code: Option<String>,
        kind: ServiceKind,
        name: String,
        description: Option<String>,
        channel: Channel,
        place: Option<String>,
        town: Option<String>,
        capacity: Option<i64>,
        languages: Vec<String> = split_list(&s.languages),
        offered_by: OfferedBy,
        proposed_by_participant_id: Option<ParticipantId>,
        approval: Approval,
        starts_on: Option<NaiveDate>,
        ends_on: Option<NaiveDate>,
        enrolled: i64 = s.enrolled_count,
        waiting: i64 = s.waiting_count,
        sessions: i64 = s.session_count,
        /// The row's version, for optimistic concurrency.
        version: i64,
    }
}

api_object! {
    pub struct Session from SessionRow as s {
        id: SessionId,
        /// Local time (Europe/Helsinki).
        starts_at: NaiveDateTime,
        ends_at: NaiveDateTime,
        place: Option<String>,
        facilitators: Option<String>,
        /// How many attendance marks the session has (0: not marked yet).
        marked: i64,
    }
}

/// Someone on the roster, with their attendance so far.
#[derive(Serialize, ToSchema)]
pub struct RosterEntry {
    pub participant_id: ParticipantId,
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
    pub promoted_participant_id: Option<ParticipantId>,
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
        id: PointId,
        org_id: OrgId,
        org_name: String,
        project_id: Option<ProjectId>,
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
        id: ShiftId,
        /// The organisation on duty; null while the shift is free.
        org_id: Option<OrgId>,
        org_name: Option<String>,
        starts_at: NaiveDateTime,
        ends_at: NaiveDateTime,
        topic: Option<String>,
        version: i64,
    }
}

api_object! {
    pub struct Visit from VisitRow as v {
        id: VisitId,
        date: NaiveDate,
        participant_id: Option<ParticipantId>,
        participant_name: Option<String>,
        anonymous_count: i64,
        topic: Option<String>,
    }
}

api_object! {
    pub struct DayCount from polku_store::dropin::DayCount as d {
        date: NaiveDate,
        registered: i64,
        anonymous: i64,
    }
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
        starts_at: NaiveDateTime,
        ends_at: NaiveDateTime,
        place: Option<String>,
    }
}

api_object! {
    pub struct User from UserRow as u {
        id: UserId,
        org_id: OrgId,
        name: String,
        email: String,
        role: Role,
        active: bool,
        locked: bool = u.locked_at.is_some(),
    }
}

api_object! {
    pub struct Organisation from Org as o {
        id: OrgId,
        name: String,
        business_id: Option<String>,
        kind: String,
    }
}

api_object! {
    /// A project (hanke) with its targets and budget.
    pub struct Project from ProjectRow as p {
        id: ProjectId,
        /// The funder's project code, e.g. S20363.
        code: String,
        name: String,
        owner_org_id: OrgId,
        owner_name: String,
        funding_line: Option<String>,
        objective: Option<String>,
        start_date: NaiveDate,
        end_date: NaiveDate,
        authority: Option<String>,
        /// Statistics Finland municipality codes.
        municipalities: Vec<String> = split_list(&p.municipalities),
        target_participants: Option<i64>,
        target_companies: Option<i64>,
        budget_public_cents: Option<i64>,
        budget_granted_cents: Option<i64>,
        budget_realised_cents: Option<i64>,
        final_payment_date: Option<NaiveDate>,
        retention_years: i64,
        /// The row's version, for optimistic concurrency.
        version: i64,
        /// Participants registered so far.
        participant_count: i64,
    }
}

/// A stored comma-separated list as its items.
fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}
