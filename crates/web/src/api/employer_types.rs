//! What the employer API answers and takes: its own types (ISO dates, numbers, enumerated
//! choices), made from the store's rows and turned into the domain's forms.

use super::text;
use chrono::NaiveDate;
use polku_domain::employer::{AttendeeKind, EmployerForm, Industry, InteractionKind, SizeClass};
use polku_domain::ids::*;
use polku_domain::placement::{
    OpeningKind, OpeningStatus, PlacementKind, PlacementResult, ProposalStatus,
};
use polku_store::employers::{AttendeeNameRow, ContactPersonRow, EmployerRow, InteractionRow};
use polku_store::placements::{ExtensionRow, OpeningRow, PlacementRow, ProposalRow};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

api_object! {
    pub struct Employer from EmployerRow as e {
        id: EmployerId,
        /// Y-tunnus
        business_id: String,
        name: String,
        industry: Option<Industry>,
        size_class: Option<SizeClass>,
        /// Statistics Finland's municipality code.
        municipality: Option<String>,
        address: Option<String>,
        contact_consent: bool,
        owner_id: Option<UserId>,
        notes: Option<String>,
        /// The row's version, for optimistic concurrency.
        version: i64,
    }
}

api_object! {
    pub struct ContactPerson from ContactPersonRow as c {
        id: i64,
        name: String,
        role: Option<String>,
        phone: Option<String>,
        email: Option<String>,
    }
}

api_object! {
    pub struct Interaction from InteractionRow as i {
        id: InteractionId,
        project_id: Option<ProjectId>,
        kind: InteractionKind,
        date: NaiveDate,
        summary: String,
        needs: Option<String>,
        others_count: i64,
        follow_up_date: Option<NaiveDate>,
        follow_up_task: Option<String>,
    }
}

api_object! {
    pub struct Opening from OpeningRow as o {
        id: OpeningId,
        employer_id: EmployerId,
        kind: OpeningKind,
        title: String,
        status: OpeningStatus,
        places: i64,
        deadline: Option<NaiveDate>,
        requirements: Option<String>,
    }
}

api_object! {
    pub struct Proposal from ProposalRow as r {
        participant_id: ParticipantId,
        status: ProposalStatus,
    }
}

api_object! {
    pub struct Placement from PlacementRow as p {
        id: PlacementId,
        employer_id: EmployerId,
        participant_id: ParticipantId,
        opening_id: Option<OpeningId>,
        kind: PlacementKind,
        agreement_ref: Option<String>,
        agreement_date: Option<NaiveDate>,
        starts_on: NaiveDate,
        /// The current end: the first period's, or the last extension's.
        ends_on: NaiveDate,
        coach: Option<String>,
        result: Option<PlacementResult>,
        ended_on: Option<NaiveDate>,
        version: i64,
    }
}

api_object! {
    pub struct Extension from ExtensionRow as x {
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        reason: String,
    }
}

/// An employer with its contact persons, timeline, openings and placements.
#[derive(serde::Serialize, ToSchema)]
pub struct EmployerDetail {
    pub employer: Employer,
    pub contacts: Vec<ContactPerson>,
    pub interactions: Vec<Interaction>,
    pub openings: Vec<Opening>,
    pub placements: Vec<Placement>,
    pub coaches: Vec<super::coaches::Coach>,
    /// The partner organisations it is shared with, by name.
    pub shared_with: Vec<String>,
    /// Who took part in the interactions.
    pub attendees: Vec<InteractionAttendee>,
}

api_object! {
    pub struct InteractionAttendee from AttendeeNameRow as a {
        interaction_id: InteractionId,
        kind: AttendeeKind,
        /// The user's, contact person's or participant's id.
        ref_id: i64,
        name: String,
    }
}

#[derive(serde::Serialize, ToSchema)]
pub struct OpeningDetail {
    pub opening: Opening,
    pub proposals: Vec<Proposal>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct PlacementDetail {
    pub placement: Placement,
    pub extensions: Vec<Extension>,
    /// Supervision and follow-up meetings.
    pub meetings: Vec<super::coaches::Meeting>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct EmployerSearch {
    /// Part of the name or the Y-tunnus.
    pub q: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct EmployerInput {
    pub business_id: String,
    pub name: String,
    pub industry: Option<Industry>,
    pub size_class: Option<SizeClass>,
    /// A municipality's code or name.
    pub municipality: String,
    pub address: String,
    pub contact_consent: bool,
    pub owner_id: Option<i64>,
    pub notes: String,
    /// On a change: the version read (409 when someone changed it since).
    pub version: Option<i64>,
    /// Save although another employer of the register has this name.
    pub same_name: bool,
}

impl From<EmployerInput> for EmployerForm {
    fn from(i: EmployerInput) -> Self {
        EmployerForm {
            business_id: i.business_id,
            name: i.name,
            industry: text(i.industry),
            size_class: text(i.size_class),
            town: i.municipality,
            address: i.address,
            contact_consent: i.contact_consent.then(|| "on".into()),
            owner_id: text(i.owner_id),
            notes: i.notes,
            version: text(i.version),
            same_name: i.same_name.then(|| "on".into()),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ContactPersonInput {
    pub name: String,
    pub role: String,
    pub phone: String,
    pub email: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct InteractionInput {
    pub project_id: Option<i64>,
    pub kind: Option<InteractionKind>,
    pub date: Option<NaiveDate>,
    pub summary: String,
    pub needs: String,
    pub others_count: Option<i64>,
    pub follow_up_date: Option<NaiveDate>,
    pub follow_up_task: String,
    /// Who took part: the organisation's staff, the employer's contact persons, participants.
    pub staff_ids: Vec<i64>,
    pub contact_ids: Vec<i64>,
    pub participant_ids: Vec<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct OpeningInput {
    pub kind: Option<OpeningKind>,
    pub title: String,
    pub places: Option<i64>,
    pub deadline: Option<NaiveDate>,
    pub requirements: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ProposalInput {
    pub participant_id: i64,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AnswerInput {
    /// accepted or declined
    pub answer: Option<ProposalStatus>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PlacementInput {
    pub participant_id: Option<i64>,
    /// The opening the participant was accepted to, if any.
    pub opening_id: Option<i64>,
    pub kind: Option<PlacementKind>,
    pub agreement_ref: String,
    pub agreement_date: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub coach: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ExtensionInput {
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub reason: String,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PlacementEndInput {
    pub result: Option<PlacementResult>,
    pub ended_on: Option<NaiveDate>,
    /// Required when the placement was interrupted.
    pub reason: String,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ShareInput {
    /// A partner organisation of one of the owner's projects.
    pub org_id: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct StatusInput {
    pub status: Option<OpeningStatus>,
}
