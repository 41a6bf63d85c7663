//! The referral report: referrals an organisation sent and received, per organisation and
//! service, with acceptance and completion rates and the days from referral to start; and how
//! many who left had been referred to other services (TEHDAS's measure).

use crate::{Cell, Table};
use chrono::NaiveDate;
use polku_domain::referral::ReferralStatus;
use polku_domain::share::permille;

/// One referral as counted: sent or received, the other organisation, the service, and the
/// days it took to start, once started.
#[derive(Debug, Clone)]
pub struct Counted {
    pub sent: bool,
    pub other_org: String,
    pub service: Option<String>,
    pub status: ReferralStatus,
    pub days_to_start: Option<i64>,
}

/// The counts of one (direction, organisation, service).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    pub sent: bool,
    pub other_org: String,
    pub service: Option<String>,
    pub total: i64,
    /// Still waiting for an answer.
    pub open: i64,
    /// Accepted, whatever happened after.
    pub accepted: i64,
    pub declined: i64,
    pub returned: i64,
    pub completed: i64,
    pub interrupted: i64,
    /// Of those answered, the share accepted (per mille).
    pub acceptance_permille: Option<i64>,
    /// Of those ended, the share completed (per mille).
    pub completion_permille: Option<i64>,
    /// The median of days from referral to start, of those started.
    pub median_days_to_start: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReferralReport {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub lines: Vec<Line>,
    /// Participants who left within the period, and of them those referred to other services.
    pub leavers: i64,
    pub leavers_referred: i64,
}

fn median(mut days: Vec<i64>) -> Option<i64> {
    days.sort_unstable();
    let n = days.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => days.get(n / 2).copied(),
        _ => Some((days.get(n / 2 - 1)? + days.get(n / 2)?) / 2),
    }
}

impl ReferralReport {
    /// Lines sorted sent first, then by organisation and service.
    pub fn build(rows: &[Counted], (leavers, leavers_referred): (i64, i64)) -> ReferralReport {
        use ReferralStatus::*;
        let mut keys: Vec<(bool, String, Option<String>)> = rows
            .iter()
            .map(|r| (r.sent, r.other_org.clone(), r.service.clone()))
            .collect();
        keys.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        keys.dedup();
        let lines = keys
            .into_iter()
            .map(|(sent, other_org, service)| {
                let of: Vec<&Counted> = rows
                    .iter()
                    .filter(|r| r.sent == sent && r.other_org == other_org && r.service == service)
                    .collect();
                let n = |f: &dyn Fn(ReferralStatus) -> bool| {
                    of.iter().filter(|r| f(r.status)).count() as i64
                };
                let total = of.len() as i64;
                let open = n(&|s| s == Sent);
                let accepted = n(&|s| matches!(s, Accepted | Started | Completed | Interrupted));
                let completed = n(&|s| s == Completed);
                let interrupted = n(&|s| s == Interrupted);
                let days = of.iter().filter_map(|r| r.days_to_start).collect();
                Line {
                    sent,
                    other_org,
                    service,
                    total,
                    open,
                    accepted,
                    declined: n(&|s| s == Declined),
                    returned: n(&|s| s == Returned),
                    completed,
                    interrupted,
                    acceptance_permille: permille(accepted, total - open),
                    completion_permille: permille(completed, completed + interrupted),
                    median_days_to_start: median(days),
                }
            })
            .collect();
        ReferralReport {
            from: None,
            to: None,
            lines,
            leavers,
            leavers_referred,
        }
    }

    /// The lines as one table and the leavers as another, with translated headings.
    pub fn tables(&self, t: &dyn Fn(&str) -> String) -> Vec<Table> {
        let headers = [
            "referral-direction",
            "referral-other-org",
            "field-to_service_id",
            "total",
            "referral-open",
            "choice-referral-status-accepted",
            "choice-referral-status-declined",
            "choice-referral-status-returned",
            "choice-referral-status-completed",
            "choice-referral-status-interrupted",
            "referral-acceptance-rate",
            "referral-completion-rate",
            "referral-median-days",
        ]
        .iter()
        .map(|h| t(h))
        .collect();
        let rows = self
            .lines
            .iter()
            .map(|l| {
                vec![
                    t(if l.sent {
                        "referral-sent"
                    } else {
                        "referral-received"
                    })
                    .into(),
                    l.other_org.clone().into(),
                    l.service.clone().into(),
                    l.total.into(),
                    l.open.into(),
                    l.accepted.into(),
                    l.declined.into(),
                    l.returned.into(),
                    l.completed.into(),
                    l.interrupted.into(),
                    l.acceptance_permille.map_or(Cell::Empty, Cell::Permille),
                    l.completion_permille.map_or(Cell::Empty, Cell::Permille),
                    l.median_days_to_start.into(),
                ]
            })
            .collect();
        let leavers = Table {
            title: t("referral-leavers"),
            headers: vec![t("referral-leavers-all"), t("referral-leavers-referred")],
            rows: vec![vec![self.leavers.into(), self.leavers_referred.into()]],
        };
        vec![
            Table {
                title: t("referrals-report"),
                headers,
                rows,
            },
            leavers,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_the_median_wait_per_organisation_and_service() {
        use ReferralStatus::*;
        let row = |sent, org: &str, status, start: Option<u32>| Counted {
            sent,
            other_org: org.into(),
            service: Some("Ryhmä".into()),
            status,
            days_to_start: start.map(|d: u32| i64::from(d) - 1),
        };
        let rows = [
            row(true, "Opisto", Completed, Some(5)),
            row(true, "Opisto", Interrupted, Some(11)),
            row(true, "Opisto", Started, Some(3)),
            row(true, "Opisto", Declined, None),
            row(true, "Opisto", Sent, None),
            row(false, "Kaupunki", Accepted, None),
        ];
        let r = ReferralReport::build(&rows, (10, 4));
        assert_eq!(r.lines.len(), 2);
        let sent = &r.lines[0];
        assert!(sent.sent);
        assert_eq!(
            (sent.total, sent.open, sent.accepted, sent.declined),
            (5, 1, 3, 1)
        );
        // 3 of 4 answered were accepted; 1 of 2 ended was completed.
        assert_eq!(sent.acceptance_permille, Some(750));
        assert_eq!(sent.completion_permille, Some(500));
        // Days to start 2, 4, 10: the median is 4.
        assert_eq!(sent.median_days_to_start, Some(4));
        let received = &r.lines[1];
        assert_eq!(
            (received.other_org.as_str(), received.accepted),
            ("Kaupunki", 1)
        );
        assert_eq!(received.median_days_to_start, None);
        let tables = r.tables(&|k| k.to_string());
        assert_eq!(tables[0].rows.len(), 2);
        assert_eq!(tables[1].rows[0], vec![Cell::Int(10), Cell::Int(4)]);
    }
}
