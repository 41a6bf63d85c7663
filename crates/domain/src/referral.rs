//! Referrals of a participant into an organisation: from outside Polku (the TE office, Kela),
//! recorded by the receiving organisation so that "referred by" is reportable; referrals
//! between organisations in Polku build on the same record.

use crate::dates::parse_date;
use crate::error::Errors;
use crate::text::optional;
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
}
