//! Referrals of a participant into an organisation: from outside Polku (the TE office, Kela),
//! recorded by the receiving organisation so that "referred by" is reportable; referrals
//! between organisations in Polku build on the same record.

use crate::dates::parse_date;
use crate::error::Errors;
use crate::ids::{NoteId, OrgId};
use crate::text::{optional, required, Checkbox};
use crate::{DomainError, ErrorCode};
use chrono::NaiveDate;

crate::choice_enum!(
    /// Who outside Polku referred the person.
    Referrer {
        TeOffice = "te_office",
        Kela = "kela",
        Municipality = "municipality",
        HealthCare = "health_care",
        Education = "education",
        Other = "other",
    }
);

crate::choice_enum!(
    /// Where a referral stands. One from outside Polku is recorded as accepted: the person is
    /// already the receiver's participant.
    ReferralStatus {
        Sent = "sent",
        Accepted = "accepted",
        Declined = "declined",
        Returned = "returned",
        Started = "started",
        Completed = "completed",
        Interrupted = "interrupted",
    }
);

impl ReferralStatus {
    /// The steps a referral takes: the receiver accepts, declines or returns a sent one; an
    /// accepted one starts or is interrupted; a started one is completed or interrupted.
    pub fn may_become(self, next: ReferralStatus) -> bool {
        use ReferralStatus::*;
        matches!(
            (self, next),
            (Sent, Accepted | Declined | Returned)
                | (Accepted, Started | Interrupted)
                | (Started, Completed | Interrupted)
        )
    }
    /// Still waiting for the receiver's answer.
    pub fn is_sent(self) -> bool {
        self == ReferralStatus::Sent
    }
}

/// What the participant consented to share with the receiving organisation. The name is shared
/// with any referral while the consent holds; the identity code only when chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shared {
    pub contact: bool,
    pub plan: bool,
    pub competence: bool,
    pub hetu: bool,
    pub notes: Vec<NoteId>,
}

/// A referral to another organisation in Polku, or to one of its services, as the sending
/// counsellor fills it in. The notes to share come as repeated `note_id` pairs beside it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReferralForm {
    pub to_org_id: String,
    pub to_service_id: String,
    pub reason: String,
    pub share_contact: Checkbox,
    pub share_plan: Checkbox,
    pub share_competence: Checkbox,
    pub share_hetu: Checkbox,
    /// The participant agreed to the referral and to sharing what is ticked.
    pub consent: Checkbox,
}

#[derive(Debug, Clone)]
pub struct NewReferral {
    pub to_org: OrgId,
    pub to_service: Option<crate::ids::ServiceId>,
    pub reason: String,
    pub shared: Shared,
}

impl ReferralForm {
    /// `notes` are the ids ticked; `from` is the sender's organisation, which cannot refer to
    /// itself.
    pub fn parse(&self, notes: Vec<NoteId>, from: OrgId) -> Result<NewReferral, DomainError> {
        let mut e = Errors::new();
        let to_org = e.take("to_org_id", id_of(&self.to_org_id, true)).flatten();
        if to_org == Some(from.0) {
            e.push("to_org_id", ErrorCode::ChoiceInvalid);
        }
        let to_service = e.take("to_service_id", id_of(&self.to_service_id, false));
        let reason = e.take("reason", required(&self.reason, 2000));
        if !self.consent.0 {
            e.push("consent", ErrorCode::Required);
        }
        e.into_result()?;
        match (to_org, to_service, reason) {
            (Some(to_org), Some(to_service), Some(reason)) => Ok(NewReferral {
                to_org: OrgId(to_org),
                to_service: to_service.map(crate::ids::ServiceId),
                reason,
                shared: Shared {
                    contact: self.share_contact.0,
                    plan: self.share_plan.0,
                    competence: self.share_competence.0,
                    hetu: self.share_hetu.0,
                    notes,
                },
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

fn id_of(s: &str, needed: bool) -> Result<Option<i64>, ErrorCode> {
    match crate::text::optional_int(s, 1, i64::MAX) {
        Ok(None) if needed => Err(ErrorCode::Required),
        Ok(v) => Ok(v),
        Err(_) => Err(ErrorCode::ChoiceInvalid),
    }
}

/// The receiver's answer or a later step: declined or returned with a reason; started,
/// completed or interrupted on a day.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProgressForm {
    pub status: String,
    pub on: String,
    pub reason: String,
    pub version: String,
}

#[derive(Debug, Clone)]
pub struct Progress {
    pub status: ReferralStatus,
    pub on: NaiveDate,
    pub reason: Option<String>,
    pub version: i64,
}

impl ProgressForm {
    /// A step from `now` (the referral's status) taken on a day between `referred_on` and
    /// `today`. Accepting has its own form: it needs the receiver's own record of the person.
    pub fn parse(
        &self,
        now: ReferralStatus,
        referred_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Progress, DomainError> {
        let mut e = Errors::new();
        let status = e.take("status", ReferralStatus::parse(&self.status));
        let on = if self.on.trim().is_empty() {
            Some(today)
        } else {
            e.take("on", parse_date(&self.on))
        };
        if on.is_some_and(|d| d > today) {
            e.push("on", ErrorCode::DateFuture);
        } else if on.is_some_and(|d| d < referred_on) {
            e.push("on", ErrorCode::DateRange);
        }
        let reason = e.take("reason", optional(&self.reason, 2000)).flatten();
        let version = e.take(
            "version",
            crate::text::optional_int(&self.version, 0, i64::MAX)
                .and_then(|v| v.ok_or(ErrorCode::Required)),
        );
        if let Some(s) = status {
            if s == ReferralStatus::Accepted || !now.may_become(s) {
                e.push("status", ErrorCode::ReferralState);
            } else if matches!(s, ReferralStatus::Declined | ReferralStatus::Returned)
                && reason.is_none()
            {
                e.push("reason", ErrorCode::Required);
            }
        }
        e.into_result()?;
        match (status, on, version) {
            (Some(status), Some(on), Some(version)) => Ok(Progress {
                status,
                on,
                reason,
                version,
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

/// A referral from outside Polku, as the receiving organisation records it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct IncomingReferralForm {
    pub referrer: String,
    /// The office or person, e.g. "Salon TE-toimisto".
    pub referrer_name: String,
    pub referred_on: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct IncomingReferral {
    pub referrer: Referrer,
    pub referrer_name: Option<String>,
    pub referred_on: NaiveDate,
    pub reason: Option<String>,
}

impl IncomingReferralForm {
    /// A referral made on or before `today`.
    pub fn parse(&self, today: NaiveDate) -> Result<IncomingReferral, DomainError> {
        let mut e = Errors::new();
        let referrer = e.take("referrer", Referrer::parse(&self.referrer));
        let referrer_name = e.take("referrer_name", optional(&self.referrer_name, 200));
        let referred_on = e.take("referred_on", parse_date(&self.referred_on));
        let reason = e.take("reason", optional(&self.reason, 2000));
        if referred_on.is_some_and(|d| d > today) {
            e.push("referred_on", ErrorCode::DateFuture);
        }
        e.into_result()?;
        match (referrer, referred_on) {
            (Some(referrer), Some(referred_on)) => Ok(IncomingReferral {
                referrer,
                referrer_name: referrer_name.flatten(),
                referred_on,
                reason: reason.flatten(),
            }),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referral_names_its_referrer_and_a_past_day() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        let bad = IncomingReferralForm {
            referrer: "neighbour".into(),
            referred_on: "3.3.2026".into(),
            ..Default::default()
        };
        let Err(DomainError::Invalid(errors)) = bad.parse(today) else {
            panic!("refused");
        };
        let codes: Vec<_> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("referrer", ErrorCode::ChoiceInvalid),
                ("referred_on", ErrorCode::DateFuture)
            ]
        );
        let ok = IncomingReferralForm {
            referrer: "te_office".into(),
            referrer_name: "Salon TE-toimisto".into(),
            referred_on: "2.3.2026".into(),
            reason: String::new(),
        };
        assert_eq!(
            ok.parse(today).map(|r| r.referrer).ok(),
            Some(Referrer::TeOffice)
        );
    }

    fn codes(r: Result<impl std::fmt::Debug, DomainError>) -> Vec<(&'static str, ErrorCode)> {
        match r {
            Err(DomainError::Invalid(errors)) => errors.iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_referral_needs_another_organisation_a_reason_and_consent() {
        let own = OrgId(1);
        let bad = ReferralForm {
            to_org_id: "1".into(),
            to_service_id: "x".into(),
            ..Default::default()
        };
        assert_eq!(
            codes(bad.parse(vec![], own)),
            vec![
                ("to_org_id", ErrorCode::ChoiceInvalid),
                ("to_service_id", ErrorCode::ChoiceInvalid),
                ("reason", ErrorCode::Required),
                ("consent", ErrorCode::Required)
            ]
        );
        let ok = ReferralForm {
            to_org_id: "2".into(),
            reason: "Ryhmävalmennus".into(),
            share_plan: Checkbox(true),
            consent: Checkbox(true),
            ..Default::default()
        };
        let r = ok.parse(vec![NoteId(7)], own).ok();
        assert_eq!(
            r.map(|r| (r.to_org, r.to_service, r.shared)),
            Some((
                OrgId(2),
                None,
                Shared {
                    plan: true,
                    notes: vec![NoteId(7)],
                    ..Default::default()
                }
            ))
        );
    }

    #[test]
    fn a_referral_moves_only_forward_with_reasons_and_past_days() {
        use ReferralStatus::*;
        let referred = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default();
        let form = |status: &str, on: &str, reason: &str| ProgressForm {
            status: status.into(),
            on: on.into(),
            reason: reason.into(),
            version: "1".into(),
        };
        assert_eq!(
            codes(form("declined", "", "").parse(Sent, referred, today)),
            vec![("reason", ErrorCode::Required)]
        );
        assert_eq!(
            codes(form("completed", "3.3.2026", "").parse(Sent, referred, today)),
            vec![("status", ErrorCode::ReferralState)]
        );
        assert_eq!(
            codes(form("accepted", "", "").parse(Sent, referred, today)),
            vec![("status", ErrorCode::ReferralState)]
        );
        assert_eq!(
            codes(form("started", "1.3.2026", "").parse(Accepted, referred, today)),
            vec![("on", ErrorCode::DateRange)]
        );
        assert_eq!(
            codes(form("started", "11.3.2026", "").parse(Accepted, referred, today)),
            vec![("on", ErrorCode::DateFuture)]
        );
        let started = form("started", "", "").parse(Accepted, referred, today);
        assert_eq!(
            started.map(|p| (p.status, p.on)).ok(),
            Some((Started, today))
        );
        assert!(Started.may_become(Completed) && !Completed.may_become(Started));
        assert!(!Declined.may_become(Accepted) && Sent.may_become(Returned));
    }
}
