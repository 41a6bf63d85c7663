//! What the API takes: request bodies and query parameters, typed (numbers, booleans, ISO
//! dates), turned into the domain's forms by the handlers.

use super::objects::{iso, Mark};
use super::text;
use chrono::{NaiveDate, NaiveTime};
use polku_domain::dropin::{PointForm, ShiftForm, VisitForm};
use polku_domain::ids::ProjectId;
use polku_domain::participant::{ExitForm, GoalForm, StepForm};
use polku_domain::project::TargetGroupForm;
use polku_domain::services::{ContactForm, SessionForm};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct SearchParams {
    /// A complete henkilötunnus, or words that must all match: a name by its beginning, or notes
    /// and guidance contact summaries in any inflected form (Finnish, Swedish, English).
    pub q: String,
    pub project: Option<ProjectId>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ExitInput {
    pub exit_date: String,
    /// employed_open, employed_subsidised, self_employed, education, qualification, job_searching, outside_labour_force, unemployed, unknown
    pub exit_status: String,
    /// Gained a qualification upon leaving, whatever the status (ESF+ EECR03).
    pub qualification: bool,
    /// In education or training upon leaving, beside the status (ESF+ EECR02).
    pub in_education: bool,
    /// The version you read; a stale one gets 409.
    pub version: i64,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct EraseInput {
    /// `request` (the person's justified request) or `retention` (the period has ended).
    pub reason: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NoteInput {
    pub body: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct GoalInput {
    /// work, training, entrepreneurship, other
    pub kind: String,
    pub description: String,
    pub target_date: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct StepInput {
    pub description: String,
    pub due_date: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ConsentInput {
    /// data_processing, sensitive_data, share_with_partners, surveys
    pub kind: String,
    pub granted: bool,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ContactInput {
    /// meeting, phone, email, chat
    pub kind: String,
    pub date: Option<NaiveDate>,
    /// Minutes, 1–1440.
    pub duration_min: i64,
    pub summary: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct FollowUpInput {
    /// The situation six months after exit: the exit statuses' values.
    pub status: String,
    /// Whether their labour-market situation improved (ESF+ EECR06).
    pub improved: bool,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct ServiceFilter {
    /// A service kind.
    pub kind: Option<String>,
    pub project: Option<i64>,
    pub town: Option<String>,
    /// Words in the name or description.
    pub q: Option<String>,
    /// in_person, online, phone or chat.
    pub channel: Option<String>,
    /// A language it is given in: fi, sv or en.
    pub language: Option<String>,
    /// The organising organisation.
    pub org: Option<i64>,
    /// Only those with a free place.
    pub free: bool,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ServiceInput {
    pub project_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub description: String,
    /// in_person, online, phone, chat
    pub channel: String,
    pub place: String,
    pub town: String,
    pub capacity: Option<i64>,
    pub languages: Vec<String>,
    pub offered_by: String,
    pub proposed_by_participant_id: Option<i64>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// The providing organisation; absent: the caller's own.
    pub provider_org_id: Option<i64>,
    /// Target groups of the service's project it is for; empty: anyone.
    pub target_groups: Vec<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct SessionInput {
    pub date: Option<NaiveDate>,
    /// HH:MM, local time
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub facilitators: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct EnrolInput {
    pub participant_id: Option<i64>,
    /// Put them on the waiting list even if there is room.
    pub waitlist: bool,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApprovalInput {
    /// approved, rejected
    pub decision: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MarksInput {
    pub marks: Vec<Mark>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PointInput {
    pub name: String,
    pub address: String,
    pub town: String,
    pub project_id: Option<i64>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct WeekParams {
    /// Any day of the week (default: this week).
    pub week: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct HoursInput {
    /// 0 Monday … 6 Sunday
    pub weekday: i64,
    /// HH:MM; both absent: closed that day.
    pub opens: Option<NaiveTime>,
    pub closes: Option<NaiveTime>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ShiftInput {
    pub date: Option<NaiveDate>,
    /// HH:MM
    pub start_time: String,
    pub end_time: String,
    /// A partner organisation already on duty; absent: the shift is free to take.
    pub org_id: Option<i64>,
    pub topic: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct VisitInput {
    pub date: Option<NaiveDate>,
    /// A registered participant of the caller's organisation …
    pub participant_id: Option<i64>,
    /// … or a number of anonymous visitors.
    pub anonymous_count: Option<i64>,
    pub topic: String,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct CalendarParams {
    /// First day (default: 1 January this year).
    pub from: Option<NaiveDate>,
    /// Day after the last (default: a year after `from`).
    pub to: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct InvitationInput {
    pub org_id: Option<i64>,
    pub name: String,
    pub email: String,
    /// admin, project_manager, counsellor, employer_coordinator, partner_staff, auditor
    pub role: String,
    /// fi, sv or en: the language of the invitation and of the account.
    pub locale: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct OrganisationInput {
    pub name: String,
    pub business_id: String,
    /// project_owner, te_office, municipality, kela, college, ngo, company, funder
    pub kind: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TargetGroupInput {
    pub name: String,
    pub min_age: Option<i64>,
    pub max_age: Option<i64>,
    /// Municipality codes or names.
    pub municipalities: Vec<String>,
    pub min_education: Option<String>,
    pub min_subsidy_days: Option<i64>,
    pub min_unemployed_months: Option<i64>,
    pub requires_partial_work_ability: bool,
    pub unemployed_only: bool,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PartnerInput {
    pub org_id: Option<i64>,
    /// co_implementer, partner, funder
    pub role: String,
}

/// Each body as the form the pages post, so both go through the same parsing.
macro_rules! into_form {
    ($input:ty => $form:ty, |$i:ident| $body:expr) => {
        impl From<$input> for $form {
            fn from($i: $input) -> $form {
                $body
            }
        }
    };
}

into_form!(TargetGroupInput => TargetGroupForm, |i| TargetGroupForm {
    name: i.name,
    min_age: text(i.min_age),
    max_age: text(i.max_age),
    municipalities: i.municipalities.join(","),
    min_education: i.min_education.unwrap_or_default(),
    min_subsidy_days: text(i.min_subsidy_days),
    min_unemployed_months: text(i.min_unemployed_months),
    requires_partial_work_ability: i.requires_partial_work_ability.then(|| "on".into()),
    unemployed_only: i.unemployed_only.then(|| "on".into()),
});

into_form!(PointInput => PointForm, |i| PointForm {
    name: i.name,
    address: i.address,
    town: i.town,
    project_id: text(i.project_id),
});

into_form!(ShiftInput => ShiftForm, |i| ShiftForm {
    date: text(i.date),
    start_time: i.start_time,
    end_time: i.end_time,
    org_id: text(i.org_id),
    topic: i.topic,
});

into_form!(VisitInput => VisitForm, |i| VisitForm {
    date: text(i.date),
    participant_id: text(i.participant_id),
    anonymous_count: text(i.anonymous_count),
    topic: i.topic,
});

into_form!(SessionInput => SessionForm, |i| SessionForm {
    date: text(i.date),
    start_time: i.start_time,
    end_time: i.end_time,
    place: i.place,
    facilitators: i.facilitators,
});

into_form!(GoalInput => GoalForm, |i| GoalForm {
    kind: i.kind,
    description: i.description,
    target_date: iso(i.target_date),
});

into_form!(StepInput => StepForm, |i| StepForm {
    description: i.description,
    due_date: iso(i.due_date),
});

into_form!(ContactInput => ContactForm, |i| ContactForm {
    kind: i.kind,
    date: iso(i.date),
    duration_min: i.duration_min.to_string(),
    summary: i.summary,
});

into_form!(ExitInput => ExitForm, |i| ExitForm {
    exit_date: i.exit_date,
    exit_status: i.exit_status,
    qualification: polku_domain::text::Checkbox(i.qualification),
    in_education: polku_domain::text::Checkbox(i.in_education),
    version: i.version.to_string(),
});
